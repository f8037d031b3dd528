// SPDX-License-Identifier: Apache-2.0
// PMU, production kernels: partitions get no access to the performance
// monitors (a cycle counter is a sharp timing channel between partitions).
#include <kestrel/arch.hpp>

namespace kestrel::arch {

void configure_pmu() { asm volatile("msr pmuserenr_el0, xzr"); }

}  // namespace kestrel::arch
