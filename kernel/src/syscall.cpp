// SPDX-License-Identifier: Apache-2.0
// Syscall: decoding (every argument checked, no side effects) then invoking
// (cannot fail) each system call.
#include <kestrel/abi/syscall.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/cpu.hpp>
#include <kestrel/endpoint.hpp>
#include <kestrel/ipc.hpp>
#include <kestrel/irq.hpp>
#include <kestrel/log.hpp>
#include <kestrel/notification.hpp>
#include <kestrel/scheduler.hpp>
#include <kestrel/syscall_handler.hpp>
#include <kestrel/virtual_interrupts.hpp>
#include <kestrel/vm_restart.hpp>

namespace kestrel {
namespace {

using abi::Capability_kind;
using abi::Status;

// Decode: the capability in `slot` exists, is of `kind` and has `right`.
Status decode_capability(const Partition& partition, uint64_t slot, Capability_kind kind, uint32_t right,
                         const abi::Capability_entry*& found) {
  const abi::Capability_entry* capability = partition.capability(slot);
  if (capability == nullptr) return Status::invalid_capability;
  if (capability->kind != static_cast<uint32_t>(kind)) return Status::wrong_capability_type;
  if ((capability->rights & right) == 0) return Status::missing_right;
  found = capability;
  return Status::ok;
}

struct Console_write {
  const uint8_t* text;
  uint64_t length;
};

// Decode: a console capability with the send right, and a buffer in the
// partition's readable memory.
Status decode_console_write(const Partition& partition, const arch::Exception_frame& frame, Console_write& call) {
  const abi::Capability_entry* capability = nullptr;
  const Status status = decode_capability(partition, frame.x[0], Capability_kind::console, abi::right_send, capability);
  if (status != Status::ok) return status;
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
    log_write(&c, 1);
    partition.console_mid_line = c != '\n';
  }
}

// Decode: a message the thread may send: not too long, words beyond the
// registers only with an IPC buffer, no label reserved for the kernel.
Status decode_message(const Thread& thread, uint64_t info) {
  const uint64_t length = abi::message_length(info);
  if (length > abi::max_message_words) return Status::invalid_argument;
  if (length > abi::message_register_words && thread.ipc_buffer == nullptr) return Status::invalid_argument;
  if (abi::message_label(info) >= abi::kernel_label_base) return Status::invalid_argument;
  return Status::ok;
}

// Decode for call, send and nb_send: an endpoint with the send right, and a
// message the thread may send.
Status decode_send(const Thread& thread, const arch::Exception_frame& frame, const abi::Capability_entry*& endpoint) {
  const Status status =
      decode_capability(thread.partition(), frame.x[0], Capability_kind::endpoint, abi::right_send, endpoint);
  if (status != Status::ok) return status;
  if (const Status message = decode_message(thread, frame.x[2]); message != Status::ok) return message;
  // Nobody could ever receive it: say so now rather than block for ever.
  if (endpoint_server_stopped(endpoint_object(endpoint->object))) return Status::peer_stopped;
  return Status::ok;
}

// Decode for set_ipc_buffer: 0 (none), or ipc_buffer_size bytes of the
// partition's writable memory, 8-byte aligned.
Status decode_ipc_buffer(const Partition& partition, uint64_t address, uint64_t*& buffer) {
  buffer = nullptr;
  if (address == 0) return Status::ok;
  if (address % 8 != 0) return Status::invalid_argument;
  uint8_t* memory = partition.writable(address, abi::ipc_buffer_size);
  if (memory == nullptr) return Status::bad_address;
  buffer = reinterpret_cast<uint64_t*>(memory);
  return Status::ok;
}

// Decode for vcpu_inject_interrupt: a vCPU capability with the control
// right, and an interrupt ID a vCPU can be given.
Status decode_vcpu_inject(const Partition& partition, const arch::Exception_frame& frame, Thread*& vcpu) {
  const abi::Capability_entry* capability = nullptr;
  const Status status = decode_capability(partition, frame.x[0], Capability_kind::vcpu, abi::right_control, capability);
  if (status != Status::ok) return status;
  if (frame.x[1] > arch::max_injected_intid) return Status::invalid_argument;
  vcpu = &thread_object(capability->object);
  return Status::ok;
}

// Decode for vcpu_start: a vCPU capability with the control right, for a
// vCPU that has never run (of a partition that may start).
Status decode_vcpu_start(const Partition& partition, const arch::Exception_frame& frame, Thread*& vcpu) {
  const abi::Capability_entry* capability = nullptr;
  const Status status = decode_capability(partition, frame.x[0], Capability_kind::vcpu, abi::right_control, capability);
  if (status != Status::ok) return status;
  Thread& target = thread_object(capability->object);
  if (target.state != Thread::State::inactive || !target.partition().may_start) return Status::invalid_argument;
  vcpu = &target;
  return Status::ok;
}

// A vCPU its VMM stops: at once, unless it waits for the VMM's answer to an
// exit (queued on the exit endpoint, or being served), which then stops it.
// One running on another CPU leaves it at that CPU's next kernel entry,
// which the kick makes soon.
void stop_vcpu_for_its_vmm(Thread& vcpu) {
  if (vcpu.state == Thread::State::stopped) return;
  if (vcpu.kernel_message &&
      (vcpu.state == Thread::State::blocked_call || vcpu.state == Thread::State::blocked_reply)) {
    vcpu.stop_when_answered = true;
    return;
  }
  const bool running_elsewhere = vcpu.state == Thread::State::ready && vcpu.cpu() != arch::current_cpu();
  log("partition {}: {} stopped by its VMM\n", vcpu.partition().name(), vcpu.name());
  stop_thread(vcpu);
  if (running_elsewhere) arch::kick_cpu(vcpu.cpu());
}

// Decode for recv and reply_recv: the receive will not be refused (another
// thread waits on the endpoint, or on `also`, and nothing is there to take),
// so that reply_recv never delivers its reply and then fails.
Status decode_receive(const Thread& thread, const Endpoint& endpoint, const Notification* also) {
  if (endpoint.has_senders()) return Status::ok;
  if (endpoint.receiver != nullptr && endpoint.receiver != &thread) return Status::would_deadlock;
  if (also != nullptr && !also->has_word() && also->waiter() != nullptr && also->waiter() != &thread) {
    return Status::would_deadlock;
  }
  return Status::ok;
}

// The calls that block or pass messages; their results are in the frame.
Blocked handle_ipc_syscall(abi::Syscall number, Thread& thread, arch::Exception_frame& frame, Status& status) {
  const abi::Capability_entry* capability = nullptr;
  switch (number) {
    case abi::Syscall::call:
    case abi::Syscall::send:
    case abi::Syscall::nb_send: {
      status = decode_send(thread, frame, capability);
      if (status != Status::ok) return Blocked::no;
      Endpoint& endpoint = endpoint_object(capability->object);
      if (number == abi::Syscall::call) return ipc_call(thread, frame, endpoint, capability->badge);
      if (number == abi::Syscall::send) return ipc_send(thread, frame, endpoint, capability->badge);
      if (!ipc_send_if_received(thread, frame, endpoint, capability->badge)) status = Status::would_block;
      return Blocked::no;
    }
    case abi::Syscall::recv:
    case abi::Syscall::reply_recv:
      status =
          decode_capability(thread.partition(), frame.x[0], Capability_kind::endpoint, abi::right_receive, capability);
      if (status == Status::ok && number == abi::Syscall::reply_recv && thread.reply_to != nullptr &&
          !thread.reply_to->kernel_message) {
        status = decode_message(thread, frame.x[2]);
      }
      if (status != Status::ok) return Blocked::no;
      {
        Notification* also = nullptr;
        if (frame.x[1] != 0) {
          const abi::Capability_entry* notification = nullptr;
          status = decode_capability(thread.partition(), frame.x[1] - 1, Capability_kind::notification,
                                     abi::right_receive, notification);
          if (status != Status::ok) return Blocked::no;
          also = &notification_object(notification->object);
        }
        Endpoint& endpoint = endpoint_object(capability->object);
        status = decode_receive(thread, endpoint, also);
        if (status != Status::ok) return Blocked::no;
        // Invoke: neither half can fail now.
        if (number == abi::Syscall::reply_recv) ipc_reply(thread, frame);
        return ipc_receive(thread, frame, endpoint, also);
      }
    case abi::Syscall::wait:
      status = decode_capability(thread.partition(), frame.x[0], Capability_kind::notification, abi::right_receive,
                                 capability);
      if (status != Status::ok) return Blocked::no;
      return notification_object(capability->object).wait(thread, frame) ? Blocked::yes : Blocked::no;
    default:
      status = Status::invalid_syscall;
      return Blocked::no;
  }
}

}  // namespace

