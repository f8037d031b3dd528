// SPDX-License-Identifier: Apache-2.0
// GICv3 register map for the VMM's distributor and redistributor models,
// and the per-interrupt bits both keep for 32 interrupts at a time.
//
// The per-interrupt register blocks (IGROUPR, IS/ICENABLER, IS/ICPENDR,
// IS/ICACTIVER, IPRIORITYR, ICFGR, IGRPMODR) sit at the same offsets in the
// distributor frame (for SPIs) and in a redistributor's SGI_base frame (for
// its SGIs and PPIs), so one decoder serves both.
#pragma once

#include <cstdint>

#include <kestrel/vmm/mmio.hpp>

namespace kestrel::vmm::gic {

inline constexpr uint64_t igroupr = 0x0080;
inline constexpr uint64_t isenabler = 0x0100;
inline constexpr uint64_t icenabler = 0x0180;
inline constexpr uint64_t ispendr = 0x0200;
inline constexpr uint64_t icpendr = 0x0280;
inline constexpr uint64_t isactiver = 0x0300;
inline constexpr uint64_t icactiver = 0x0380;
inline constexpr uint64_t bitmap_blocks_end = 0x0400;
inline constexpr uint64_t bitmap_block_size = 0x80;  // 32 registers of 32 interrupts
inline constexpr uint64_t ipriorityr = 0x0400;       // one byte an interrupt
inline constexpr uint64_t icfgr = 0x0c00;            // two bits an interrupt
inline constexpr uint64_t igrpmodr = 0x0d00;
inline constexpr uint64_t pidr2 = 0xffe8;

// GICD frame.
inline constexpr uint64_t distributor_frame_size = 0x1'0000;
inline constexpr uint64_t gicd_ctlr = 0x0000;
inline constexpr uint64_t gicd_typer = 0x0004;
inline constexpr uint64_t gicd_iidr = 0x0008;
inline constexpr uint64_t gicd_typer2 = 0x000c;
inline constexpr uint64_t gicd_ipriorityr_end = 0x0800;
inline constexpr uint64_t gicd_icfgr_end = 0x0d00;
inline constexpr uint64_t gicd_irouter = 0x6000;  // 8 bytes per INTID; 0-31 reserved
inline constexpr uint64_t gicd_irouter_end = 0x8000;

// GICD_CTLR in a single security state (DS = 1).
inline constexpr uint32_t ctlr_enable_grp0 = 1u << 0;
inline constexpr uint32_t ctlr_enable_grp1 = 1u << 1;
inline constexpr uint32_t ctlr_are = 1u << 4;
inline constexpr uint32_t ctlr_ds = 1u << 6;

// GICD_IROUTER: Aff3, Interrupt_Routing_Mode (bit 31), Aff2.Aff1.Aff0.
inline constexpr uint64_t irouter_irm = uint64_t{1} << 31;
inline constexpr uint64_t irouter_bits = affinity_bits | irouter_irm;

// GICD_TYPER fields.
inline constexpr uint32_t typer_cpu_number_shift = 5;
inline constexpr uint32_t typer_id_bits_shift = 19;
inline constexpr uint32_t typer_id_bits = 9;  // 10 INTID bits: 0-1019 (no LPIs)

// A redistributor: RD_base then SGI_base, 64 KiB each.
inline constexpr uint64_t redistributor_frame_size = 0x2'0000;
inline constexpr uint64_t sgi_base = 0x1'0000;
inline constexpr uint64_t gicr_ctlr = 0x0000;
inline constexpr uint64_t gicr_iidr = 0x0004;
inline constexpr uint64_t gicr_typer = 0x0008;  // 64-bit
inline constexpr uint64_t gicr_waker = 0x0014;
inline constexpr uint64_t gicr_ipriorityr_end = 0x0420;  // IPRIORITYR0-7
inline constexpr uint64_t gicr_icfgr0 = 0x0c00;          // SGIs: always edge
inline constexpr uint64_t gicr_icfgr1 = 0x0c04;          // PPIs

inline constexpr uint32_t waker_processor_sleep = 1u << 1;
inline constexpr uint32_t waker_children_asleep = 1u << 2;
inline constexpr uint64_t typer_last = 1u << 4;
inline constexpr uint32_t typer_processor_number_shift = 8;
inline constexpr uint32_t typer_affinity_shift = 32;

// Identification, the same in both frames. PIDR2: ArchRev (bits 7:4) = 3,
// GICv3. IIDR: implementer Arm (JEP106 0x43b), as KVM's model says too,
// product 0. It matches none of the errata Linux looks for (an IIDR of 0
// would: Linux takes that for HiSilicon's HIP07).
inline constexpr uint32_t pidr2_gicv3 = 0x3b;
inline constexpr uint32_t iidr_value = 0x0000'043b;

inline constexpr uint32_t first_spi = 32;
inline constexpr uint32_t intid_limit = 1020;  // 1020-1023 are special INTIDs
inline constexpr uint32_t sgi_count = 16;

// The per-interrupt state of 32 interrupts. Group 1 at reset (the GIC
// leaves it to the implementation when DS = 1; KVM does the same), so a
// guest that never writes IGROUPR still gets its interrupts.
struct Interrupt_bits {
  uint32_t group = ~0u;
  uint32_t enabled = 0;
  uint32_t pending = 0;  // pending here, not yet handed to the kernel
  uint32_t edge = 0;     // ICFGR: 1 = edge-triggered, 0 = level-sensitive

