// SPDX-License-Identifier: Apache-2.0
// PL011 UART model (one 4 KiB frame), for Linux's amba-pl011.c: its console
// polls FR and writes DR; its tty sends from the TXIM interrupt while
// FR.TXFF is clear and receives on RXIM/RTIM. The ID registers say an Arm
// PL011 r1p5, as QEMU's does.
//
// Transmit: a byte written to DR goes straight to the Output (any type with
// `void put(char)`), whether or not the guest enabled the UART or its
// transmitter (a real PL011 would hold it in the FIFO until then; early
// console output comes before Linux enables anything). So the TX FIFO is
// always empty: FR.TXFE = 1, TXFF = BUSY = 0, and the TX interrupt (FIFO at
// or below its trigger level) is raised while UARTEN and TXE are set.
// With CR.LBE (loopback) the byte comes back in as received instead.
//
// Receive: a ring of rx_capacity bytes, fed by receive(). RXRIS and RTIS are
// set when a byte arrives (the receive timeout is taken to have passed at
// once) and clear when the ring runs empty or the guest writes ICR. A byte
// that finds the ring full is dropped and raises the overrun interrupt
// (OEIS, RSR.OE); a VMM that feeds no more than rx_space() never loses one.
//
// Not there: baud rate, data format and flow control are kept for reading
// back but do nothing; no modem lines (FR's CTS/DSR/DCD/RI read 0), no
// framing, parity or break errors, no DMA (DMACR kept, never used), no IrDA.
// Accesses of 1, 2 or 4 bytes reach a register (Linux uses 16-bit
// accesses unless the device tree says reg-io-width = 4; earlycon writes
// bytes); anything else reads as zero and ignores writes.
//
// How a VMM loop uses it:
//
//   struct Console_output {
//     kestrel::vmm::Line_buffer<128> line;
//     void put(char c) { if (line.put(c)) { kestrel::console_write(console, line.data(), line.size()); line.clear(); }
//     }
//   };
//   kestrel::vmm::Pl011<Console_output> uart;
//   ... on an MMIO exit in the UART's 4 KiB at 0x0900'0000:
//   if (read) value = uart.read(offset, size); else uart.write(offset, size, exit.value);
//   ... on input from the console: uart.receive(bytes, count);
//   ... after either:
//   switch (uart.take_level_change()) {
//     case Level_change::rose: inject(gic.raise_spi(33)); break;
//     case Level_change::fell: gic.lower_spi(33); break;
//     case Level_change::none: break;
//   }
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/vmm/mmio.hpp>

namespace kestrel::vmm {

namespace pl011 {

inline constexpr uint64_t frame_size = 0x1000;
inline constexpr uint64_t dr = 0x000;
inline constexpr uint64_t rsr_ecr = 0x004;
inline constexpr uint64_t fr = 0x018;
inline constexpr uint64_t ilpr = 0x020;
inline constexpr uint64_t ibrd = 0x024;
inline constexpr uint64_t fbrd = 0x028;
inline constexpr uint64_t lcr_h = 0x02c;
inline constexpr uint64_t cr = 0x030;
inline constexpr uint64_t ifls = 0x034;
inline constexpr uint64_t imsc = 0x038;
inline constexpr uint64_t ris = 0x03c;
inline constexpr uint64_t mis = 0x040;
inline constexpr uint64_t icr = 0x044;
inline constexpr uint64_t dmacr = 0x048;
inline constexpr uint64_t periph_id0 = 0xfe0;  // PeriphID0-3, then PCellID0-3
inline constexpr uint8_t id_bytes[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

inline constexpr uint32_t fr_busy = 1u << 3;
inline constexpr uint32_t fr_rxfe = 1u << 4;
inline constexpr uint32_t fr_txff = 1u << 5;
inline constexpr uint32_t fr_rxff = 1u << 6;
inline constexpr uint32_t fr_txfe = 1u << 7;

inline constexpr uint32_t cr_uarten = 1u << 0;
inline constexpr uint32_t cr_lbe = 1u << 7;
inline constexpr uint32_t cr_txe = 1u << 8;
inline constexpr uint32_t cr_rxe = 1u << 9;
inline constexpr uint32_t cr_reset = cr_txe | cr_rxe;
inline constexpr uint32_t ifls_reset = 0x12;  // both FIFOs at half

// Interrupt bits (RIS, MIS, IMSC, ICR).
inline constexpr uint32_t int_rx = 1u << 4;
inline constexpr uint32_t int_tx = 1u << 5;
inline constexpr uint32_t int_rt = 1u << 6;
inline constexpr uint32_t int_oe = 1u << 10;
inline constexpr uint32_t int_all = 0x7ff;

inline constexpr uint32_t rsr_oe = 1u << 3;

}  // namespace pl011

// Collects output bytes into lines: put() says when the line is complete
// (a '\n', or the buffer full) and the owner should write it and clear().
template <size_t Capacity>
class Line_buffer {
 public:
  constexpr bool put(char c) {
    if (size_ < Capacity) text_[size_++] = c;
    return c == '\n' || size_ == Capacity;
  }
  constexpr const char* data() const { return text_; }
  constexpr size_t size() const { return size_; }
  constexpr void clear() { size_ = 0; }

