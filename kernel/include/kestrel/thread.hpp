// SPDX-License-Identifier: Apache-2.0
// Thread: a thread of a partition, created at boot from boot-info: a native
// thread at EL0, or a vCPU of a VM at EL1.
#pragma once

#include <cstdint>

#include <arch/exception.hpp>
#include <arch/fp_registers.hpp>
#include <arch/vcpu.hpp>
#include <arch/vgic.hpp>
#include <kestrel/abi/boot_info.hpp>
#include <kestrel/abi/limits.hpp>
#include <kestrel/partition.hpp>
#include <kestrel/ready_queue.hpp>

namespace kestrel {

class Thread final {
 public:
  enum class State : uint8_t {
    inactive,  // its partition may not start, or it is not scheduled yet
    ready,
    blocked_receive,       // in recv: waits for a message on an endpoint
    blocked_send,          // in send: its message waits in an endpoint's queue
    blocked_call,          // in call (or a VM exit, a fault): queued, then waits for the reply
    blocked_reply,         // its call was received: waits for the reply
    blocked_notification,  // in wait: waits for a notification's word
    blocked_wait,          // a vCPU in WFI: waits for a virtual interrupt
    blocked_restart,       // in vm_restart: waits until its VM's vCPUs have left their CPUs
    stopped,               // exited or faulted; never runs again
  };

  // Binds the thread to `entry` of `partition`, with its registers set for
  // the first entry: a native thread at EL0 with pc = entry, sp = stack top;
  // a vCPU at EL1 with pc = entry, x0 = its device tree, the MMU off.
  // `number` counts the partition's threads from 0.
  void create(const abi::Thread_entry& entry, const char* name, Partition& partition, uint32_t number);

  // A secondary vCPU's first entry (PSCI CPU_ON): EL1 at `entry`, x0 =
  // `context`, the MMU off, FP/SIMD registers zero (the caller has the
  // arch layer forget any it holds: arch::forget_fp_registers).
  void start_vcpu(uint64_t entry, uint64_t context);

  // A vCPU as at boot again (vm_restart): start_vcpu's registers, nothing
  // of an exit or a wait left, inactive. The caller has taken it off every
  // queue and off its CPU.
  void reset_vcpu(uint64_t entry, uint64_t context);

  const char* name() const { return name_ != nullptr ? name_ : ""; }
  Partition& partition() const { return *partition_; }
  bool is_vcpu() const { return vcpu_; }
  uint32_t fault_endpoint() const { return fault_endpoint_; }
  uint32_t priority() const { return priority_; }
  uint32_t cpu() const { return cpu_; }
  // A vCPU's number within its VM (the order of the VM's vCPUs in the
  // policy), as exit messages report it.
  uint32_t vcpu_index() const { return vcpu_index_; }
  // A passive server runs only on the time of the thread whose call it
  // serves. It has no time of its own even before its first receive: it
  // starts up on the time of a thread waiting to call or send to its
  // partition (Endpoint::server), in that thread's window and budget.
  bool is_passive() const { return passive_; }
  uint64_t budget_ns() const { return budget_ns_; }
  uint64_t period_ns() const { return period_ns_; }

  // The thread whose time this one runs on: itself, or for a passive server
  // handling a message (a call, or a send), its sender's donor; for one
  // starting up, the donor of the thread waiting to send to it. nullptr for
  // a passive server with neither (it may not run).
  const Thread* donor() const {
    if (!passive_) return this;
    // The common case in one step: a passive server handling a message of
    // a thread with time of its own.
    if (waited_for_call && serving != nullptr && !serving->passive_) return serving;
    return donor_of_passive();
  }
  Thread* donor() { return const_cast<Thread*>(static_cast<const Thread*>(this)->donor()); }

