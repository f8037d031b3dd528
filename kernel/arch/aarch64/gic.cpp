// SPDX-License-Identifier: Apache-2.0
// GIC: GICv3 distributor, redistributors and the EL2 CPU interface.
//
// QEMU's virt machine without EL3 has a GIC with one security state (DS=1),
// so Group 1 is all there is to use. Register offsets are those of the GICv3
// architecture specification (IHI 0069).
#include <arch/gic.hpp>
#include <arch/sysreg.hpp>
#include <board/board.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/log.hpp>

namespace kestrel::arch::gic {
namespace {

// Distributor registers.
constexpr uint64_t gicd_ctlr = 0x0000;
constexpr uint64_t gicd_typer = 0x0004;
constexpr uint64_t gicd_igroupr = 0x0080;
constexpr uint64_t gicd_isenabler = 0x0100;
constexpr uint64_t gicd_icenabler = 0x0180;
constexpr uint64_t gicd_icpendr = 0x0280;
constexpr uint64_t gicd_icactiver = 0x0380;
constexpr uint64_t gicd_ipriorityr = 0x0400;
constexpr uint64_t gicd_icfgr = 0x0c00;
constexpr uint64_t gicd_irouter = 0x6000;
using Gicd_ctlr_enable_grp1 = Bitflag<1>;
using Gicd_ctlr_are = Bitflag<4>;
using Gicd_ctlr_rwp = Bitflag<31>;  // a write is still taking effect
using Gicd_typer_lines = Bitfield<0, 5>;

// Redistributor: RD_base frame, then the SGI_base frame 64 KiB above it.
constexpr uint64_t gicr_waker = 0x0014;
constexpr uint64_t gicr_typer = 0x0008;
constexpr uint64_t sgi_base = 0x1'0000;
constexpr uint64_t gicr_igroupr0 = sgi_base + 0x0080;
constexpr uint64_t gicr_isenabler0 = sgi_base + 0x0100;
constexpr uint64_t gicr_icenabler0 = sgi_base + 0x0180;
constexpr uint64_t gicr_isactiver0 = sgi_base + 0x0300;
constexpr uint64_t gicr_icactiver0 = sgi_base + 0x0380;
constexpr uint64_t gicr_ipriorityr0 = sgi_base + 0x0400;
using Waker_processor_sleep = Bitflag<1>;
using Waker_children_asleep = Bitflag<2>;
using Gicr_typer_affinity = Bitfield<32, 32>;
using Gicr_typer_last = Bitflag<4>;

// ICC_SRE_EL2: system-register interface on (SRE), for EL1 too (Enable),
// FIQ and IRQ bypass off (DFB, DIB).
constexpr uint64_t icc_sre_el2_value = 0xf;
using Icc_ctlr_eoi_mode = Bitflag<1>;
using Sgi1r_target_list = Bitfield<0, 16>;
using Sgi1r_aff1 = Bitfield<16, 8>;
using Sgi1r_intid = Bitfield<24, 4>;

// One priority for everything the kernel takes (lower is more urgent; the
// mask admits all).
constexpr uint8_t kernel_priority = 0x80;
constexpr uint64_t priority_mask_all = 0xff;

// The kernel's private interrupts: cross-CPU SGIs, the list-register
// maintenance interrupt and both timers.
constexpr uint32_t kernel_private_interrupts = 0xffff | (1U << board::gic_maintenance_intid) |
                                               (1U << board::hypervisor_timer_intid) |
                                               (1U << board::virtual_timer_intid);

uint64_t redistributor_of_cpu[board::max_cpus];

template <typename T>
T read(uint64_t address) {
  return *reinterpret_cast<volatile T*>(address);
}
template <typename T>
void write(uint64_t address, T value) {
  *reinterpret_cast<volatile T*>(address) = value;
}

void wait_for_distributor() {
  while (Gicd_ctlr_rwp::get(read<uint32_t>(board::gic_distributor_base + gicd_ctlr)) != 0) {
  }
}

// The redistributor frame whose affinity is this CPU's MPIDR, or 0.
uint64_t find_redistributor(uint64_t mpidr) {
  const uint64_t affinity = (mpidr & 0xff'ffff) | ((mpidr >> 8) & 0xff00'0000);  // Aff3.Aff2.Aff1.Aff0
  for (unsigned i = 0; i < board::max_cpus; ++i) {
    const uint64_t frame = board::gic_redistributor_base + i * board::gic_redistributor_stride;
    const uint64_t typer = read<uint64_t>(frame + gicr_typer);
    if (Gicr_typer_affinity::get(typer) == affinity) return frame;
    if (Gicr_typer_last::get(typer) != 0) break;
  }
  return 0;
}

uint64_t this_redistributor() { return redistributor_of_cpu[current_cpu()]; }

}  // namespace

void init_distributor() {
  const uint64_t base = board::gic_distributor_base;
  write<uint32_t>(base + gicd_ctlr, 0);
  wait_for_distributor();
  const uint32_t lines = (static_cast<uint32_t>(Gicd_typer_lines::get(read<uint32_t>(base + gicd_typer))) + 1) * 32;
  for (uint32_t intid = first_spi; intid < lines; intid += 32) {
    write<uint32_t>(base + gicd_icenabler + intid / 8, 0xffff'ffff);
    write<uint32_t>(base + gicd_icpendr + intid / 8, 0xffff'ffff);
    write<uint32_t>(base + gicd_igroupr + intid / 8, 0xffff'ffff);
  }
  for (uint32_t intid = first_spi; intid < lines; intid += 4) {
    write<uint32_t>(base + gicd_ipriorityr + intid, 0x0101'0101U * kernel_priority);
  }
  wait_for_distributor();
  write<uint32_t>(base + gicd_ctlr, static_cast<uint32_t>(Gicd_ctlr_are::bits(1) | Gicd_ctlr_enable_grp1::bits(1)));
  wait_for_distributor();
}

bool init_this_cpu() {
  const uint64_t frame = find_redistributor(read_mpidr());
  if (frame == 0) {
    log("gic: CPU {} has no redistributor\n", current_cpu());
    return false;
  }
  redistributor_of_cpu[current_cpu()] = frame;
  uint32_t waker = read<uint32_t>(frame + gicr_waker);
  write<uint32_t>(frame + gicr_waker, static_cast<uint32_t>(waker & ~Waker_processor_sleep::mask));
  while (Waker_children_asleep::get(read<uint32_t>(frame + gicr_waker)) != 0) {
  }
  write<uint32_t>(frame + gicr_icenabler0, 0xffff'ffff);
  write<uint32_t>(frame + gicr_icactiver0, 0xffff'ffff);
  write<uint32_t>(frame + gicr_igroupr0, 0xffff'ffff);
  for (uint32_t intid = 0; intid < first_spi; intid += 4) {
    write<uint32_t>(frame + gicr_ipriorityr0 + intid, 0x0101'0101U * kernel_priority);
  }
  write<uint32_t>(frame + gicr_isenabler0, kernel_private_interrupts);

  asm volatile("msr icc_sre_el2, %0\n isb" : : "r"(icc_sre_el2_value));
  asm volatile("msr icc_pmr_el1, %0" : : "r"(priority_mask_all));
  uint64_t control;
  asm volatile("mrs %0, icc_ctlr_el1" : "=r"(control));
  asm volatile("msr icc_ctlr_el1, %0" : : "r"(Icc_ctlr_eoi_mode::set(control, 1)));
  asm volatile("msr icc_igrpen1_el1, %0\n isb" : : "r"(uint64_t{1}));
  return true;
}

uint32_t acknowledge() {
  uint64_t intid;
  asm volatile("mrs %0, icc_iar1_el1" : "=r"(intid));
  return static_cast<uint32_t>(intid & 0xff'ffff);
}

void priority_drop(uint32_t intid) { asm volatile("msr icc_eoir1_el1, %0\n isb" : : "r"(uint64_t{intid})); }

void deactivate(uint32_t intid) { asm volatile("msr icc_dir_el1, %0\n isb" : : "r"(uint64_t{intid})); }

void send_sgi(unsigned cpu, uint32_t sgi) {
  const uint64_t mpidr = board::mpidr_of_cpu(cpu);
  const uint64_t value = Sgi1r_target_list::bits(uint64_t{1} << (mpidr & 0xf)) |
                         Sgi1r_aff1::bits(board::Mpidr_aff1::get(mpidr)) | Sgi1r_intid::bits(sgi);
  asm volatile("dsb ishst\n msr icc_sgi1r_el1, %0\n isb" : : "r"(value) : "memory");
}

void enable_shared(uint32_t intid, unsigned cpu) {
  const uint64_t base = board::gic_distributor_base;
  const uint32_t bit = 1U << (intid % 32);
  // Level-triggered: clear the interrupt's two configuration bits.
  const uint64_t config = base + gicd_icfgr + (intid / 16) * 4;
  write<uint32_t>(config, read<uint32_t>(config) & ~(3U << ((intid % 16) * 2)));
  write<uint64_t>(base + gicd_irouter + uint64_t{intid} * 8, board::mpidr_of_cpu(cpu) & 0xff'ffff);
  write<uint32_t>(base + gicd_isenabler + (intid / 32) * 4, bit);
}

void deactivate_shared(uint32_t intid) {
  write<uint32_t>(board::gic_distributor_base + gicd_icactiver + (intid / 32) * 4, 1U << (intid % 32));
}

bool private_active(uint32_t intid) {
  return (read<uint32_t>(this_redistributor() + gicr_isactiver0) & (1U << intid)) != 0;
}

void set_private_active(uint32_t intid, bool active) {
  write<uint32_t>(this_redistributor() + (active ? gicr_isactiver0 : gicr_icactiver0), 1U << intid);
}

}  // namespace kestrel::arch::gic