 private:
  char text_[Capacity]{};
  size_t size_ = 0;
};

template <typename Output>
class Pl011 {
 public:
  static constexpr size_t rx_capacity = 64;

  constexpr Pl011() = default;
  constexpr explicit Pl011(const Output& output) : output_(output) {}

  // Registers as at power-on; the RX ring is emptied, the Output kept.
  constexpr void reset() {
    Output kept = output_;
    *this = Pl011(kept);
  }

  // `offset` within the 4 KiB frame. Reading DR takes a byte from the ring.
  constexpr uint64_t read(uint64_t offset, unsigned size) {
    if (size > 4 || !is_natural_access(offset, size)) return 0;
    const uint64_t reg = offset & ~uint64_t{3};
    const uint64_t lane_shift = (offset & 3) * 8;
    uint32_t value = 0;
    if (reg == pl011::dr) {
      value = lane_shift == 0 ? pop() : 0;  // error bits 11:8 are always 0
    } else {
      value = register_value(reg);
    }
    return (value >> lane_shift) & access_mask(size);
  }

  // Writes to a register's upper bytes are ignored (its fields are in the
  // low 16 bits).
  constexpr void write(uint64_t offset, unsigned size, uint64_t value) {
    if (size > 4 || !is_natural_access(offset, size) || (offset & 3) != 0) return;
    const auto value32 = static_cast<uint32_t>(value & access_mask(size));
    switch (offset) {
      case pl011::dr:
        transmit(static_cast<uint8_t>(value32));
        break;
      case pl011::rsr_ecr:  // any write to ECR clears the errors
        rsr_ = 0;
        break;
      case pl011::ilpr:
        ilpr_ = value32 & 0xff;
        break;
      case pl011::ibrd:
        ibrd_ = value32 & 0xffff;
        break;
      case pl011::fbrd:
        fbrd_ = value32 & 0x3f;
        break;
      case pl011::lcr_h:
        lcr_h_ = value32 & 0xff;
        break;
      case pl011::cr:  // bits 6:3 are reserved
        cr_ = value32 & 0xff87;
        break;
      case pl011::ifls:
        ifls_ = value32 & 0x3f;
        break;
      case pl011::imsc:
        imsc_ = value32 & pl011::int_all;
        break;
      case pl011::icr:
        latched_ &= ~value32;
        break;
      case pl011::dmacr:
        dmacr_ = value32 & 0x7;
        break;
      default:  // FR, RIS, MIS and the IDs are read-only
        break;
    }
  }

  // A byte from outside. False if the ring was full: the byte is lost and
  // the overrun interrupt raised, as a PL011 does.
  constexpr bool receive(uint8_t byte) {
    if (rx_count_ == rx_capacity) {
      rsr_ |= pl011::rsr_oe;
      latched_ |= pl011::int_oe;
      return false;
    }
    rx_[(rx_head_ + rx_count_) % rx_capacity] = byte;
    ++rx_count_;
    latched_ |= pl011::int_rx | pl011::int_rt;
    return true;
  }

