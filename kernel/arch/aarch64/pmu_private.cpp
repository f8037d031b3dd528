// SPDX-License-Identifier: Apache-2.0
// PMU, production kernels: partitions get no access to the performance
// monitors (a cycle counter is a sharp timing channel between partitions).
#include <arch/cpu_state.hpp>
#include <kestrel/arch.hpp>

namespace kestrel::arch {

void configure_pmu() { asm volatile("msr pmuserenr_el0, xzr"); }

// MDCR_EL2.TPM also traps every PMU access, whatever PMUSERENR_EL0 says.
bool pmu_open_to_partitions() { return false; }

}  // namespace kestrel::arch
