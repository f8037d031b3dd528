/* SPDX-License-Identifier: Apache-2.0 */
/* Vectors: the EL2 exception vector table.
 *
 * While a thread runs, SP_EL2 points just past its saved-register area
 * (Thread::context), so an exception from EL0 or EL1 saves the thread's
 * registers straight into its own Thread object; the kernel then runs on
 * this CPU's kernel stack (its top is in TPIDR_EL2, with the CPU's index in
 * the low four bits). handle_exception(frame,
 * vector index) returns the frame to resume, which for a thread switch is
 * simply another thread's context: switching copies no registers.
 *
 * An exception taken at EL2 itself saves its frame on the kernel stack it
 * interrupted, and resumes it.
 *
 * An IRQ from a guest that is its own virtual timer's is handled here, in
 * a few instructions, without the kernel lock (see guest_irq). */
#include <arch/frame_layout.h>

.macro vector_entry index
  .balign 128
  sub sp, sp, #FRAME_SIZE
  stp x0, x1, [sp, #FRAME_X0]
  .if \index == 9
  b guest_irq
  .elseif \index == 8
  b thread_sync
  .else
  mov x1, #\index
  .if \index < 8
  b save_kernel_frame
  .else
  b save_thread_frame
  .endif
  .endif
.endm

.section .text.vectors, "ax"
.balign 2048
.global exception_vectors
exception_vectors:
  .irp index, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
  vector_entry \index
  .endr

/* Saves x2-x30, the return state and a native thread's stack and thread
 * pointers into the frame at sp (x0 and x1 are saved already). */
.macro save_registers
  stp x2, x3, [sp, #16]
  stp x4, x5, [sp, #32]
  stp x6, x7, [sp, #48]
  stp x8, x9, [sp, #64]
  stp x10, x11, [sp, #80]
  stp x12, x13, [sp, #96]
  stp x14, x15, [sp, #112]
  stp x16, x17, [sp, #128]
  stp x18, x19, [sp, #144]
  stp x20, x21, [sp, #160]
  stp x22, x23, [sp, #176]
  stp x24, x25, [sp, #192]
  stp x26, x27, [sp, #208]
  stp x28, x29, [sp, #224]
  str x30, [sp, #240]
  mrs x2, elr_el2
  mrs x3, spsr_el2
  stp x2, x3, [sp, #FRAME_ELR]
  mrs x2, sp_el0
  mrs x3, tpidr_el0
  stp x2, x3, [sp, #FRAME_SP_EL0]
.endm

/* save_registers, then the syndrome and fault address too (x1 holds the
 * vector index). */
.macro save_rest
  save_registers
  mrs x2, esr_el2
  mrs x3, far_el2
  stp x2, x3, [sp, #FRAME_ESR]
.endm

/* A synchronous exception from a thread. `svc #0` with call or reply_recv
 * in x8 (still the thread's own: nothing above changes it) goes straight to
 * its fast path, which takes the kernel lock itself; the round trip's two
 * calls skip handle_exception's dispatch and the FAR, which a system call
 * does not set. The thread is the one whose context the frame is (a vCPU's
 * svc never reaches EL2). Anything else, and a call or reply_recv the fast
 * path declines, goes to handle_exception as vector 8. */
thread_sync:
  save_registers
  mrs x2, esr_el2
  mov x19, sp /* the frame: x19 is saved, and the C++ calls keep it */
  mrs x3, tpidr_el2 /* this CPU's kernel stack (empty) | its index */
  and x3, x3, #0xfffffffffffffff0
  mov sp, x3
  mov w3, #ESR_SVC_0
  cmp w2, w3
  b.ne 2f
  sub x0, x19, #THREAD_CONTEXT
  cmp x8, #SYSCALL_REPLY_RECV
  b.eq 1f
  cmp x8, #SYSCALL_CALL
  b.ne 2f
  bl call_fastpath_locked
  cbz x0, 3f
  add x0, x0, #THREAD_CONTEXT
  b restore_frame
1:
  bl reply_recv_fastpath_locked
  cbz x0, 3f
  add x0, x0, #THREAD_CONTEXT
  b restore_frame
3:
  mrs x2, esr_el2
2:
  mrs x3, far_el2
  stp x2, x3, [x19, #FRAME_ESR]
  mov x0, x19
  mov x1, #8
  bl handle_exception
  b restore_frame

/* An IRQ from a thread. With HCR_EL2.TGE clear a vCPU was running, and if
 * the interrupt is its virtual timer's (the only PPI 27 of this CPU is the
 * loaded vCPU's timer), the fast path: drop its priority and list it in
 * list register 0 as a hardware interrupt, as take_interrupts does, then
 * back to the guest, which takes it at once. It touches only this CPU's
 * GIC registers, so it needs no lock; no thread's state changes.
 * Any other interrupt it acknowledged goes to the general path as vector
 * 16, with its INTID in the frame. */
guest_irq:
  mrs x0, hcr_el2
  tbnz x0, #27, 1f /* TGE: a native thread was running */
  mrs x0, icc_iar1_el1
  adrp x1, timer_list_register_value
  ldr x1, [x1, :lo12:timer_list_register_value]
  cmp w0, w1 /* the list register's virtual INTID is the physical one */
  b.ne 2f
  msr icc_eoir1_el1, x0
  msr ich_lr0_el2, x1
  ldp x0, x1, [sp, #FRAME_X0]
  add sp, sp, #FRAME_SIZE
  eret
2:
  str x0, [sp, #FRAME_ACKNOWLEDGED]
  mov x1, #16
  b save_thread_frame
1:
  mov x1, #9
  /* falls through */

save_thread_frame:
  save_rest
  mov x0, sp
  mrs x2, tpidr_el2 /* this CPU's kernel stack (empty) | its index */
  and x2, x2, #0xfffffffffffffff0
  mov sp, x2
  bl handle_exception
  b restore_frame

save_kernel_frame:
  save_rest
  mov x0, sp
  bl handle_exception
  /* falls through */

/* restore_frame(frame in x0): loads the registers saved in the frame and
 * returns from the exception, leaving sp just past the frame. Also the way
 * into a thread for the first time (enter_frame). */
restore_frame:
  mov sp, x0
  ldp x2, x3, [sp, #FRAME_SP_EL0]
  msr sp_el0, x2
  msr tpidr_el0, x3
  ldp x2, x3, [sp, #FRAME_ELR]
  msr elr_el2, x2
  msr spsr_el2, x3
  ldp x2, x3, [sp, #16]
  ldp x4, x5, [sp, #32]
  ldp x6, x7, [sp, #48]
  ldp x8, x9, [sp, #64]
  ldp x10, x11, [sp, #80]
  ldp x12, x13, [sp, #96]
  ldp x14, x15, [sp, #112]
  ldp x16, x17, [sp, #128]
  ldp x18, x19, [sp, #144]
  ldp x20, x21, [sp, #160]
  ldp x22, x23, [sp, #176]
  ldp x24, x25, [sp, #192]
  ldp x26, x27, [sp, #208]
  ldp x28, x29, [sp, #224]
  ldr x30, [sp, #240]
  ldp x0, x1, [sp, #FRAME_X0]
  add sp, sp, #FRAME_SIZE
  eret

/* enter_frame(frame): starts executing the thread whose saved registers
 * are *frame (its Thread::context); the kernel stack is abandoned. */
.global enter_frame
enter_frame:
  b restore_frame
