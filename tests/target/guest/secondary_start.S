/* SPDX-License-Identifier: Apache-2.0 */
/* Secondary vCPU start-up for the guests with two vCPUs: the entry their
 * first vCPU passes to PSCI CPU_ON. A stack of its own (one secondary at
 * most), then secondary_main(x0 = the CPU_ON context). */
.section .text
.global secondary_start
secondary_start:
  adrp x1, secondary_stack_top
  add x1, x1, :lo12:secondary_stack_top
  mov sp, x1
  b secondary_main

.section .bss
.balign 16
secondary_stack:
  .skip 4096
secondary_stack_top:
