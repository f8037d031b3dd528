// SPDX-License-Identifier: Apache-2.0
// VMM test: a user-level VMM for mmio_guest.cpp and irq_guest.cpp. It
// receives the guest's exits on its endpoint: emulates a PL011 (printing each
// line the guest writes), a scratch register (a read answers the last value
// written with its upper half set), a doorbell (injects the interrupt whose
// ID is written) and PSCI SYSTEM_OFF (stops the vCPU).
#include <kestrel/syscall.hpp>

namespace {

using kestrel::abi::Exit_kind;

constexpr uint64_t exits = 0;  // slot 0: receive on "guest.exits"
constexpr uint64_t vcpu = 1;   // slot 1: the control of the guest's vCPU
constexpr uint64_t console = 2;
constexpr uint64_t uart_data = 0x0900'0000;
constexpr uint64_t scratch = 0x0a00'0100;
constexpr uint64_t doorbell = 0x0a00'0200;
constexpr uint64_t psci_system_off = 0x8400'0008;

char line[128];
uint64_t line_length = 0;
uint64_t scratch_value = 0;

void print(const char* text) { kestrel::console_print(console, text); }

void guest_wrote(char c) {
  if (line_length < sizeof line) line[line_length++] = c;
  if (c == '\n' || line_length == sizeof line) {
    print("guest says: ");
    kestrel::console_write(console, line, line_length);
    line_length = 0;
  }
}

}  // namespace

extern "C" int main() {
  auto exit = kestrel::recv(exits);
  for (;;) {
    uint64_t value = 0;
    uint64_t flags = kestrel::abi::reply_resume;
    if (exit.kind == Exit_kind::mmio_write && exit.address == uart_data) {
      guest_wrote(static_cast<char>(exit.value));
    } else if (exit.kind == Exit_kind::mmio_write && exit.address == scratch) {
      scratch_value = exit.value;
    } else if (exit.kind == Exit_kind::mmio_write && exit.address == doorbell) {
      const auto status = kestrel::vcpu_inject_interrupt(vcpu, static_cast<uint32_t>(exit.value));
      print(status == kestrel::abi::Status::ok ? "injected interrupt " : "could not inject interrupt ");
      kestrel::console_print_hex(console, exit.value);
      print("\n");
    } else if (exit.kind == Exit_kind::mmio_read && exit.address == scratch) {
      value = scratch_value | 0xffff'0000;
      print("read of the scratch register answered with ");
      kestrel::console_print_hex(console, value);
      print("\n");
    } else if (exit.kind == Exit_kind::hypercall && exit.address == psci_system_off) {
      print("the guest asked for PSCI SYSTEM_OFF, stopping its vCPU\n");
      flags = kestrel::abi::reply_stop;
    } else {
      print("unexpected exit ");
      kestrel::console_print_hex(console, static_cast<uint64_t>(exit.kind));
      print(" at ");
      kestrel::console_print_hex(console, exit.address);
      print("; stopping the vCPU\n");
      flags = kestrel::abi::reply_stop;
    }
    exit = kestrel::reply_recv(exits, value, flags);
  }
}
