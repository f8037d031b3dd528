// SPDX-License-Identifier: Apache-2.0
// GICv3 distributor model (GICD, one 64 KiB frame): the SPIs' state and
// registers, as Linux's irq-gic-v3.c and irq-gic-common.c drive them. Gic
// (gic.hpp) owns one and decides what gets delivered; this class only keeps
// the registers.
//
// Single security state (GICD_CTLR.DS = 1) with affinity routing always on
// (ARE = 1), no LPIs, no message-based SPIs, no extended SPIs. So, as the
// GICv3 architecture says for that configuration: the registers of INTIDs
// 0-31 (they live in the redistributors), ITARGETSR, SGIR, IGRPMODR and
// NSACR read as zero and ignore writes; so does everything else not below.
// An access of a size or alignment the register does not allow is RAZ/WI
// too: a model never stops the guest.
#pragma once

#include <cstdint>

#include <kestrel/vmm/gic_registers.hpp>
#include <kestrel/vmm/mmio.hpp>

namespace kestrel::vmm {

class Gic_distributor {
 public:
  static constexpr uint32_t max_words = 32;  // of 32 INTIDs: 1024

  // `intid_count`: a multiple of 32 from 32 to 1024 (Gic rounds it).
  constexpr Gic_distributor(uint32_t vcpu_count, uint32_t intid_count)
      : vcpu_count_(vcpu_count), words_(intid_count / 32) {}

  // Every register as at power-on.
  constexpr void reset() {
    enables_ = 0;
    for (auto& bits : bits_) bits = gic::Interrupt_bits{};
    for (auto& priority : priority_) priority = 0;
    for (auto& router : router_) router = 0;
  }

  // INTIDs 32 * (GICD_TYPER.ITLinesNumber + 1); SPIs are 32 up to this or
  // 1019, whichever is smaller.
  constexpr uint32_t intid_count() const { return words_ * 32; }
  constexpr bool is_spi(uint32_t intid) const {
    return intid >= gic::first_spi && intid < intid_count() && intid < gic::intid_limit;
  }
  constexpr bool group1_enabled() const { return (enables_ & gic::ctlr_enable_grp1) != 0; }

  constexpr uint64_t read(uint64_t offset, unsigned size) const {
    if (!is_natural_access(offset, size)) return 0;
    if (offset >= gic::gicd_irouter && offset < gic::gicd_irouter_end) return read_router(offset, size);
    if (offset >= gic::ipriorityr && offset < gic::gicd_ipriorityr_end) {
      const auto first = static_cast<uint32_t>(offset - gic::ipriorityr);
      return (size == 1 || size == 4) && is_spi(first) ? gic::read_priorities(priority_, first, size) : 0;
    }
    if (size != 4) return 0;
    if (offset < gic::bitmap_blocks_end && offset >= gic::igroupr) {
      const uint32_t word = register_word(offset);
      return word < words_ ? gic::read_bitmap(bits_[word], block_of(offset)) & writable(word) : 0;
    }
    if (offset >= gic::icfgr && offset < gic::gicd_icfgr_end) {
      const auto index = static_cast<uint32_t>((offset - gic::icfgr) / 4);
      const uint32_t word = index / 2;
      return word < words_ ? gic::icfgr_value(bits_[word].edge & writable(word), index % 2) : 0;
    }
    switch (offset) {
      case gic::gicd_ctlr:
        return gic::ctlr_ds | gic::ctlr_are | enables_;
      case gic::gicd_typer:
        return (words_ - 1) | (vcpu_count_ - 1) << gic::typer_cpu_number_shift |
               gic::typer_id_bits << gic::typer_id_bits_shift;
      case gic::gicd_iidr:
        return gic::iidr_value;
      case gic::pidr2:
        return gic::pidr2_gicv3;
      default:
        return 0;  // GICD_TYPER2 too: no extended features
    }
  }

