// SPDX-License-Identifier: Apache-2.0
// PL011: the registers of the Arm PrimeCell UART (ARM DDI 0183) the console
// driver uses, at the address the policy maps it (its physical address).
#pragma once

#include <cstdint>

namespace pl011 {

inline constexpr uint64_t base = 0x0900'0000;
inline constexpr uint64_t data = base + 0x000;                         // UARTDR
inline constexpr uint64_t flags = base + 0x018;                        // UARTFR
inline constexpr uint64_t interrupt_mask = base + 0x038;               // UARTIMSC
inline constexpr uint64_t interrupt_clear = base + 0x044;              // UARTICR
inline constexpr uint32_t transmit_full = 1U << 5;                     // FR.TXFF
inline constexpr uint32_t receive_empty = 1U << 4;                     // FR.RXFE
inline constexpr uint32_t receive_interrupts = (1U << 4) | (1U << 6);  // RXIM, RTIM

inline uint32_t read(uint64_t address) { return *reinterpret_cast<volatile uint32_t*>(address); }
inline void write(uint64_t address, uint32_t value) { *reinterpret_cast<volatile uint32_t*>(address) = value; }

inline void put(char c) {
  while ((read(flags) & transmit_full) != 0) {
  }
  write(data, static_cast<uint8_t>(c));
}

// The next received character, or -1 if none is waiting.
inline int get() { return (read(flags) & receive_empty) != 0 ? -1 : static_cast<int>(read(data) & 0xff); }

}  // namespace pl011
