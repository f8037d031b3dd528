// SPDX-License-Identifier: Apache-2.0
// GICv3 redistributor model: one vCPU's 128 KiB frame pair (RD_base, then
// SGI_base) and the state of its SGIs and PPIs, as Linux's irq-gic-v3.c
// finds (GICR_PIDR2, GICR_TYPER's affinity and Last bit), wakes
// (GICR_WAKER) and configures (the SGI_base registers) it.
//
// The kernel delivers SGIs itself (it traps ICC_SGI1R_EL1) and the virtual
// timer (PPI 27): the state kept here is what the guest wrote, read back,
// and only a software pend (GICR_ISPENDR0) becomes a delivery. No LPIs, so
// GICR_CTLR reads 0 (EnableLPIs and RWP 0) and PROPBASER, PENDBASER and the
// VLPI frames are absent. Anything not below reads as zero and ignores
// writes, as does an access of a size or alignment the register does not
// allow.
#pragma once

#include <cstdint>

#include <kestrel/vmm/gic_registers.hpp>
#include <kestrel/vmm/mmio.hpp>

namespace kestrel::vmm {

class Gic_redistributor {
 public:
  constexpr Gic_redistributor() = default;
  // vCPU `index`; `last`: the last frame, where Linux stops looking.
  constexpr Gic_redistributor(uint32_t index, bool last) : index_(index), last_(last) {}

  // `offset` within the 128 KiB frame pair.
  constexpr uint64_t read(uint64_t offset, unsigned size) const {
    if (!is_natural_access(offset, size)) return 0;
    if (offset < gic::sgi_base) return read_rd(offset, size);
    const uint64_t sgi_offset = offset - gic::sgi_base;
    if (sgi_offset >= gic::ipriorityr && sgi_offset < gic::gicr_ipriorityr_end) {
      return size == 1 || size == 4
                 ? gic::read_priorities(priority_, static_cast<uint32_t>(sgi_offset - gic::ipriorityr), size)
                 : 0;
    }
    if (size != 4) return 0;
    if (is_bitmap_register(sgi_offset)) return gic::read_bitmap(bits_, sgi_offset);
    switch (sgi_offset) {
      case gic::gicr_icfgr0:
        return gic::icfgr_value(bits_.edge, 0);
      case gic::gicr_icfgr1:
        return gic::icfgr_value(bits_.edge, 1);
      default:
        return 0;  // IGRPMODR0 and NSACR too: RAZ/WI when DS = 1
    }
  }

  constexpr void write(uint64_t offset, unsigned size, uint64_t value) {
    if (!is_natural_access(offset, size)) return;
    if (offset < gic::sgi_base) {
      if (offset == gic::gicr_waker && size == 4) asleep_ = (value & gic::waker_processor_sleep) != 0;
      return;
    }
    const uint64_t sgi_offset = offset - gic::sgi_base;
    if (sgi_offset >= gic::ipriorityr && sgi_offset < gic::gicr_ipriorityr_end) {
      if (size == 1 || size == 4) {
        gic::write_priorities(priority_, static_cast<uint32_t>(sgi_offset - gic::ipriorityr), size, value);
      }
      return;
    }
    if (size != 4) return;
    const auto value32 = static_cast<uint32_t>(value);
    if (is_bitmap_register(sgi_offset)) {
      gic::write_bitmap(bits_, sgi_offset, value32, ~0u);
    } else if (sgi_offset == gic::gicr_icfgr1) {
      // SGIs are always edge-triggered (ICFGR0 is read-only); PPIs as set.
      bits_.edge = gic::edge_after_icfgr_write(bits_.edge, 1, value32, 0xffff'0000);
    }
  }

  // GICR_WAKER.ProcessorSleep: set at reset, cleared by the guest before it
  // uses the redistributor. ChildrenAsleep follows it at once.
  constexpr bool asleep() const { return asleep_; }
  constexpr uint32_t index() const { return index_; }
  constexpr uint32_t ready() const { return bits_.ready(); }
  constexpr void clear_pending(uint32_t intid) {
    if (intid < gic::first_spi) bits_.pending &= ~gic::bit(intid);
  }
  constexpr uint8_t priority(uint32_t intid) const { return intid < gic::first_spi ? priority_[intid] : 0; }

 private:
  static constexpr bool is_bitmap_register(uint64_t sgi_offset) {
    // Only register 0 of each block: 32 private interrupts, no extended PPIs.
    return sgi_offset >= gic::igroupr && sgi_offset < gic::bitmap_blocks_end &&
           sgi_offset % gic::bitmap_block_size == 0;
  }

  constexpr uint64_t typer() const {
    return affinity_of(index_) << gic::typer_affinity_shift | uint64_t{index_} << gic::typer_processor_number_shift |
           (last_ ? gic::typer_last : 0);
  }

  constexpr uint64_t read_rd(uint64_t offset, unsigned size) const {
    // GICR_TYPER is 64-bit; 32-bit halves are allowed too.
    if (offset == gic::gicr_typer && size == 8) return typer();
    if (size != 4) return 0;
    switch (offset) {
      case gic::gicr_iidr:
        return gic::iidr_value;
      case gic::gicr_typer:
        return typer() & 0xffff'ffff;
      case gic::gicr_typer + 4:
        return typer() >> 32;
      case gic::gicr_waker:
        return asleep_ ? gic::waker_processor_sleep | gic::waker_children_asleep : 0;
      case gic::pidr2:
        return gic::pidr2_gicv3;
      default:
        return 0;  // GICR_CTLR too
    }
  }

  uint32_t index_ = 0;
  bool last_ = true;
  bool asleep_ = true;
  gic::Interrupt_bits bits_{.group = ~0u, .enabled = 0, .pending = 0, .edge = 0x0000'ffff};  // SGIs: edge
  uint8_t priority_[32]{};
};

}  // namespace kestrel::vmm
