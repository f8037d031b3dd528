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
  /* The boot CPU is CPU 0, on the stack in .bss (smp.cpp). */
  adrp x0, kernel_boot_stack
  add x0, x0, :lo12:kernel_boot_stack
  add x0, x0, #KERNEL_STACK_SIZE
  bl set_stack_and_vectors
  bl kernel_main
  b park

/* Entered through PSCI CPU_ON with x0 = the context id: the top of the
 * CPU's stack, carved by the boot CPU, with its index in the low four
 * bits (smp.cpp). */
.global secondary_entry
secondary_entry:
  msr daifset, #0xf
  mov x19, x0
  bl set_stack_and_vectors
  and x0, x19, #0xf
  bl secondary_main
  b park

/* x0 = the top of this CPU's stack (16-byte aligned) | its index. sp = the
 * top; TPIDR_EL2 = x0: the vectors find the kernel stack there,
 * current_cpu() the index. VBAR_EL2 = exception_vectors. Uses x0-x1 and
 * returns through x30 without touching the (old) stack. */
set_stack_and_vectors:
  and x1, x0, #~0xf
  mov sp, x1
  msr tpidr_el2, x0
  adrp x1, exception_vectors
  add x1, x1, :lo12:exception_vectors
  msr vbar_el2, x1
  isb
  ret

park:
  wfe
  b park
