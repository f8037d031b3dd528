/* SPDX-License-Identifier: Apache-2.0 */
/* Guest vectors: an EL1 vector table for the interrupt guests. IRQs taken at
 * EL1 call guest_irq() and synchronous exceptions guest_sync(), with the
 * caller-saved registers preserved; anything else calls
 * guest_unexpected(vector index), which does not return. */
.macro entry index
  .balign 128
  .if \index == 5
  b irq_entry
  .elseif \index == 4
  b sync_entry
  .else
  mov x0, #\index
  b guest_unexpected
  .endif
.endm

.section .text.vectors, "ax"
.balign 2048
.global guest_vectors
guest_vectors:
  .irp index, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
  entry \index
  .endr

.macro save_caller_saved
  sub sp, sp, #176
  stp x0, x1, [sp, #0]
  stp x2, x3, [sp, #16]
  stp x4, x5, [sp, #32]
  stp x6, x7, [sp, #48]
  stp x8, x9, [sp, #64]
  stp x10, x11, [sp, #80]
  stp x12, x13, [sp, #96]
  stp x14, x15, [sp, #112]
  stp x16, x17, [sp, #128]
  stp x18, x29, [sp, #144]
  str x30, [sp, #160]
.endm

.macro restore_caller_saved
  ldp x0, x1, [sp, #0]
  ldp x2, x3, [sp, #16]
  ldp x4, x5, [sp, #32]
  ldp x6, x7, [sp, #48]
  ldp x8, x9, [sp, #64]
  ldp x10, x11, [sp, #80]
  ldp x12, x13, [sp, #96]
  ldp x14, x15, [sp, #112]
  ldp x16, x17, [sp, #128]
  ldp x18, x29, [sp, #144]
  ldr x30, [sp, #160]
  add sp, sp, #176
.endm

sync_entry:
  save_caller_saved
  bl guest_sync
  restore_caller_saved
  eret

irq_entry:
  save_caller_saved
  bl guest_irq
  restore_caller_saved
  eret
