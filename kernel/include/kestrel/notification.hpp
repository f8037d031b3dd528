// SPDX-License-Identifier: Apache-2.0
// Notification: a word of signal bits. Signallers OR their badge into it; its
// owner waits for it to become non-zero and takes it. Interrupts are
// delivered the same way (irq.hpp).
#pragma once

#include <cstdint>

#include <arch/exception.hpp>
#include <kestrel/result.hpp>
#include <kestrel/thread.hpp>

namespace kestrel {

class Notification final {
 public:
  // ORs `badge` into the word; a thread waiting for it takes the word and
  // becomes ready. `signaller` is the thread that signals (null for an
  // interrupt): a passive server woken by it runs on its time, as for a
  // message it sent.
  void signal(uint64_t badge, Thread* signaller = nullptr);

  // wait: takes the word into x1 if it is non-zero, else blocks `thread`
  // until a signal. Refuses (would_deadlock) if another thread already waits.
  Result wait(Thread& thread, arch::Exception_frame& frame);

  // poll: the word (0 if none), which is then zero.
  uint64_t take() {
    const uint64_t word = word_;
    word_ = 0;
    return word;
  }

  // recv with this notification too: the word if non-zero (taken), else 0
  // after registering `thread` as its waiter; would_deadlock if another
  // thread waits.
  Decoded<uint64_t> wait_beside_endpoint(Thread& thread);

  // The thread waiting on it stops waiting (it got a message instead).
  void forget_waiter() { waiter_ = nullptr; }

  // For the fast path: ORs `badge` in and hands the word to the waiter,
  // which must exist and wait in `wait` (not beside an endpoint).
  uint64_t signal_to_waiter(uint64_t badge) {
    const uint64_t word = word_ | badge;
    word_ = 0;
    waiter_ = nullptr;
    return word;
  }

  // An interrupt is bound to it, so a thread waiting for it may wake
  // without any thread's help.
  bool bound_to_interrupt = false;
  Thread* waiter() const { return waiter_; }
  bool has_word() const { return word_ != 0; }

 private:
  uint64_t word_ = 0;
  Thread* waiter_ = nullptr;
};

// Notification `index` of boot-info (checked by its reader).
// A VM's write at guest-physical `ipa`: true if `ipa` is one of the VM's
// guest doorbells (abi::Guest_doorbell_entry), whose notification is then
// signalled, or the write dropped, and `return_address` (the vCPU's, at
// the store) moves past the 4-byte store. The caller resumes the vCPU without
// preempting it: a thread the signal woke runs when the vCPU next enters
// the scheduler (its WFI, an exit, an interrupt), so a guest that rings and
// then waits for the answer leaves its CPU once, not twice.
bool ring_guest_doorbell(Thread& vcpu, uint64_t ipa, uint64_t& return_address);

Notification& notification_object(uint32_t index);

// Every notification: notification_count of them (at least one), carved at
// boot (kernel_objects.cpp).
extern Notification* notification_pool;
extern uint32_t notification_count;

}  // namespace kestrel
