// SPDX-License-Identifier: Apache-2.0
// Fault monitor: serves the endpoint other partitions' threads send their
// faults to; prints each one and stops the faulting thread.
#include <kestrel/syscall.hpp>

namespace {

constexpr uint64_t faults = 0;   // slot 0: receive on "faults"
constexpr uint64_t console = 1;  // slot 1: the kernel console

void print_hex(uint64_t value) {
  char text[19] = "0x";
  for (int i = 0; i < 16; ++i) text[2 + i] = "0123456789abcdef"[(value >> (60 - 4 * i)) & 0xf];
  text[18] = '\0';
  kestrel::console_print(console, text);
}

}  // namespace

extern "C" int main() {
  auto message = kestrel::recv(faults);
  for (;;) {
    if (message.kind == kestrel::abi::Exit_kind::thread_fault) {
      kestrel::console_print(console, "a thread faulted at pc ");
      print_hex(message.value);
      kestrel::console_print(console, " on address ");
      print_hex(message.address);
      kestrel::console_print(console, "; stopping it\n");
    }
    message = kestrel::reply_recv(faults, 0, kestrel::abi::reply_stop);
  }
}
