// SPDX-License-Identifier: Apache-2.0
// Notification: signal and wait.
#include <kestrel/abi/limits.hpp>
#include <kestrel/abi/syscall.hpp>
#include <kestrel/cpu.hpp>
#include <kestrel/ipc.hpp>
#include <kestrel/notification.hpp>
#include <kestrel/partition.hpp>
#include <kestrel/span.hpp>

namespace kestrel {

Notification* notification_pool = nullptr;  // carved at boot (kernel_objects.cpp)
uint32_t notification_count = 0;

void Notification::signal(uint64_t badge, Thread* signaller) {
  word_ |= badge;
  if (waiter_ == nullptr || word_ == 0) return;
  Thread& thread = *waiter_;
  waiter_ = nullptr;
  thread.serving = signaller;  // a passive waiter's time: the signaller's
  thread.context.x[0] = static_cast<uint64_t>(abi::Status::ok);
  thread.context.x[1] = take();
  if (thread.also_waiting_on == this) {
    // It waited in recv on an endpoint too: it stops waiting there, and its
    // recv returns the word as a message of the kernel's.
    thread.also_waiting_on = nullptr;
    stop_receiving(thread);
    thread.context.x[2] = abi::message_info(abi::notification_label, 0);
  }
  make_ready(thread);
}

Decoded<uint64_t> Notification::wait_beside_endpoint(Thread& thread) {
  if (const uint64_t word = take(); word != 0) return Decoded<uint64_t>::ok(word);
  if (waiter_ != nullptr && waiter_ != &thread) return Decoded<uint64_t>::failed(abi::Status::would_deadlock);
  waiter_ = &thread;
  thread.also_waiting_on = this;
  return Decoded<uint64_t>::ok(0);
}

Result Notification::wait(Thread& thread, arch::Exception_frame& frame) {
  if (word_ != 0) {
    frame.x[1] = take();
    return Result::done();
  }
  if (waiter_ != nullptr && waiter_ != &thread) return Result::done(abi::Status::would_deadlock);
  waiter_ = &thread;
  thread.state = Thread::State::blocked_notification;
  return Result::blocked();
}

bool ring_guest_doorbell(Thread& vcpu, uint64_t ipa, uint64_t& return_address) {
  for (const abi::Guest_doorbell_entry& doorbell : vcpu.partition().guest_doorbells()) {
    if (doorbell.ipa != ipa) continue;
    if (doorbell.notification != abi::no_index)
      notification_object(doorbell.notification).signal(doorbell.badge, &vcpu);
    return_address += 4;
    return true;
  }
  return false;
}

Notification& notification_object(uint32_t index) { return notification_pool[index < notification_count ? index : 0]; }

}  // namespace kestrel
