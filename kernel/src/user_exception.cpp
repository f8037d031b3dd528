// SPDX-License-Identifier: Apache-2.0
// User exception: what the kernel does with a thread's synchronous
// exception: a system call, a wait, a VM exit for its VMM, or a fault that
// goes to its fault handler or stops it.
#include <kestrel/abi/syscall.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/cpu.hpp>
#include <kestrel/endpoint.hpp>
#include <kestrel/ipc.hpp>
#include <kestrel/log.hpp>
#include <kestrel/scheduler.hpp>
#include <kestrel/syscall_handler.hpp>
#include <kestrel/user_exception.hpp>

namespace kestrel {
namespace {

// A VM exit or a fault, already in sender.message, goes to the endpoint of
// its VMM or fault handler.
void send_to_handler(Thread& sender) {
  if (sender.fault_endpoint() == abi::no_index) {
    log("partition {}: {} stopped: a VM exit and no VMM to handle it\n", sender.partition().name(), sender.name());
    stop_thread(sender);
    return;
  }
  ipc_send_kernel_message(sender, endpoint_object(sender.fault_endpoint()));
}

// A native thread's fault: to its fault handler if the policy names one, or
// the thread stops. Either way it no longer runs.
void handle_fault(Thread& thread, const arch::Exception_frame& frame, const User_exception& exception) {
  const char* partition = thread.partition().name();
  if (thread.fault_endpoint() != abi::no_index) {
    log("partition {}: thread {}: {} at pc {:#x}; sent to its fault handler\n", partition, thread.name(),
        exception.description, frame.elr);
    thread.message[0] =
        abi::message_info(abi::kernel_label_base + static_cast<uint64_t>(abi::Exit_kind::thread_fault), 5);
    thread.message[1] = 0;
    thread.message[2] = exception.address_valid ? exception.address : 0;
    thread.message[3] = frame.elr;
    thread.message[4] = frame.esr;
    thread.message[5] = 0;
    thread.exit_register = 31;
    thread.resume_advance = 0;  // resuming retries the instruction
    send_to_handler(thread);
    return;
  }
  if (exception.address_valid) {
    log("partition {}: thread {} stopped: {} at pc {:#x}, address {:#x}\n", partition, thread.name(),
        exception.description, frame.elr, exception.address);
  } else {
    log("partition {}: thread {} stopped: {} at pc {:#x}\n", partition, thread.name(), exception.description,
        frame.elr);
  }
  stop_thread(thread);
}

}  // namespace

void handle_user_exception(arch::Exception_frame& frame, const User_exception& exception) {
  Thread* const thread = this_cpu_scheduler().current();
  if (thread == nullptr) panic("exception from EL0 with no current thread");
  // Another CPU stopped it (vcpu_stop) or is restarting its VM while it
  // ran: what it was doing no longer counts, it only leaves the CPU.
  if (thread->state != Thread::State::ready) {
    reschedule();
    return;
  }
  bool switch_thread = true;
  switch (exception.kind) {
    case User_exception::Kind::syscall:
      switch_thread = handle_syscall(*thread, frame);
      break;
    case User_exception::Kind::pause:
      frame.elr += 4;  // past the WFE; the event it waits for comes from another vCPU
      break;
    case User_exception::Kind::wait:
      frame.elr += 4;  // past the WFI/WFE
      if (thread->is_vcpu()) {
        // A vCPU waits until a virtual interrupt is pending; a native
        // thread just gives up the CPU.
        switch_thread = !arch::vcpu_interrupt_pending(*thread);
        if (switch_thread) thread->state = Thread::State::blocked_wait;
      }
      break;
    case User_exception::Kind::emulated:
      switch_thread = false;
      break;
    case User_exception::Kind::vm_exit:
      send_to_handler(*thread);
      break;
    case User_exception::Kind::fault:
      handle_fault(*thread, frame, exception);
      break;
  }
  if (switch_thread) {
    reschedule();
  } else {
    preempt_if_better();
  }
}

}  // namespace kestrel
