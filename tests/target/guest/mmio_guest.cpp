// SPDX-License-Identifier: Apache-2.0
// MMIO guest: a bare-metal program at EL1 whose every device access traps to
// its VMM. It prints through an emulated PL011, writes a value to an
// emulated register and reads the VMM's answer back, then asks for PSCI
// SYSTEM_OFF with HVC.
#include <cstdint>

namespace {

constexpr uint64_t uart_data = 0x0900'0000;  // emulated PL011 UARTDR
constexpr uint64_t scratch = 0x0a00'0100;    // the VMM's test register
constexpr uint64_t psci_system_off = 0x8400'0008;

void put(char c) { *reinterpret_cast<volatile uint32_t*>(uart_data) = static_cast<uint8_t>(c); }

void print(const char* text) {
  while (*text != '\0') put(*text++);
}

void print_hex(uint64_t value) {
  print("0x");
  for (int shift = 28; shift >= 0; shift -= 4) put("0123456789abcdef"[(value >> shift) & 0xf]);
}

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
  register uint64_t x0 asm("x0") = psci_system_off;
  asm volatile("hvc #0" : "+r"(x0) : : "memory");
}
