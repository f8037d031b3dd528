// SPDX-License-Identifier: Apache-2.0
// IPC benchmark VMM: answers the guest's (guest.cpp) stores to its benchmark
// register at once, before anything else, so that the guest times the
// bare exit round trip; forwards each line the guest writes to its emulated
// PL011 to the console in one write (its RESULT line); stops the vCPU on
// PSCI SYSTEM_OFF. Patterned on tests/target/partitions/vmm_test.cpp.
#include <kestrel/syscall.hpp>

namespace {

using kestrel::abi::Exit_kind;

constexpr uint64_t exits = 0;  // slot 0: receive on "guest.exits"
constexpr uint64_t console = 2;
constexpr uint64_t uart_data = 0x0900'0000;
constexpr uint64_t bench_register = 0x0a00'0000;
constexpr uint64_t psci_system_off = 0x8400'0008;

char line[192];
uint64_t line_length = 0;

void guest_wrote(char c) {
  if (line_length < sizeof line) line[line_length++] = c;
  if (c == '\n' || line_length == sizeof line) {
    kestrel::console_write(console, line, line_length);
    line_length = 0;
  }
}

}  // namespace

extern "C" int main() {
  constexpr uint64_t resume[5] = {0, kestrel::abi::reply_resume, 0, 0, 0};
  auto message = kestrel::receive(exits);
  for (;;) {
    // Words of an exit: vCPU, address, value, size.
    if (message.words[1] == bench_register) {
      message = kestrel::reply_and_receive(exits, 0, resume, 2);
      continue;
    }
    const auto exit = kestrel::exit_of(message);
    uint64_t flags = kestrel::abi::reply_resume;
    if (exit.kind == Exit_kind::mmio_write && exit.address == uart_data) {
      guest_wrote(static_cast<char>(exit.value));
    } else if (exit.kind == Exit_kind::hypercall && exit.address == psci_system_off) {
      flags = kestrel::abi::reply_stop;
    } else {
      kestrel::console_print_line(console, "FAILED: unexpected exit at ", exit.address);
      flags = kestrel::abi::reply_stop;
    }
    const uint64_t answer[5] = {0, flags, 0, 0, 0};
    message = kestrel::reply_and_receive(exits, 0, answer, 2);
  }
}
