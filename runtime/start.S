/* SPDX-License-Identifier: Apache-2.0 */
/* Partition start-up: the kernel enters _start at EL0 with sp at the top of
 * the thread's stack region. Calls main and, should it return, ends the
 * thread with thread_exit, so the kernel logs "thread NAME exited" and the
 * CPU goes to other work instead of spinning here. */
.section .text.start, "ax"
.global _start
_start:
  bl main
  /* abi::Syscall::thread_exit; runtime/include/kestrel/syscall.hpp asserts
   * the number, which the ABI never changes once released. */
  mov x8, #1
  svc #0
1:
  b 1b  /* thread_exit never returns: only a backstop */