  // Pending Group 1 interrupts the guest enabled: the kernel injects every
  // interrupt as Group 1, so Group 0 ones stay pending.
  constexpr uint32_t ready() const { return group & enabled & pending; }
};

constexpr uint32_t bit(uint32_t intid) { return 1u << (intid % 32); }

// A read of a bitmap register of `block`. The active state reads as 0: it
// lives in the vCPU's list registers in the kernel, which the VMM cannot see.
// Linux reads it only in synchronize_irq() (irq_get_irqchip_state), to wait
// until no CPU has the interrupt active; 0 never makes it wait for ever.
constexpr uint32_t read_bitmap(const Interrupt_bits& bits, uint64_t block) {
  switch (block) {
    case igroupr:
      return bits.group;
    case isenabler:
    case icenabler:
      return bits.enabled;
    case ispendr:
    case icpendr:
      return bits.pending;
    default:
      return 0;
  }
}

// A write of `value` to a bitmap register of `block`, changing only the
// `writable` bits. Writes to the active state are ignored (see above: an
// injected interrupt can be neither activated nor deactivated from here).
constexpr void write_bitmap(Interrupt_bits& bits, uint64_t block, uint32_t value, uint32_t writable) {
  value &= writable;
  switch (block) {
    case igroupr:
      bits.group = (bits.group & ~writable) | value;
      break;
    case isenabler:
      bits.enabled |= value;
      break;
    case icenabler:
      bits.enabled &= ~value;
      break;
    case ispendr:
      bits.pending |= value;
      break;
    case icpendr:
      bits.pending &= ~value;
      break;
    default:
      break;
  }
}

// ICFGR register `half` (0 or 1) of a 32-interrupt slice: bit 2k+1 is the
// edge bit of interrupt 16 * half + k; the even bits are RES0.
constexpr uint32_t icfgr_value(uint32_t edge, uint32_t half) {
  uint32_t value = 0;
  for (uint32_t k = 0; k < 16; ++k) {
    if ((edge >> (16 * half + k)) & 1) value |= 2u << (2 * k);
  }
  return value;
}

// The slice's edge bits after a write of `value` to ICFGR `half`, changing
// only the `writable` interrupts.
constexpr uint32_t edge_after_icfgr_write(uint32_t edge, uint32_t half, uint32_t value, uint32_t writable) {
  for (uint32_t k = 0; k < 16; ++k) {
    const uint32_t mask = 1u << (16 * half + k);
    if ((writable & mask) == 0) continue;
    edge = ((value >> (2 * k + 1)) & 1) ? edge | mask : edge & ~mask;
  }
  return edge;
}

// An IPRIORITYR read or write at byte `first` of a priority array: one byte
// or a whole aligned word (the GIC allows both), little-endian.
constexpr uint32_t read_priorities(const uint8_t* priorities, uint32_t first, unsigned size) {
  uint32_t value = 0;
  for (unsigned i = 0; i < size; ++i) value |= uint32_t{priorities[first + i]} << (8 * i);
  return value;
}
constexpr void write_priorities(uint8_t* priorities, uint32_t first, unsigned size, uint64_t value) {
  for (unsigned i = 0; i < size; ++i) priorities[first + i] = static_cast<uint8_t>(value >> (8 * i));
}

}  // namespace kestrel::vmm::gic
