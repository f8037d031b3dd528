// SPDX-License-Identifier: Apache-2.0
// Guest console: how the bare-metal test guests print, through the PL011
// their VMM emulates (each store to UARTDR is an MMIO exit), and their PSCI
// calls through HVC.
#pragma once

#include <cstdint>

// The second vCPU's entry for PSCI CPU_ON (secondary_start.S): a stack of
// its own, then the guest's secondary_main(context).
extern "C" char secondary_start[];
extern "C" [[noreturn]] void secondary_main(uint64_t context);

namespace guest {

constexpr uint64_t uart_data = 0x0900'0000;  // emulated PL011 UARTDR
constexpr uint64_t psci_cpu_on = 0xc400'0003;
constexpr uint64_t psci_system_off = 0x8400'0008;

inline void put(char c) { *reinterpret_cast<volatile uint32_t*>(uart_data) = static_cast<uint8_t>(c); }

inline void print(const char* text) {
  while (*text != '\0') put(*text++);
}

// "0x" and the low 32 bits in eight hexadecimal digits.
inline void print_hex(uint64_t value) {
  print("0x");
  for (int shift = 28; shift >= 0; shift -= 4) put("0123456789abcdef"[(value >> shift) & 0xf]);
}

inline void print_decimal(uint64_t value) {
  char digits[20];
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (count > 0) put(digits[--count]);
}

// An SMCCC call through HVC: the function in x0, arguments in x1-x3; x0
// comes back.
inline uint64_t hypercall(uint64_t function, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0) {
  register uint64_t x0 asm("x0") = function;
  register uint64_t x1 asm("x1") = a1;
  register uint64_t x2 asm("x2") = a2;
  register uint64_t x3 asm("x3") = a3;
  asm volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
  return x0;
}

[[noreturn]] inline void power_off() {
  hypercall(psci_system_off);
  for (;;) asm volatile("wfi");
}

}  // namespace guest
