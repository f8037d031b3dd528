// SPDX-License-Identifier: Apache-2.0
// Fault monitor: serves the endpoint other partitions' threads send their
// faults to; prints each one and stops the faulting thread.
#include <kestrel/syscall.hpp>

namespace {

constexpr uint64_t faults = 0;   // slot 0: receive on "faults"
constexpr uint64_t console = 1;  // slot 1: the kernel console

}  // namespace

extern "C" int main() {
  auto message = kestrel::recv(faults);
  for (;;) {
    if (message.kind == kestrel::abi::Exit_kind::thread_fault) {
      kestrel::console_print(console, "a thread faulted at pc ");
      kestrel::console_print_hex(console, message.value);
      kestrel::console_print(console, " on address ");
      kestrel::console_print_hex(console, message.address);
      kestrel::console_print(console, "; stopping it\n");
    }
    message = kestrel::reply_recv(faults, 0, kestrel::abi::reply_stop);
  }
}