bool handle_syscall(Thread& thread, arch::Exception_frame& frame) {
  Status status = Status::ok;
  const auto number = static_cast<abi::Syscall>(frame.x[8]);
  const abi::Capability_entry* capability = nullptr;
  switch (number) {
    case abi::Syscall::console_write: {
      Console_write call{};
      status = decode_console_write(thread.partition(), frame, call);
      if (status == Status::ok) invoke_console_write(thread.partition(), call);
      break;
    }
    case abi::Syscall::thread_exit:
      log("partition {}: thread {} exited\n", thread.partition().name(), thread.name());
      stop_thread(thread);
      return true;
    case abi::Syscall::yield:
      frame.x[0] = static_cast<uint64_t>(Status::ok);
      return true;
    case abi::Syscall::vcpu_inject_interrupt: {
      Thread* vcpu = nullptr;
      status = decode_vcpu_inject(thread.partition(), frame, vcpu);
      if (status == Status::ok) deliver_virtual_interrupt(*vcpu, static_cast<uint32_t>(frame.x[1]));
      break;
    }
    case abi::Syscall::vcpu_start: {
      Thread* vcpu = nullptr;
      status = decode_vcpu_start(thread.partition(), frame, vcpu);
      if (status == Status::ok) {
        vcpu->start_vcpu(frame.x[1], frame.x[2]);
        // It never ran (inactive), so this finds nothing to forget; it
        // keeps the zeroed state safe should that ever change.
        arch::forget_fp_registers(*vcpu);
        make_ready(*vcpu);
      }
      break;
    }
    case abi::Syscall::vcpu_stop:
      status = decode_capability(thread.partition(), frame.x[0], Capability_kind::vcpu, abi::right_control, capability);
      if (status == Status::ok) stop_vcpu_for_its_vmm(thread_object(capability->object));
      break;
    case abi::Syscall::vm_restart: {
      Partition* vm = nullptr;
      status = decode_vm_restart(thread, frame.x[0], vm);
      if (status != Status::ok) break;
      // The status is in the frame: now, or once the VM has restarted.
      return begin_vm_restart(*vm, thread) == Blocked::yes;
    }
    case abi::Syscall::system_off:
      status =
          decode_capability(thread.partition(), frame.x[0], Capability_kind::power, abi::right_control, capability);
      if (status == Status::ok) {
        log("partition {}: thread {} powers the machine off\n", thread.partition().name(), thread.name());
        power_off_with_log();
      }
      break;
    case abi::Syscall::signal:
      status =
          decode_capability(thread.partition(), frame.x[0], Capability_kind::notification, abi::right_send, capability);
      if (status == Status::ok) notification_object(capability->object).signal(capability->badge, &thread);
      break;
    case abi::Syscall::poll:
      status = decode_capability(thread.partition(), frame.x[0], Capability_kind::notification, abi::right_receive,
                                 capability);
      if (status == Status::ok) frame.x[1] = notification_object(capability->object).take();
      break;
    case abi::Syscall::irq_ack:
      status = decode_capability(thread.partition(), frame.x[0], Capability_kind::irq, abi::right_control, capability);
      if (status == Status::ok) acknowledge_irq(capability->object);
      break;
    case abi::Syscall::set_ipc_buffer: {
      uint64_t* buffer = nullptr;
      status = decode_ipc_buffer(thread.partition(), frame.x[0], buffer);
      if (status == Status::ok) thread.ipc_buffer = buffer;
      break;
    }
    default: {
      // Results of these are in the frame already unless they failed.
      const Blocked blocked = handle_ipc_syscall(number, thread, frame, status);
      if (status != Status::ok) frame.x[0] = static_cast<uint64_t>(status);
      return blocked == Blocked::yes;
    }
  }
  frame.x[0] = static_cast<uint64_t>(status);
  return false;
}

}  // namespace kestrel
