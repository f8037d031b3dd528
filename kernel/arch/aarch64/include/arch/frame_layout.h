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

#define KERNEL_STACK_SIZE 0x2000 /* per CPU: the deepest use seen is 3,344 bytes (docs/kernel.md, Memory) */
