// SPDX-License-Identifier: Apache-2.0
// Syscall: decoding (every argument checked, no side effects) then invoking
// (cannot fail) each system call, and the handling of threads' exceptions.
#include <kestrel/abi/syscall.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/cpu.hpp>
#include <kestrel/endpoint.hpp>
#include <kestrel/log.hpp>
#include <kestrel/scheduler.hpp>
#include <kestrel/user_exception.hpp>

namespace kestrel {
namespace {

using abi::Status;

enum class After : uint8_t { resume, reschedule };

struct Console_write {
  const uint8_t* text;
  uint64_t length;
};

// Decode: the console capability must exist, be a console with the send
// right, and the buffer must be readable memory of the partition.
Status decode_console_write(const Partition& partition, const arch::Exception_frame& frame, Console_write& call) {
  const abi::Capability_entry* capability = partition.capability(frame.x[0]);
  if (capability == nullptr) return Status::invalid_capability;
  if (capability->kind != static_cast<uint32_t>(abi::Capability_kind::console)) return Status::wrong_capability_type;
  if ((capability->rights & abi::right_send) == 0) return Status::missing_right;
  const uint64_t length = frame.x[2];
  if (length > abi::console_write_max) return Status::invalid_argument;
  if (length == 0) {
    call = {nullptr, 0};
    return Status::ok;
  }
  const uint8_t* text = partition.readable(frame.x[1], length);
  if (text == nullptr) return Status::bad_address;
  call = {text, length};
  return Status::ok;
}

// Invoke: each line is prefixed with the partition's name.
void invoke_console_write(Partition& partition, const Console_write& call) {
  for (uint64_t i = 0; i < call.length; ++i) {
    if (!partition.console_mid_line) log("{}: ", partition.name());
    const char c = static_cast<char>(call.text[i]);
    console_write(&c, 1);
    partition.console_mid_line = c != '\n';
  }
}

// What recv returns: ok and the sender's message in x0-x5 of `registers`
// (the receiver's live frame, or its saved context if it is blocked); the
// receiver answers this sender next.
void load_message(arch::Exception_frame& registers, Thread& receiver, Thread& sender) {
  registers.x[0] = static_cast<uint64_t>(Status::ok);
  for (int i = 0; i < 5; ++i) registers.x[1 + i] = sender.message[i];
  receiver.reply_to = &sender;
}

// Decode for recv and reply_recv: an endpoint capability with the receive
// right.
Status decode_receive(const Partition& partition, uint64_t slot, uint32_t& endpoint) {
  const abi::Capability_entry* capability = partition.capability(slot);
  if (capability == nullptr) return Status::invalid_capability;
  if (capability->kind != static_cast<uint32_t>(abi::Capability_kind::endpoint)) return Status::wrong_capability_type;
  if ((capability->rights & abi::right_receive) == 0) return Status::missing_right;
  endpoint = capability->object;
  return Status::ok;
}

// The answer to a vCPU's exit (from its VMM) or to a thread's fault (from its
// fault handler): an MMIO read's value or a hypercall's result, then resume
// or stop the sender.
void apply_reply(Thread& sender, uint64_t value, uint64_t flags) {
  const auto kind = static_cast<abi::Exit_kind>(sender.message[1]);
  if (kind == abi::Exit_kind::mmio_read && sender.exit_register < 31) {
    const uint64_t size = sender.message[4];
    sender.context.x[sender.exit_register] = size >= 8 ? value : value & ((uint64_t{1} << (8 * size)) - 1);
  } else if (kind == abi::Exit_kind::hypercall) {
    sender.context.x[0] = value;
  }
  if ((flags & abi::reply_stop) != 0) {
    if (sender.is_vcpu()) {
      log("partition {}: {} stopped by its VMM\n", sender.partition().name(), sender.name());
    } else {
      log("partition {}: thread {} stopped by its fault handler\n", sender.partition().name(), sender.name());
    }
    sender.state = Thread::State::stopped;
    return;
  }
  if ((flags & abi::reply_resume) != 0) sender.context.elr += sender.resume_advance;
  make_ready(sender);
}

// recv: take a waiting message, or block until one comes.
After receive(Thread& thread, arch::Exception_frame& frame, uint32_t endpoint_index) {
  Endpoint& endpoint = endpoint_object(endpoint_index);
  if (Thread* sender = endpoint.dequeue(); sender != nullptr) {
    load_message(frame, thread, *sender);
    return After::resume;
  }
  if (endpoint.receiver != nullptr && endpoint.receiver != &thread) {
    frame.x[0] = static_cast<uint64_t>(Status::would_deadlock);  // one receiver per endpoint
    return After::resume;
  }
  endpoint.receiver = &thread;
  thread.state = Thread::State::blocked_receive;
  return After::reschedule;
}

// A vCPU's exit, or a thread's fault, goes to the endpoint of its VMM or
// fault handler; the sender waits for the reply.
void deliver_to_handler(Thread& sender) {
  if (sender.fault_endpoint() == abi::no_index) {
    log("partition {}: {} stopped: a VM exit and no VMM to handle it\n", sender.partition().name(), sender.name());
    sender.state = Thread::State::stopped;
    return;
  }
  sender.state = Thread::State::blocked_reply;
  Endpoint& endpoint = endpoint_object(sender.fault_endpoint());
  if (Thread* receiver = endpoint.receiver; receiver != nullptr) {
    endpoint.receiver = nullptr;
    load_message(receiver->context, *receiver, sender);
    make_ready(*receiver);
  } else {
    endpoint.enqueue(sender);
  }
}

// Decode for vcpu_inject_interrupt: a vCPU capability with the control
// right, and an interrupt ID a vCPU can be given.
Status decode_vcpu_inject(const Partition& partition, const arch::Exception_frame& frame, Thread*& vcpu) {
  const abi::Capability_entry* capability = partition.capability(frame.x[0]);
  if (capability == nullptr) return Status::invalid_capability;
  if (capability->kind != static_cast<uint32_t>(abi::Capability_kind::vcpu)) return Status::wrong_capability_type;
  if ((capability->rights & abi::right_control) == 0) return Status::missing_right;
  if (frame.x[1] > arch::max_injected_intid) return Status::invalid_argument;
  vcpu = &thread_object(capability->object);
  return Status::ok;
}

// The interrupt is pending for the vCPU from now on; a vCPU waiting in WFI
// wakes. If the vCPU runs on another CPU, that CPU picks the interrupt up
// when it next enters the vCPU (the kick makes that soon).
void invoke_vcpu_inject(Thread& vcpu, uint32_t intid) {
  const bool live = this_cpu_scheduler().current() == &vcpu;
  arch::vcpu_inject(vcpu, intid, live);
  if (vcpu.state == Thread::State::blocked_wait) {
    make_ready(vcpu);
  } else if (vcpu.state == Thread::State::ready && !live && vcpu.cpu() != arch::current_cpu()) {
    arch::kick_cpu(vcpu.cpu());
  }
}

After handle_syscall(Thread& thread, arch::Exception_frame& frame) {
  Status status = Status::ok;
  After after = After::resume;
  switch (static_cast<abi::Syscall>(frame.x[8])) {
    case abi::Syscall::console_write: {
      Console_write call{};
      status = decode_console_write(thread.partition(), frame, call);
      if (status == Status::ok) invoke_console_write(thread.partition(), call);
      break;
    }
    case abi::Syscall::thread_exit:
      log("partition {}: thread {} exited\n", thread.partition().name(), thread.name());
      thread.state = Thread::State::stopped;
      return After::reschedule;
    case abi::Syscall::yield:
      after = After::reschedule;
      break;
    case abi::Syscall::recv:
    case abi::Syscall::reply_recv: {
      uint32_t endpoint = 0;
      status = decode_receive(thread.partition(), frame.x[0], endpoint);
      if (status != Status::ok) break;
      if (static_cast<abi::Syscall>(frame.x[8]) == abi::Syscall::reply_recv && thread.reply_to != nullptr) {
        apply_reply(*thread.reply_to, frame.x[1], frame.x[2]);
        thread.reply_to = nullptr;
      }
      return receive(thread, frame, endpoint);
    }
    case abi::Syscall::vcpu_inject_interrupt: {
      Thread* vcpu = nullptr;
      status = decode_vcpu_inject(thread.partition(), frame, vcpu);
      if (status != Status::ok) break;
      invoke_vcpu_inject(*vcpu, static_cast<uint32_t>(frame.x[1]));
      // The vCPU may be of a higher priority than its VMM.
      after = vcpu->state == Thread::State::ready ? After::reschedule : After::resume;
      break;
    }
    default:
      status = Status::invalid_syscall;
      break;
  }
  frame.x[0] = static_cast<uint64_t>(status);
  return after;
}

}  // namespace

void handle_user_exception(arch::Exception_frame& frame, const User_exception& exception) {
  Thread* const thread = this_cpu_scheduler().current();
  if (thread == nullptr) panic("exception from EL0 with no current thread");
  After after = After::resume;
  switch (exception.kind) {
    case User_exception::Kind::syscall:
      after = handle_syscall(*thread, frame);
      break;
    case User_exception::Kind::wait:
      frame.elr += 4;  // past the WFI/WFE
      if (!thread->is_vcpu()) {
        after = After::reschedule;  // a native thread just gives up the CPU
      } else if (!arch::vcpu_interrupt_pending(*thread)) {
        thread->state = Thread::State::blocked_wait;  // until a virtual interrupt
        after = After::reschedule;
      }
      break;
    case User_exception::Kind::vm_exit:
      deliver_to_handler(*thread);
      after = After::reschedule;
      break;
    case User_exception::Kind::fault:
      if (thread->fault_endpoint() != abi::no_index) {
        log("partition {}: thread {}: {} at pc {:#x}; sent to its fault handler\n", thread->partition().name(),
            thread->name(), exception.description, frame.elr);
        thread->message[0] = 0;
        thread->message[1] = static_cast<uint64_t>(abi::Exit_kind::thread_fault);
        thread->message[2] = exception.address_valid ? exception.address : 0;
        thread->message[3] = frame.elr;
        thread->message[4] = frame.esr;
        thread->exit_register = 31;
        thread->resume_advance = 0;  // resuming retries the instruction
        deliver_to_handler(*thread);
        after = After::reschedule;
        break;
      }
      if (exception.address_valid) {
        log("partition {}: thread {} stopped: {} at pc {:#x}, address {:#x}\n", thread->partition().name(),
            thread->name(), exception.description, frame.elr, exception.address);
      } else {
        log("partition {}: thread {} stopped: {} at pc {:#x}\n", thread->partition().name(), thread->name(),
            exception.description, frame.elr);
      }
      thread->state = Thread::State::stopped;
      after = After::reschedule;
      break;
  }
  if (after == After::reschedule) reschedule(frame);
}

}  // namespace kestrel
