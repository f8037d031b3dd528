/* SPDX-License-Identifier: Apache-2.0 */
/* IPC benchmark guest: timing a virtual timer interrupt (guest.cpp).
 *
 * timer_round(deadline) arms the guest's virtual timer for `deadline`
 * (a CNTVCT value), unmasks IRQs and spins reading the cycle counter into
 * x15. The IRQ vector's first instruction reads the counter into x17; the
 * handler acknowledges and ends the interrupt, turns the timer off and
 * returns to timer_done, which gives back x17 - x15: the instructions from
 * the loop's last counter read to the handler's first, the hypervisor's
 * part in between. The loop is two instructions, so at most one of them is
 * the guest's own. */
.section .text.timer_vectors, "ax"
.balign 2048
.global timer_vectors
timer_vectors:
  .irp index, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
  .balign 128
  .if \index == 5 /* IRQ, current EL with SP_ELx */
  mrs x17, pmccntr_el0
  b timer_interrupt
  .else
  mov x0, #\index
  b guest_unexpected
  .endif
  .endr

timer_interrupt:
  mrs x16, icc_iar1_el1
  msr cntv_ctl_el0, xzr
  isb
  msr icc_eoir1_el1, x16
  adr x16, timer_done
  msr elr_el1, x16
  eret

.text
.global timer_round
timer_round:
  msr cntv_cval_el0, x0
  mov x1, #1 /* enabled, not masked */
  msr cntv_ctl_el0, x1
  isb
  msr daifclr, #2
1:
  mrs x15, pmccntr_el0
  b 1b
timer_done:
  msr daifset, #2
  sub x0, x17, x15
  ret
