// SPDX-License-Identifier: Apache-2.0
// Console: the kernel log on QEMU virt's PL011 UART.
//
// QEMU's firmware-less boot leaves the PL011 enabled at a fixed baud rate, so
// the kernel only writes characters; the console driver partition owns the
// UART for everything else.
#include <board/board.hpp>
#include <kestrel/bitfield.hpp>
#include <kestrel/log.hpp>
#include <kestrel/version.hpp>

namespace kestrel {

const char* const kestrel_board_name = board::name;

namespace {

constexpr uint64_t uart_data = board::uart_base + 0x000;   // UARTDR
constexpr uint64_t uart_flags = board::uart_base + 0x018;  // UARTFR
using Flag_transmit_full = Bitflag<5>;                     // UARTFR.TXFF

volatile uint32_t& uart_register(uint64_t address) { return *reinterpret_cast<volatile uint32_t*>(address); }

void put_char(char c) {
  while (Flag_transmit_full::get(uart_register(uart_flags)) != 0) {
  }
  uart_register(uart_data) = static_cast<uint8_t>(c);
}

}  // namespace

void console_write(const char* text, size_t length) {
  for (size_t i = 0; i < length; ++i) {
    if (text[i] == '\n') put_char('\r');
    put_char(text[i]);
  }
}

}  // namespace kestrel