  State state = State::inactive;
  // Its message waits in an endpoint's queue (send, call, VM exit, fault).
  bool waits_to_send() const { return state == State::blocked_call || state == State::blocked_send; }
  // Its registers while it is in the kernel or not running: the exception
  // vectors save them here and resume from here (16-byte aligned, since the
  // vectors use it as their stack).
  alignas(16) arch::Exception_frame context{};
  arch::Vcpu_registers vcpu_registers{};    // a vCPU's EL1 state, saved likewise
  arch::Vcpu_interrupts vcpu_interrupts{};  // and its virtual interrupts and timer
  uint64_t wake_at = 0;                     // blocked_wait: counter value its virtual timer fires at (0: none)
  // Its FP/SIMD registers while another thread's are loaded on its CPU
  // (arch/fp.hpp); zero until its first FP/SIMD use.
  arch::Fp_registers fp_registers{};

  // Time, in counter ticks, kept by its CPU's scheduler. budget 0: none.
  uint64_t budget_ticks = 0;
  uint64_t period_ticks = 0;
  int64_t budget_left = 0;        // in the current period
  uint64_t period_end = 0;        // when the budget is next refilled
  bool waited_for_call = false;   // a passive server has reached its first receive
  bool overrun_reported = false;  // the kernel has logged that it used up its budget
  // Its FP/SIMD values are in its CPU's registers, not in fp_registers (it
  // owns them: arch/fp.hpp).
  bool fp_in_registers = false;

  // IPC. A receiver remembers whom to reply to; a queued sender its badge.
  // A vCPU's exit or a thread's fault is a message the kernel makes: it is
  // in `message` (info, then five words) instead of the thread's registers.
  Thread* reply_to = nullptr;
  // Whose message it handles (call or send) since its last receive; for a
  // passive server before its first receive, who lends it time to start.
  Thread* serving = nullptr;
  Thread* next_sender = nullptr;
  uint64_t sent_badge = 0;
  bool kernel_message = false;
  uint64_t message[6] = {};
  // Its message words 5 and up (a kernel address), or none.
  uint64_t* ipc_buffer = nullptr;
  // Its CPU's scheduler generation when it last called (ipc_call or the
  // fast path): the reply_recv fast path's proof that it is still the best.
  uint64_t call_generation = 0;
  // In recv with a notification too (x1): the one it also waits on, and
  // the endpoint.
  class Notification* also_waiting_on = nullptr;
  class Endpoint* receiving_on = nullptr;
  // Containment (containment.cpp): queued to be stopped.
  Thread* next_to_stop = nullptr;
  bool stop_scheduled = false;
  bool stop_when_answered = false;  // vcpu_stop came while it waited for its VMM
  uint32_t exit_register = 0;       // where an MMIO read's answer goes (31: nowhere)
  uint32_t resume_advance = 0;      // bytes to skip when the VMM says resume

  // Its place in its CPU's scheduler (scheduler.hpp), which alone writes
  // these: in a ready queue (ready_domain: the domain's number + 1), or on
  // its donor's ring of threads waiting for that donor's refill
  // (parked_on), or on neither; and in the scheduler's timer heaps.
  Queue_links<Thread> queue_links{};
  uint32_t ready_domain = 0;
  Thread* parked_on = nullptr;
  Thread* first_parked = nullptr;  // as a donor: the ring of threads waiting for its refill
  uint32_t refill_slot = 0;        // in the heap of spent budgets
  uint32_t wakeup_slot = 0;        // in the heap of sleeping vCPUs' deadlines

 private:
  const Thread* donor_of_passive() const;

  Partition* partition_ = nullptr;
  const char* name_ = nullptr;  // zero, so the static pools stay in .bss
  uint32_t priority_ = 0;
  uint32_t cpu_ = 0;
  uint32_t fault_endpoint_ = 0;
  uint32_t vcpu_index_ = 0;
  uint64_t budget_ns_ = 0;
  uint64_t period_ns_ = 0;
  bool vcpu_ = false;
  bool passive_ = false;
};

// Thread `index` of boot-info's thread table (an index boot-info's reader
// has checked).
Thread& thread_object(uint32_t index);

// Every thread (thread.cpp): thread_count of them (at least one), carved at
// boot. Only the scheduler's queues use it directly: they name threads by
// their place in it.
extern Thread* thread_pool;
extern uint32_t thread_count;

}  // namespace kestrel
