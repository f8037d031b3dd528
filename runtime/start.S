/* SPDX-License-Identifier: Apache-2.0 */
/* Partition start-up: the kernel enters _start at EL0 with sp at the top of
 * the thread's stack region. Calls main and, should it return, stays put. */
.section .text.start, "ax"
.global _start
_start:
  bl main
1:
  b 1b
