// SPDX-License-Identifier: Apache-2.0
// Hostile: a partition whose threads each try one thing a partition must not
// be able to do. Every thread runs this same program; which attack it makes
// follows from where its stack is (the policy, hostile.capnp, gives thread n
// a stack at 0x800000 + n * 0x10000). A thread whose attack faults is stopped
// by the kernel, which logs it; the syscall thread reports what the kernel
// answered to each bad call.
#include <kestrel/syscall.hpp>

namespace {

using kestrel::abi::Status;
using kestrel::abi::Syscall;

constexpr uint64_t console = 0;       // slot 0: signal the victim's notification (a wrong type for console_write)
constexpr uint64_t console_slot = 1;  // slot 1: the kernel console
constexpr uint64_t victim_data = 0x48000000;  // the victim's data, at this fixed physical address
constexpr uint64_t kernel_text = 0x40100000;
constexpr uint64_t kernel_reserved = 0x40000000;
constexpr uint64_t uart = 0x09000000;  // granted to no one here

void print(const char* text) { kestrel::console_print(console_slot, text); }

[[noreturn]] void finish(const char* text) {
  print(text);
  kestrel::thread_exit();
}

int failures = 0;

void expect(Status got, Status wanted, const char* what) {
  if (got == wanted) return;
  ++failures;
  print("FAILED: ");
  print(what);
  print("\n");
}

[[noreturn]] void try_bad_syscalls() {
  static const char text[] = "x";
  const auto here = reinterpret_cast<uint64_t>(text);
  expect(kestrel::console_write(7, text, 1), Status::invalid_capability, "slot 7");
  expect(kestrel::console_write(~0ULL, text, 1), Status::invalid_capability, "slot ~0");
  expect(kestrel::console_write(console, text, 1), Status::wrong_capability_type, "notification as console");
  expect(kestrel::console_write(console_slot, text, kestrel::abi::console_write_max + 1), Status::invalid_argument,
         "too long");
  expect(kestrel::console_write(console_slot, reinterpret_cast<const char*>(kernel_text), 16), Status::bad_address,
         "kernel text");
  expect(kestrel::console_write(console_slot, reinterpret_cast<const char*>(victim_data), 16), Status::bad_address,
         "victim data");
  expect(kestrel::console_write(console_slot, reinterpret_cast<const char*>(uart), 4), Status::bad_address, "uart");
  expect(kestrel::console_write(console_slot, reinterpret_cast<const char*>(~0ULL - 3), 8), Status::bad_address,
         "wrapping buffer");
  expect(kestrel::console_write(console_slot, reinterpret_cast<const char*>(here + 0x1000000), 8), Status::bad_address,
         "unmapped buffer");
  expect(kestrel::recv(console_slot).status, Status::wrong_capability_type, "recv on the console");
  expect(kestrel::recv(console).status, Status::wrong_capability_type, "recv on a notification");
  expect(kestrel::recv(9).status, Status::invalid_capability, "recv on slot 9");
  expect(kestrel::reply_recv(~0ULL, 1, 3).status, Status::invalid_capability, "reply_recv on slot ~0");
  expect(kestrel::vcpu_inject_interrupt(console_slot, 33), Status::wrong_capability_type, "inject through the console");
  expect(kestrel::vcpu_inject_interrupt(console, 33), Status::wrong_capability_type, "inject through a notification");
  expect(kestrel::vcpu_inject_interrupt(~0ULL, 33), Status::invalid_capability, "inject through slot ~0");
  expect(kestrel::vcpu_start(console_slot, 0x4000'0000, 0), Status::wrong_capability_type, "start through the console");
  expect(kestrel::vcpu_start(99, 0x4000'0000, 0), Status::invalid_capability, "start through slot 99");
  expect(kestrel::system_off(console_slot), Status::wrong_capability_type, "power off through the console");
  expect(kestrel::system_off(2), Status::invalid_capability, "power off through slot 2");
  // Every system call that names a capability, with slots outside the table
  // and noise in every other register.
  constexpr Syscall with_capability[] = {
      Syscall::console_write, Syscall::recv, Syscall::reply_recv, Syscall::vcpu_inject_interrupt,
      Syscall::call,          Syscall::send, Syscall::nb_send,    Syscall::signal,
      Syscall::wait,          Syscall::poll, Syscall::irq_ack,    Syscall::vcpu_start,
      Syscall::system_off};
  uint64_t noise = 0x9e3779b97f4a7c15ULL;
  for (const Syscall number : with_capability) {
    constexpr uint64_t bad_slots[] = {2, 0x8000'0000, ~uint64_t{0}};
    for (const uint64_t slot : bad_slots) {
      noise = noise * 6364136223846793005ULL + 1442695040888963407ULL;
      const auto result = kestrel::syscall(number, slot, noise & 0xff, noise >> 7, noise << 3, noise, ~noise);
      expect(result.status, Status::invalid_capability, "a capability slot outside the table");
    }
  }
  // Capabilities of the wrong kind, or without the right.
  const uint64_t words[5] = {1, 2, 3, 4, 5};
  expect(kestrel::call(console, 1, words, 1).status, Status::wrong_capability_type, "call on a notification");
  expect(kestrel::send(console_slot, 1, words, 1), Status::wrong_capability_type, "send on the console");
  expect(kestrel::wait(console).status, Status::missing_right, "wait on a notification it may only signal");
  expect(kestrel::poll(console).status, Status::missing_right, "poll on a notification it may only signal");
  expect(kestrel::irq_ack(console), Status::wrong_capability_type, "irq_ack on a notification");
  expect(kestrel::signal(console_slot), Status::wrong_capability_type, "signal on the console");
  // IPC buffers it does not own, or misaligned.
  expect(kestrel::set_ipc_buffer(reinterpret_cast<uint64_t*>(victim_data)), Status::bad_address,
         "buffer in the victim");
  expect(kestrel::set_ipc_buffer(reinterpret_cast<uint64_t*>(kernel_text)), Status::bad_address,
         "buffer in the kernel");
  expect(kestrel::set_ipc_buffer(reinterpret_cast<uint64_t*>(uart)), Status::bad_address, "buffer on a device");
  expect(kestrel::set_ipc_buffer(reinterpret_cast<uint64_t*>(here + 1)), Status::invalid_argument, "misaligned buffer");
  // A 20-word message (and no IPC buffer) on a notification: the kind is
  // checked before the message.
  expect(kestrel::call(console, 1, words, 20).status, Status::wrong_capability_type, "long call on a notification");
  // Numbers nobody defines, and noise in every argument register.
  for (uint64_t number = kestrel::abi::syscall_count; number < 64; ++number) {
    noise = noise * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto result = kestrel::syscall(static_cast<Syscall>(number), noise, ~noise, noise >> 3, noise << 5, 0, 1);
    expect(result.status, Status::invalid_syscall, "unknown syscall number");
  }
  const auto huge = kestrel::syscall(static_cast<Syscall>(~0ULL));
  expect(huge.status, Status::invalid_syscall, "syscall ~0");
  finish(failures == 0 ? "syscalls: every bad call was refused with the right status\n"
                       : "syscalls: some bad calls were not refused\n");
}

volatile uint64_t sink;

[[noreturn]] void attack(unsigned role) {
  switch (role) {
    case 0:
      try_bad_syscalls();
    case 1:  // write the victim's memory
      *reinterpret_cast<volatile uint64_t*>(victim_data) = 0xbad;
      break;
    case 2:  // read the kernel's memory
      sink = *reinterpret_cast<volatile uint64_t*>(kernel_reserved);
      break;
    case 3:  // overwrite the kernel's code
      *reinterpret_cast<volatile uint64_t*>(kernel_text) = 0;
      break;
    case 4:  // poke a device it was not granted
      *reinterpret_cast<volatile uint32_t*>(uart) = 'X';
      break;
    case 5:  // an EL1 system register
      asm volatile("msr sctlr_el1, xzr");
      break;
    case 6:  // an EL2 system register
      asm volatile("msr hcr_el2, xzr");
      break;
    case 7:
      asm volatile("smc #0");
      break;
    case 8:
      asm volatile("hvc #0");
      break;
    case 9:  // jump into the kernel
      reinterpret_cast<void (*)()>(kernel_text)();
      break;
    case 10:                                                 // overwrite its own code, which stage 2 maps read-only
      *reinterpret_cast<volatile uint64_t*>(0x20'0000) = 0;  // the start of its "code" region
      break;
    default:
      break;
  }
  finish("an attack was not stopped\n");
}

}  // namespace

extern "C" int main() {
  uint64_t sp;
  asm volatile("mov %0, sp" : "=r"(sp));
  attack(static_cast<unsigned>((sp - 0x800000) >> 16));
}
