/* SPDX-License-Identifier: Apache-2.0 */
/* Boot: the first instructions of the boot CPU and of each secondary CPU.
 * Sets up a stack and the EL2 vector table, then enters C++. The MMU is off:
 * all data accesses are Device memory until the kernel maps itself. */
#include <arch/frame_layout.h>

.section .text.boot, "ax"
.global _start
_start:
  msr daifset, #0xf
  /* Zero .bss (8-byte aligned by the linker script). */
  adrp x1, __bss_start
  add x1, x1, :lo12:__bss_start
  adrp x2, __bss_end
  add x2, x2, :lo12:__bss_end
1:
  cmp x1, x2
  b.hs 2f
  str xzr, [x1], #8
  b 1b
2:
  mov x0, #0 /* the boot CPU uses stack slot 0 */
  bl set_stack_and_vectors
  bl kernel_main
  b park

/* Entered through PSCI CPU_ON with x0 = CPU index (the context id). */
.global secondary_entry
secondary_entry:
  msr daifset, #0xf
  mov x19, x0
  bl set_stack_and_vectors
  mov x0, x19
  bl secondary_main
  b park

/* sp = top of the stack of CPU x0; TPIDR_EL2 = the same with the CPU's index
 * in its low four bits (the top is 16-byte aligned): the vectors find the
 * kernel stack there, current_cpu() the index. VBAR_EL2 = exception_vectors.
 * Uses x0-x2 and returns through x30 without touching the (old) stack. */
set_stack_and_vectors:
  adrp x1, kernel_cpu_stacks
  add x1, x1, :lo12:kernel_cpu_stacks
  mov x2, #KERNEL_STACK_SIZE
  madd x1, x0, x2, x1
  add sp, x1, x2
  mov x1, sp
  orr x1, x1, x0
  msr tpidr_el2, x1
  adrp x1, exception_vectors
  add x1, x1, :lo12:exception_vectors
  msr vbar_el2, x1
  isb
  ret

park:
  wfe
  b park
