/* SPDX-License-Identifier: Apache-2.0 */
/* Frame layout: offsets shared by the exception vectors (assembly) and
 * Exception_frame (C++), which checks them with static_assert. */
#pragma once

#define FRAME_X0 0
#define FRAME_ELR 248 /* after x0..x30 */
#define FRAME_SPSR 256
#define FRAME_ESR 264
#define FRAME_FAR 272
#define FRAME_SP_EL0 280       /* a native thread's stack pointer */
#define FRAME_TPIDR_EL0 288    /* and its thread pointer */
#define FRAME_ACKNOWLEDGED 296 /* an interrupt the vector acknowledged (vector 16 only) */
#define FRAME_SIZE 304         /* keeps sp 16-byte aligned */

/* What the vector for synchronous exceptions from threads looks for
 * (thread_sync in vectors.S); exception.cpp checks them against the C++
 * definitions. */
#define ESR_SVC_0 0x56000000 /* EC 0x15 (SVC from AArch64), IL 1, imm16 0 */
#define SYSCALL_CALL 6
#define SYSCALL_REPLY_RECV 4
#define THREAD_CONTEXT 16 /* offsetof(Thread, context) */

#define KERNEL_STACK_SIZE 0x2000 /* per CPU: the deepest use seen is 3,344 bytes (docs/kernel.md, Memory) */
