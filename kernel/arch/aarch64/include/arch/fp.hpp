// SPDX-License-Identifier: Apache-2.0
// FP: lazy switching of the FP/SIMD registers between the threads of a CPU.
//
// CPTR_EL2.TFP traps every FP/SIMD access (EL0, a guest's EL1, and EL2)
// unless the running thread's values are in the registers. The first access
// of a thread that does not own them traps (ESR class 0x07); take_fp_trap
// saves the owner's values into the owner, loads the thread's and makes it
// the owner; the instruction is retried. So a switch costs nothing for
// threads that do not use FP/SIMD, and one trap per time slice for one that
// does. Threads never migrate, so ownership is per CPU. Everything here
// runs under the kernel lock.
#pragma once

#include <cstdint>

#include <kestrel/abi/limits.hpp>
#include <kestrel/bitfield.hpp>
#include <kestrel/thread.hpp>

namespace kestrel::arch {

// CPTR_EL2 (non-VHE): RES1 bits (bit 8 is TZ and bit 12 TSM where SVE and
// SME exist: set, they keep trapping those), and TFP. docs/cpu-state.md.
constexpr uint64_t cptr_res1 = 0x33ff;
using Cptr_tfp = Bitflag<10>;

struct Fp_cpu_state {
  Thread* owner;  // whose values the FP/SIMD registers hold (nullptr: nobody's); its fp_in_registers is set
  bool trapping;  // CPTR_EL2.TFP as last written
};
extern Fp_cpu_state fp_cpu_states[abi::max_cpus];

inline void write_cptr(bool trap) {
  asm volatile("msr cptr_el2, %0" : : "r"(cptr_res1 | Cptr_tfp::bits(trap ? 1 : 0)));
}

// Once per CPU before any thread runs: nobody owns the registers, FP/SIMD
// traps.
void prepare_fp(unsigned cpu);

// Stores V0-V31, FPCR and FPSR into `registers`, or loads them from it
// (fp.cpp; the caller has made sure FP/SIMD does not trap).
void save_fp_registers(Fp_registers& registers);
void load_fp_registers(const Fp_registers& registers);

// FP/SIMD traps unless the thread that runs next owns the registers; since
// only the owner ever runs with TFP clear, CPTR_EL2 is written only when
// that changes. No ISB: the kernel itself uses no FP/SIMD, and the
// exception return to the thread is a context synchronization event
// (SCTLR_EL2.EOS is set, kernel_mmu.cpp), after which the new value applies.
inline void set_fp_trap(unsigned cpu, bool trap) {
  fp_cpu_states[cpu].trapping = trap;
  write_cptr(trap);
}

// On every slow-path switch to `thread` on its CPU.
inline void switch_fp(const Thread& thread) {
  const bool trap = !thread.fp_in_registers;
  if (trap != fp_cpu_states[thread.cpu()].trapping) set_fp_trap(thread.cpu(), trap);
}

// On a fast-path switch from the running thread `from`: TFP is clear now
// exactly if `from` owns the registers, so the two threads' flags alone
// say whether it must change (both never own them).
inline void switch_fp(const Thread& from, const Thread& to) {
  if (from.fp_in_registers != to.fp_in_registers) set_fp_trap(to.cpu(), !to.fp_in_registers);
}

// The running thread's FP/SIMD access trapped (ESR class 0x07, from EL0 or
// a guest's EL1): its values into the registers, the previous owner's into
// that owner. The thread then retries the instruction (ELR unchanged).
void take_fp_trap(Thread& thread);

// forget_fp_registers: kestrel/arch.hpp.

}  // namespace kestrel::arch
