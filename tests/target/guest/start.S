/* SPDX-License-Identifier: Apache-2.0 */
/* Guest start-up: a stack, then guest_main. */
.section .text.start, "ax"
.global _start
_start:
  adrp x1, guest_stack_top
  add x1, x1, :lo12:guest_stack_top
  mov sp, x1
  bl guest_main
1:
  wfi
  b 1b

.section .bss
.balign 16
guest_stack:
  .skip 4096
guest_stack_top:
