// SPDX-License-Identifier: Apache-2.0
// FP: lazy switching of the FP/SIMD registers (arch/fp.hpp).
//
// The kernel is built with -mgeneral-regs-only; the save and load below
// are the only FP/SIMD instructions it executes, so their asm enables the
// FP and SIMD extensions for the assembler itself.
#include <arch/fp.hpp>
#include <arch/sysreg.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/thread.hpp>

namespace kestrel::arch {

Fp_cpu_state fp_cpu_states[abi::max_cpus];

// Offsets: fp_registers.hpp (V0 at 0, 16 bytes each; FPCR 512, FPSR 520).
void save_fp_registers(Fp_registers& registers) {
  uint64_t base = reinterpret_cast<uint64_t>(&registers);
  uint64_t scratch;
  asm volatile(
      ".arch_extension fp\n"
      ".arch_extension simd\n"
      "st1 {v0.2d, v1.2d, v2.2d, v3.2d}, [%[base]], #64\n"
      "st1 {v4.2d, v5.2d, v6.2d, v7.2d}, [%[base]], #64\n"
      "st1 {v8.2d, v9.2d, v10.2d, v11.2d}, [%[base]], #64\n"
      "st1 {v12.2d, v13.2d, v14.2d, v15.2d}, [%[base]], #64\n"
      "st1 {v16.2d, v17.2d, v18.2d, v19.2d}, [%[base]], #64\n"
      "st1 {v20.2d, v21.2d, v22.2d, v23.2d}, [%[base]], #64\n"
      "st1 {v24.2d, v25.2d, v26.2d, v27.2d}, [%[base]], #64\n"
      "st1 {v28.2d, v29.2d, v30.2d, v31.2d}, [%[base]], #64\n"
      "mrs %[scratch], fpcr\n"
      "str %[scratch], [%[base]]\n"
      "mrs %[scratch], fpsr\n"
      "str %[scratch], [%[base], #8]\n"
      : [base] "+r"(base), [scratch] "=&r"(scratch)
      :
      : "memory");
}

void load_fp_registers(const Fp_registers& registers) {
  uint64_t base = reinterpret_cast<uint64_t>(&registers);
  uint64_t scratch;
  asm volatile(
      ".arch_extension fp\n"
      ".arch_extension simd\n"
      "ld1 {v0.2d, v1.2d, v2.2d, v3.2d}, [%[base]], #64\n"
      "ld1 {v4.2d, v5.2d, v6.2d, v7.2d}, [%[base]], #64\n"
      "ld1 {v8.2d, v9.2d, v10.2d, v11.2d}, [%[base]], #64\n"
      "ld1 {v12.2d, v13.2d, v14.2d, v15.2d}, [%[base]], #64\n"
      "ld1 {v16.2d, v17.2d, v18.2d, v19.2d}, [%[base]], #64\n"
      "ld1 {v20.2d, v21.2d, v22.2d, v23.2d}, [%[base]], #64\n"
      "ld1 {v24.2d, v25.2d, v26.2d, v27.2d}, [%[base]], #64\n"
      "ld1 {v28.2d, v29.2d, v30.2d, v31.2d}, [%[base]], #64\n"
      "ldr %[scratch], [%[base]]\n"
      "msr fpcr, %[scratch]\n"
      "ldr %[scratch], [%[base], #8]\n"
      "msr fpsr, %[scratch]\n"
      : [base] "+r"(base), [scratch] "=&r"(scratch)
      :
      : "memory");
}

void prepare_fp(unsigned cpu) {
  fp_cpu_states[cpu] = {nullptr, true};
  write_cptr(true);
  instruction_barrier();
}

void take_fp_trap(Thread& thread) {
  Fp_cpu_state& state = fp_cpu_states[thread.cpu()];
  // The kernel's own FP/SIMD accesses below would trap too: open them
  // first, and synchronise before the first one.
  write_cptr(false);
  instruction_barrier();
  state.trapping = false;
  // A stopped owner's values are saved too: harmless, and nothing reads them.
  if (state.owner != nullptr) {
    save_fp_registers(state.owner->fp_registers);
    state.owner->fp_in_registers = false;
  }
  load_fp_registers(thread.fp_registers);
  state.owner = &thread;
  thread.fp_in_registers = true;
}

void forget_fp_registers(Thread& thread) {
  Fp_cpu_state& state = fp_cpu_states[thread.cpu()];
  if (state.owner != &thread) return;
  state.owner = nullptr;
  thread.fp_in_registers = false;
}

}  // namespace kestrel::arch