  // As many of `count` bytes as fit; returns how many were taken. The rest
  // are not offered, so no overrun.
  constexpr size_t receive(const uint8_t* bytes, size_t count) {
    size_t taken = 0;
    while (taken < count && rx_count_ < rx_capacity) receive(bytes[taken++]);
    return taken;
  }

  constexpr size_t rx_space() const { return rx_capacity - rx_count_; }

  // The UART's interrupt line: some raw interrupt the guest unmasked.
  constexpr bool interrupt_level() const { return (raw_interrupts() & imsc_) != 0; }

  // How the line moved since the last call. The VMM calls it after each
  // access and receive() and raises the SPI when it rose (the GIC model
  // keeps it pending, the kernel keeps it while the guest handles it).
  constexpr Level_change take_level_change() {
    const bool level = interrupt_level();
    if (level == reported_level_) return Level_change::none;
    reported_level_ = level;
    return level ? Level_change::rose : Level_change::fell;
  }

  constexpr Output& output() { return output_; }
  constexpr const Output& output() const { return output_; }

 private:
  constexpr uint32_t raw_interrupts() const {
    const bool transmitting = (cr_ & (pl011::cr_uarten | pl011::cr_txe)) == (pl011::cr_uarten | pl011::cr_txe);
    return latched_ | (transmitting ? pl011::int_tx : 0);
  }

  constexpr uint32_t flags() const {
    return pl011::fr_txfe | (rx_count_ == 0 ? pl011::fr_rxfe : 0) | (rx_count_ == rx_capacity ? pl011::fr_rxff : 0);
  }

  constexpr uint32_t register_value(uint64_t reg) const {
    if (reg >= pl011::periph_id0 && reg < pl011::frame_size) return pl011::id_bytes[(reg - pl011::periph_id0) / 4];
    switch (reg) {
      case pl011::rsr_ecr:
        return rsr_;
      case pl011::fr:
        return flags();
      case pl011::ilpr:
        return ilpr_;
      case pl011::ibrd:
        return ibrd_;
      case pl011::fbrd:
        return fbrd_;
      case pl011::lcr_h:
        return lcr_h_;
      case pl011::cr:
        return cr_;
      case pl011::ifls:
        return ifls_;
      case pl011::imsc:
        return imsc_;
      case pl011::ris:
        return raw_interrupts();
      case pl011::mis:
        return raw_interrupts() & imsc_;
      case pl011::dmacr:
        return dmacr_;
      default:
        return 0;
    }
  }

  constexpr uint32_t pop() {
    if (rx_count_ == 0) return 0;
    const uint8_t byte = rx_[rx_head_];
    rx_head_ = (rx_head_ + 1) % rx_capacity;
    if (--rx_count_ == 0) latched_ &= ~(pl011::int_rx | pl011::int_rt);
    return byte;
  }

  constexpr void transmit(uint8_t byte) {
    if (cr_ & pl011::cr_lbe) {
      receive(byte);
    } else {
      output_.put(static_cast<char>(byte));
    }
  }

  Output output_{};
  uint8_t rx_[rx_capacity]{};
  size_t rx_head_ = 0;
  size_t rx_count_ = 0;
  uint32_t rsr_ = 0;
  uint32_t ilpr_ = 0;
  uint32_t ibrd_ = 0;
  uint32_t fbrd_ = 0;
  uint32_t lcr_h_ = 0;
  uint32_t cr_ = pl011::cr_reset;
  uint32_t ifls_ = pl011::ifls_reset;
  uint32_t imsc_ = 0;
  uint32_t latched_ = 0;  // RX, RT and OE: the interrupts a condition sets and ICR clears
  uint32_t dmacr_ = 0;
  bool reported_level_ = false;
};

}  // namespace kestrel::vmm