  constexpr void write(uint64_t offset, unsigned size, uint64_t value) {
    if (!is_natural_access(offset, size)) return;
    if (offset >= gic::gicd_irouter && offset < gic::gicd_irouter_end) return write_router(offset, size, value);
    if (offset >= gic::ipriorityr && offset < gic::gicd_ipriorityr_end) {
      const auto first = static_cast<uint32_t>(offset - gic::ipriorityr);
      if ((size == 1 || size == 4) && is_spi(first)) gic::write_priorities(priority_, first, size, value);
      return;
    }
    if (size != 4) return;
    const auto value32 = static_cast<uint32_t>(value);
    if (offset < gic::bitmap_blocks_end && offset >= gic::igroupr) {
      const uint32_t word = register_word(offset);
      if (word < words_) gic::write_bitmap(bits_[word], block_of(offset), value32, writable(word));
    } else if (offset >= gic::icfgr && offset < gic::gicd_icfgr_end) {
      const auto index = static_cast<uint32_t>((offset - gic::icfgr) / 4);
      const uint32_t word = index / 2;
      if (word < words_)
        bits_[word].edge = gic::edge_after_icfgr_write(bits_[word].edge, index % 2, value32, writable(word));
    } else if (offset == gic::gicd_ctlr) {
      // DS and ARE read as one whatever is written; RWP is always 0, since
      // every write takes effect before the guest runs again.
      enables_ = value32 & (gic::ctlr_enable_grp0 | gic::ctlr_enable_grp1);
    }
  }

  // The SPIs of slice `word` (1 and up) that are pending, enabled and Group 1.
  constexpr uint32_t ready(uint32_t word) const { return word < words_ ? bits_[word].ready() & writable(word) : 0; }

  constexpr void set_pending(uint32_t intid) {
    if (is_spi(intid)) bits_[intid / 32].pending |= gic::bit(intid);
  }
  constexpr void clear_pending(uint32_t intid) {
    if (is_spi(intid)) bits_[intid / 32].pending &= ~gic::bit(intid);
  }
  constexpr bool is_pending(uint32_t intid) const {
    return is_spi(intid) && (bits_[intid / 32].pending & gic::bit(intid)) != 0;
  }
  constexpr bool is_edge(uint32_t intid) const {
    return is_spi(intid) && (bits_[intid / 32].edge & gic::bit(intid)) != 0;
  }

  // The vCPU an SPI goes to: the one IROUTER's affinity names, or vCPU 0
  // with Interrupt_Routing_Mode = 1 ("any participating PE": the GIC may
  // choose, and vCPU 0 is always on while Linux runs). no_vcpu for an
  // affinity no vCPU has: the SPI then stays pending, as on a real GIC,
  // until the guest routes it somewhere.
  constexpr uint32_t route(uint32_t intid) const {
    if (!is_spi(intid)) return no_vcpu;
    const uint64_t router = router_[intid];
    if (router & gic::irouter_irm) return 0;
    return vcpu_of_affinity(router, vcpu_count_);
  }

  constexpr uint64_t router(uint32_t intid) const { return is_spi(intid) ? router_[intid] : 0; }
  constexpr uint8_t priority(uint32_t intid) const { return is_spi(intid) ? priority_[intid] : 0; }

 private:
  static constexpr uint64_t block_of(uint64_t offset) { return offset - offset % gic::bitmap_block_size; }
  static constexpr uint32_t register_word(uint64_t offset) {
    return static_cast<uint32_t>(offset % gic::bitmap_block_size / 4);
  }

  // The bits of slice `word` that are SPIs (slice 0 is the redistributors';
  // INTIDs 1020-1023 are not interrupts).
  constexpr uint32_t writable(uint32_t word) const {
    if (word == 0 || word >= words_) return 0;
    return word == max_words - 1 ? 0x0fff'ffffu : ~0u;
  }

  constexpr uint64_t read_router(uint64_t offset, unsigned size) const {
    const auto intid = static_cast<uint32_t>((offset - gic::gicd_irouter) / 8);
    if (!is_spi(intid) || (size != 8 && size != 4)) return 0;
    // Linux writes it with one 64-bit store; 32-bit halves are allowed too.
    return size == 8 ? router_[intid] : (router_[intid] >> (offset % 8 * 8)) & 0xffff'ffff;
  }

  constexpr void write_router(uint64_t offset, unsigned size, uint64_t value) {
    const auto intid = static_cast<uint32_t>((offset - gic::gicd_irouter) / 8);
    if (!is_spi(intid) || (size != 8 && size != 4)) return;
    uint64_t router = router_[intid];
    if (size == 8) {
      router = value;
    } else {
      const uint64_t shift = offset % 8 * 8;
      router = (router & ~(uint64_t{0xffff'ffff} << shift)) | (value & 0xffff'ffff) << shift;
    }
    router_[intid] = router & gic::irouter_bits;
  }

  uint32_t vcpu_count_;
  uint32_t words_;
  uint32_t enables_ = 0;
  gic::Interrupt_bits bits_[max_words]{};
  uint8_t priority_[max_words * 32]{};
  uint64_t router_[max_words * 32]{};  // reset: affinity 0.0.0.0, vCPU 0
};

}  // namespace kestrel::vmm
