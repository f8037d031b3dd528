// SPDX-License-Identifier: Apache-2.0
// Faulty: writes to an address its partition has no memory at. Its policy
// names a fault handler, which gets the fault as a message.
#include <kestrel/syscall.hpp>

extern "C" int main() {
  kestrel::console_print(0, "about to write to 0x1000000\n");
  *reinterpret_cast<volatile uint64_t*>(0x100'0000) = 0xdead;
  kestrel::console_print(0, "the fault handler let me go on\n");
  kestrel::thread_exit();
}
