// SPDX-License-Identifier: Apache-2.0
// CPU state: the controls the kernel sets for each kind of thread, the EL0
// state it resets after a guest ran, and the guest system-register accesses
// it emulates itself. docs/cpu-state.md is the table this code follows.
#pragma once

#include <cstdint>

#include <arch/exception.hpp>

namespace kestrel {
class Thread;
}

namespace kestrel::arch {

// Once per CPU before any thread runs: the debug logic quiet (OS lock set,
// MDSCR_EL1 zero, every breakpoint and watchpoint disabled), MDCR_EL2 set
// for every thread (debug and PMU registers trapped; the PMU stays open in
// benchmark kernels only, which measure the VM exit from inside a guest)
// and the EL0 controls native threads run under.
void prepare_cpu_state();

// After a vCPU ran on this CPU: the EL1 state that governs or is visible to
// EL0 back to the native threads' values (SCTLR_EL1, TPIDRRO_EL0,
// CNTKCTL_EL1, CPACR_EL1). The guest's values are saved already.
void reset_el0_state_after_guest();

// A guest's trapped system-register access (ESR class 0x18) that the kernel
// answers itself: debug, PMU, ACTLR_EL1 and IMPLEMENTATION DEFINED registers
// read as zero and ignore writes (MDSCR_EL1 and the OS lock keep a shadow
// value per vCPU that has no effect). True if emulated (ELR is then past
// the instruction); false for an access its VMM should see.
[[nodiscard]] bool emulate_guest_system_register(Exception_frame& frame, Thread& vcpu);

// PMU kernels (pmu_*.cpp): whether partitions and guests may read the cycle
// counter (benchmark kernels only).
bool pmu_open_to_partitions();

}  // namespace kestrel::arch
