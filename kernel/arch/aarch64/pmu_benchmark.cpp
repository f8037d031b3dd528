// SPDX-License-Identifier: Apache-2.0
// PMU, benchmark kernels only: the cycle counter runs, counts at EL2 as well
// as EL1 and EL0, and partitions may read it. Under QEMU's
// `-icount shift=0` it then counts executed instructions, which is how the
// IPC benchmark measures (docs/benchmarks.md).
#include <arch/cpu_state.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/bitfield.hpp>

namespace kestrel::arch {
namespace {

using Pmcr_enable = Bitflag<0>;            // PMCR_EL0.E: counters on
using Pmcr_reset_cycles = Bitflag<2>;      // PMCR_EL0.C: cycle counter to 0
using Pmcr_long_cycles = Bitflag<6>;       // PMCR_EL0.LC: 64-bit overflow
using Cycle_counter_enable = Bitflag<31>;  // PMCNTENSET_EL0.C
using Count_el2 = Bitflag<27>;             // PMCCFILTR_EL0.NSH: count at EL2 too
using User_enable = Bitflag<0>;            // PMUSERENR_EL0.EN: EL0 may access the PMU
using User_cycle_read = Bitflag<2>;        // PMUSERENR_EL0.CR: EL0 may read the cycle counter

}  // namespace

void configure_pmu() {
  asm volatile("msr pmccfiltr_el0, %0" : : "r"(Count_el2::bits(1)));
  asm volatile("msr pmcntenset_el0, %0" : : "r"(Cycle_counter_enable::bits(1)));
  asm volatile("msr pmcr_el0, %0"
               :
               : "r"(Pmcr_enable::bits(1) | Pmcr_reset_cycles::bits(1) | Pmcr_long_cycles::bits(1)));
  asm volatile("msr pmuserenr_el0, %0\n isb" : : "r"(User_enable::bits(1) | User_cycle_read::bits(1)));
}

// Native threads and guests read the cycle counter (the VM-exit benchmark
// reads it in its guest); never in production kernels.
bool pmu_open_to_partitions() { return true; }

}  // namespace kestrel::arch
