// SPDX-License-Identifier: Apache-2.0
// Syscall: decoding (every argument checked, no side effects) then invoking
// (cannot fail for the arguments' sake) each system call.
//
// Each call's registers are read once into its argument view
// (syscall_arguments.hpp); its decode step turns the view into checked
// operands or a status; its invoke step gives a Result (result.hpp).
#include <kestrel/abi/syscall.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/cpu.hpp>
#include <kestrel/endpoint.hpp>
#include <kestrel/ipc.hpp>
#include <kestrel/irq.hpp>
#include <kestrel/log.hpp>
#include <kestrel/memory_map.hpp>
#include <kestrel/notification.hpp>
#include <kestrel/result.hpp>
#include <kestrel/scheduler.hpp>
#include <kestrel/syscall_arguments.hpp>
#include <kestrel/syscall_handler.hpp>
#include <kestrel/virtual_interrupts.hpp>
#include <kestrel/vm_restart.hpp>

namespace kestrel {
namespace {

using abi::Capability_kind;
using abi::Status;
using syscall::Capability_arguments;
using syscall::Capability_slot;
using syscall::Decoded;

using Decoded_capability = Decoded<const abi::Capability_entry*>;

// Invokes `invoke` with the checked operands, or reports why decoding
// refused the call (nothing happened then).
template <typename Invocation, typename Invoke>
Result then_invoke(const Decoded<Invocation>& decoded, Invoke invoke) {
  if (decoded.status != Status::ok) return Result::done(decoded.status);
  return invoke(decoded.invocation);
}

// Decode: the capability in `slot` exists, is of `kind` and has `right`.
// Inline: the slow paths' figures (Send) count the call it would cost.
[[gnu::always_inline]] inline Decoded_capability decode_capability(const Partition& partition, Capability_slot slot,
                                                                   Capability_kind kind, uint32_t right) {
  const abi::Capability_entry* capability = partition.capability(slot.index);
  if (capability == nullptr) return Decoded_capability::failed(Status::invalid_capability);
  if (capability->kind != static_cast<uint32_t>(kind)) return Decoded_capability::failed(Status::wrong_capability_type);
  if ((capability->rights & right) == 0) return Decoded_capability::failed(Status::missing_right);
  return Decoded_capability::ok(capability);
}

struct Console_write {
  const uint8_t* text;
  uint64_t length;
};

// Decode: a console capability with the send right, and a buffer in the
// partition's readable memory.
Decoded<Console_write> decode_console_write(const Partition& partition,
                                            const syscall::Console_write_arguments& arguments) {
  using D = Decoded<Console_write>;
  const Decoded_capability console =
      decode_capability(partition, arguments.console, Capability_kind::console, abi::right_send);
  if (console.status != Status::ok) return D::failed(console.status);
  if (arguments.length > abi::console_write_max) return D::failed(Status::invalid_argument);
  if (arguments.length == 0) return D::ok({nullptr, 0});
  const uint8_t* text = partition.readable(arguments.buffer, arguments.length);
  if (text == nullptr) return D::failed(Status::bad_address);
  return D::ok({text, arguments.length});
}

// Invoke: each line is prefixed with the partition's name.
Result invoke_console_write(Partition& partition, const Console_write& call) {
  for (uint64_t i = 0; i < call.length; ++i) {
    if (!partition.console_mid_line) log("{}: ", partition.name());
    const char c = static_cast<char>(call.text[i]);
    log_write(&c, 1);
    partition.console_mid_line = c != '\n';
  }
  return Result::done();
}

// Decode: a message the thread may send: not too long, words beyond the
// registers only with an IPC buffer, no label reserved for the kernel.
Status decode_message(const Thread& thread, syscall::Message_info info) {
  if (info.length() > abi::max_message_words) return Status::invalid_argument;
  if (info.length() > abi::message_register_words && thread.ipc_buffer == nullptr) return Status::invalid_argument;
  if (info.label() >= abi::kernel_label_base) return Status::invalid_argument;
  return Status::ok;
}

// Decode for call, send and nb_send: an endpoint with the send right, and a
// message the thread may send. The checked endpoint capability (its object
// and badge) is the invocation.
Decoded_capability decode_send(const Thread& thread, const syscall::Send_arguments& arguments) {
  const Decoded_capability endpoint =
      decode_capability(thread.partition(), arguments.endpoint, Capability_kind::endpoint, abi::right_send);
  if (endpoint.status != Status::ok) return endpoint;
  if (const Status message = decode_message(thread, arguments.info); message != Status::ok) {
    return Decoded_capability::failed(message);
  }
  // Nobody could ever receive it: say so now rather than block for ever.
  if (endpoint_server_stopped(endpoint_object(endpoint.invocation->object))) {
    return Decoded_capability::failed(Status::peer_stopped);
  }
  return endpoint;
}

struct Receive {
  Endpoint* endpoint;
  Notification* also;  // null if the call names none
};

// Decode for recv and reply_recv (`replies`): an endpoint with the receive
// right, a reply the thread may send (unless it answers a kernel message),
// a notification with the receive right if x1 names one, and a receive that
// will not be refused (another thread waits on the endpoint, or on `also`,
// and nothing is there to take), so that reply_recv never delivers its
// reply and then fails.
Decoded<Receive> decode_receive(const Thread& thread, const syscall::Receive_arguments& arguments, bool replies) {
  using D = Decoded<Receive>;
  const Partition& partition = thread.partition();
  const Decoded_capability endpoint =
      decode_capability(partition, arguments.endpoint, Capability_kind::endpoint, abi::right_receive);
  if (endpoint.status != Status::ok) return D::failed(endpoint.status);
  if (replies && thread.reply_to != nullptr && !thread.reply_to->kernel_message) {
    if (const Status reply = decode_message(thread, arguments.reply_info); reply != Status::ok) return D::failed(reply);
  }
  Notification* also = nullptr;
  if (arguments.with_notification) {
    const Decoded_capability notification =
        decode_capability(partition, arguments.notification, Capability_kind::notification, abi::right_receive);
    if (notification.status != Status::ok) return D::failed(notification.status);
    also = &notification_object(notification.invocation->object);
  }
  Endpoint& object = endpoint_object(endpoint.invocation->object);
  if (!object.has_senders()) {
    if (object.receiver != nullptr && object.receiver != &thread) return D::failed(Status::would_deadlock);
    if (also != nullptr && !also->has_word() && also->waiter() != nullptr && also->waiter() != &thread) {
      return D::failed(Status::would_deadlock);
    }
  }
  return D::ok({&object, also});
}

struct Notification_use {
  Notification* notification;
  uint64_t badge;
};

// Decode for signal (send right), wait and poll (receive right).
Decoded<Notification_use> decode_notification(const Partition& partition, const Capability_arguments& arguments,
                                              uint32_t right) {
  using D = Decoded<Notification_use>;
  const Decoded_capability capability =
      decode_capability(partition, arguments.capability, Capability_kind::notification, right);
  if (capability.status != Status::ok) return D::failed(capability.status);
  return D::ok({&notification_object(capability.invocation->object), capability.invocation->badge});
}

// Decode: a vCPU capability with the control right.
Decoded<Thread*> decode_vcpu(const Partition& partition, Capability_slot slot) {
  const Decoded_capability capability = decode_capability(partition, slot, Capability_kind::vcpu, abi::right_control);
  if (capability.status != Status::ok) return Decoded<Thread*>::failed(capability.status);
  return Decoded<Thread*>::ok(&thread_object(capability.invocation->object));
}

struct Vcpu_inject {
  Thread* vcpu;
  uint32_t intid;
};

// Decode for vcpu_inject_interrupt: a vCPU capability with the control
// right, and an interrupt ID a vCPU can be given.
Decoded<Vcpu_inject> decode_vcpu_inject(const Partition& partition, const syscall::Vcpu_inject_arguments& arguments) {
  using D = Decoded<Vcpu_inject>;
  const Decoded<Thread*> vcpu = decode_vcpu(partition, arguments.vcpu);
  if (vcpu.status != Status::ok) return D::failed(vcpu.status);
  if (arguments.intid > arch::max_injected_intid) return D::failed(Status::invalid_argument);
  return D::ok({vcpu.invocation, static_cast<uint32_t>(arguments.intid)});
}

// Decode for vcpu_start: a vCPU capability with the control right, for a
// vCPU that has never run (of a partition that may start).
Decoded<Thread*> decode_vcpu_start(const Partition& partition, const syscall::Vcpu_start_arguments& arguments) {
  const Decoded<Thread*> vcpu = decode_vcpu(partition, arguments.vcpu);
  if (vcpu.status != Status::ok) return vcpu;
  const Thread& target = *vcpu.invocation;
  if (target.state != Thread::State::inactive || !target.partition().may_start) {
    return Decoded<Thread*>::failed(Status::invalid_argument);
  }
  return vcpu;
}

// Invoke for vcpu_start.
Result invoke_vcpu_start(Thread& vcpu, const syscall::Vcpu_start_arguments& arguments) {
  vcpu.start_vcpu(arguments.entry, arguments.first_x0);
  // It never ran (inactive), so this finds nothing to forget; it keeps the
  // zeroed state safe should that ever change.
  arch::forget_fp_registers(vcpu);
  make_ready(vcpu);
  return Result::done();
}

// Invoke for vcpu_stop: a vCPU its VMM stops: at once, unless it waits for
// the VMM's answer to an exit (queued on the exit endpoint, or being
// served), which then stops it. One running on another CPU leaves it at
// that CPU's next kernel entry, which the kick makes soon.
Result stop_vcpu_for_its_vmm(Thread& vcpu) {
  if (vcpu.state == Thread::State::stopped) return Result::done();
  if (vcpu.kernel_message &&
      (vcpu.state == Thread::State::blocked_call || vcpu.state == Thread::State::blocked_reply)) {
    vcpu.stop_when_answered = true;
    return Result::done();
  }
  const bool running_elsewhere = vcpu.state == Thread::State::ready && vcpu.cpu() != arch::current_cpu();
  log("partition {}: {} stopped by its VMM\n", vcpu.partition().name(), vcpu.name());
  stop_thread(vcpu);
  if (running_elsewhere) arch::kick_cpu(vcpu.cpu());
  return Result::done();
}

// Decode for set_ipc_buffer: 0 (none), or ipc_buffer_size bytes of the
// partition's writable memory, 8-byte aligned.
Decoded<uint64_t*> decode_ipc_buffer(const Partition& partition, const syscall::Ipc_buffer_arguments& arguments) {
  using D = Decoded<uint64_t*>;
  if (arguments.address == 0) return D::ok(nullptr);
  if (arguments.address % 8 != 0) return D::failed(Status::invalid_argument);
  uint8_t* memory = partition.writable(arguments.address, abi::ipc_buffer_size);
  if (memory == nullptr) return D::failed(Status::bad_address);
  return D::ok(reinterpret_cast<uint64_t*>(memory));
}

Result other_syscall(abi::Syscall number, Thread& thread, arch::Exception_frame& frame);

// The calls that block or pass messages, dispatched first: they are the
// slow paths' common case (Send, a receive); their other results are in the
// frame. Inline into handle_syscall: one call frame fewer on every slow path.
[[gnu::always_inline]] inline Result message_syscall(abi::Syscall number, Thread& thread,
                                                     arch::Exception_frame& frame) {
  switch (number) {
    case abi::Syscall::call:
    case abi::Syscall::send:
    case abi::Syscall::nb_send:
      return then_invoke(decode_send(thread, syscall::Send_arguments::from(frame)),
                         [&](const abi::Capability_entry* capability) {
                           Endpoint& endpoint = endpoint_object(capability->object);
                           if (number == abi::Syscall::call)
                             return ipc_call(thread, frame, endpoint, capability->badge);
                           if (number == abi::Syscall::send)
                             return ipc_send(thread, frame, endpoint, capability->badge);
                           return ipc_send_if_received(thread, frame, endpoint, capability->badge);
                         });
    case abi::Syscall::recv:
    case abi::Syscall::reply_recv: {
      const bool replies = number == abi::Syscall::reply_recv;
      return then_invoke(decode_receive(thread, syscall::Receive_arguments::from(frame), replies),
                         [&](const Receive& call) {
                           // Neither half can fail now.
                           if (replies) ipc_reply(thread, frame);
                           return ipc_receive(thread, frame, *call.endpoint, call.also);
                         });
    }
    case abi::Syscall::signal:
      return then_invoke(decode_notification(thread.partition(), Capability_arguments::from(frame), abi::right_send),
                         [&](const Notification_use& use) {
                           use.notification->signal(use.badge, &thread);
                           return Result::done();
                         });
    case abi::Syscall::wait:
      return then_invoke(decode_notification(thread.partition(), Capability_arguments::from(frame), abi::right_receive),
                         [&](const Notification_use& use) { return use.notification->wait(thread, frame); });
    case abi::Syscall::poll:
      return then_invoke(decode_notification(thread.partition(), Capability_arguments::from(frame), abi::right_receive),
                         [&](const Notification_use& use) {
                           frame.x[1] = use.notification->take();
                           return Result::done();
                         });
    default:
      return other_syscall(number, thread, frame);
  }
}

// Every other call: threads, vCPUs, VMs, devices and the machine.
Result other_syscall(abi::Syscall number, Thread& thread, arch::Exception_frame& frame) {
  Partition& partition = thread.partition();
  switch (number) {
    case abi::Syscall::console_write:
      return then_invoke(decode_console_write(partition, syscall::Console_write_arguments::from(frame)),
                         [&](const Console_write& call) { return invoke_console_write(partition, call); });
    case abi::Syscall::thread_exit:
      log("partition {}: thread {} exited\n", partition.name(), thread.name());
      stop_thread(thread);
      return Result::blocked();
    case abi::Syscall::yield:
      cpu_scheduler(thread.cpu()).current_yields = true;  // after its equals
      return Result::done_then_reschedule();
    case abi::Syscall::vcpu_inject_interrupt:
      return then_invoke(decode_vcpu_inject(partition, syscall::Vcpu_inject_arguments::from(frame)),
                         [](const Vcpu_inject& call) {
                           deliver_virtual_interrupt(*call.vcpu, call.intid);
                           return Result::done();
                         });
    case abi::Syscall::vcpu_start: {
      const auto arguments = syscall::Vcpu_start_arguments::from(frame);
      return then_invoke(decode_vcpu_start(partition, arguments),
                         [&](Thread* vcpu) { return invoke_vcpu_start(*vcpu, arguments); });
    }
    case abi::Syscall::vcpu_stop:
      return then_invoke(decode_vcpu(partition, Capability_arguments::from(frame).capability),
                         [](Thread* vcpu) { return stop_vcpu_for_its_vmm(*vcpu); });
    case abi::Syscall::vm_restart:
      // Done now, or once the VM has restarted.
      return then_invoke(decode_vm_restart(thread, Capability_arguments::from(frame).capability.index),
                         [&](Partition* vm) { return begin_vm_restart(*vm, thread); });
    case abi::Syscall::system_off:
      return then_invoke(decode_capability(partition, Capability_arguments::from(frame).capability,
                                           Capability_kind::power, abi::right_control),
                         [&](const abi::Capability_entry*) {
                           log("partition {}: thread {} powers the machine off\n", partition.name(), thread.name());
                           power_off_with_log();
                           return Result::done();
                         });
    case abi::Syscall::irq_ack:
      return then_invoke(decode_capability(partition, Capability_arguments::from(frame).capability,
                                           Capability_kind::irq, abi::right_control),
                         [](const abi::Capability_entry* irq) {
                           acknowledge_irq(irq->object);
                           return Result::done();
                         });
    case abi::Syscall::memory_map:
      return then_invoke(decode_memory_map(partition, syscall::Memory_map_arguments::from(frame)),
                         [](const Memory_map& call) { return invoke_memory_map(call); });
    case abi::Syscall::memory_unmap:
      return then_invoke(decode_memory_unmap(partition, syscall::Memory_unmap_arguments::from(frame)),
                         [](const Memory_unmap& call) { return invoke_memory_unmap(call); });
    case abi::Syscall::set_ipc_buffer:
      return then_invoke(decode_ipc_buffer(partition, syscall::Ipc_buffer_arguments::from(frame)),
                         [&](uint64_t* buffer) {
                           thread.ipc_buffer = buffer;
                           return Result::done();
                         });
    default:
      return Result::done(Status::invalid_syscall);
  }
}

}  // namespace

bool handle_syscall(Thread& thread, arch::Exception_frame& frame) {
  const Result result = message_syscall(static_cast<abi::Syscall>(frame.x[8]), thread, frame);
  if (result.status_now()) frame.x[0] = static_cast<uint64_t>(result.status());
  return result.reschedule();
}

}  // namespace kestrel
