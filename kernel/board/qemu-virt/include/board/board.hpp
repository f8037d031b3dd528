// SPDX-License-Identifier: Apache-2.0
// Board: QEMU `virt` memory map and CPU numbering, as constexpr data.
//
// Only arch and board code include this; generic code asks through
// <kestrel/arch.hpp>. Addresses are those of QEMU's hw/arm/virt.c memory map.
#pragma once

#include <cstdint>

#include <kestrel/bitfield.hpp>

namespace kestrel::board {

inline constexpr const char* name = "qemu-virt";

inline constexpr uint64_t ram_base = 0x4000'0000;
inline constexpr uint64_t uart_base = 0x0900'0000;  // PL011
inline constexpr uint64_t gic_distributor_base = 0x0800'0000;
inline constexpr uint64_t gic_redistributor_base = 0x080a'0000;
inline constexpr uint64_t gic_distributor_size = 0x1'0000;
// GICv3 without virtual LPIs: an RD_base and an SGI_base frame per CPU.
inline constexpr uint64_t gic_redistributor_stride = 0x2'0000;

// Private peripheral interrupts (PPIs) of every Arm CPU, as QEMU wires them.
inline constexpr uint32_t gic_maintenance_intid = 25;   // virtual CPU interface needs attention
inline constexpr uint32_t hypervisor_timer_intid = 26;  // CNTHP: the kernel's own timer
inline constexpr uint32_t virtual_timer_intid = 27;     // CNTV: a guest's timer

// Most CPUs the kernel supports on this board (per-CPU stacks are sized by it).
inline constexpr unsigned max_cpus = 8;

// QEMU virt with GICv3 numbers CPUs in clusters of 16: Aff0 = index % 16,
// Aff1 = index / 16.
inline constexpr unsigned cpus_per_cluster = 16;
using Mpidr_aff0 = Bitfield<0, 8>;
using Mpidr_aff1 = Bitfield<8, 8>;

constexpr uint64_t mpidr_of_cpu(unsigned cpu) {
  return Mpidr_aff0::bits(cpu % cpus_per_cluster) | Mpidr_aff1::bits(cpu / cpus_per_cluster);
}

constexpr unsigned cpu_of_mpidr(uint64_t mpidr) {
  return static_cast<unsigned>(Mpidr_aff1::get(mpidr) * cpus_per_cluster + Mpidr_aff0::get(mpidr));
}

static_assert(cpu_of_mpidr(mpidr_of_cpu(7)) == 7);
static_assert(mpidr_of_cpu(17) == 0x101);

}  // namespace kestrel::board
