// SPDX-License-Identifier: Apache-2.0
// MMIO guest: a bare-metal program at EL1 whose every device access traps to
// its VMM. It prints through an emulated PL011, writes a value to an
// emulated register and reads the VMM's answer back, then asks for PSCI
// SYSTEM_OFF with HVC. Narrower reads of the same register get the low
// bytes of the answer, and a hypercall's answer comes back in x0 (SMCCC
// VERSION): the same on the kernel's general path and its fast path
// (vm-mmio.capnp and vm-mmio-passive.capnp run it on each).
#include <cstdint>

#include "guest_console.hpp"

namespace {

using namespace guest;

constexpr uint64_t scratch = 0x0a00'0100;  // the VMM's test register
constexpr uint64_t smccc_version = 0x8000'0000;

}  // namespace

extern "C" void guest_main() {
  uint64_t current_el;
  asm volatile("mrs %0, CurrentEL" : "=r"(current_el));
  print(((current_el >> 2) & 3) == 1 ? "hello from a guest at EL1\n" : "not at EL1?\n");
  *reinterpret_cast<volatile uint32_t*>(scratch) = 0x1234;
  const uint32_t answer = *reinterpret_cast<volatile uint32_t*>(scratch);
  print("the register read back ");
  print_hex(answer);
  print("\n");
  const uint8_t low_byte = *reinterpret_cast<volatile uint8_t*>(scratch);
  const uint16_t low_half = *reinterpret_cast<volatile uint16_t*>(scratch);
  print("byte and halfword reads gave ");
  print_hex(low_byte);
  print(" and ");
  print_hex(low_half);
  print("\nSMCCC VERSION answered ");
  print_hex(hypercall(smccc_version));
  print("\n");
  hypercall(psci_system_off);
}
