// SPDX-License-Identifier: Apache-2.0
// Exception: the register frame saved on every exception taken to EL2, and
// the hook through which in-kernel tests claim exceptions they provoke.
#pragma once

#include <cstddef>
#include <cstdint>

#include <arch/frame_layout.h>

namespace kestrel::arch {

struct Exception_frame {
  uint64_t x[31];
  uint64_t elr;
  uint64_t spsr;
  uint64_t esr;
  uint64_t far;
  uint64_t sp_el0;
  uint64_t tpidr_el0;
  // Vector 16 only: the interrupt the guest-IRQ vector acknowledged before
  // it found it was not the virtual timer's (vectors.S). Otherwise unused
  // (it also keeps the frame a multiple of 16 bytes).
  uint64_t acknowledged_intid;
};
static_assert(offsetof(Exception_frame, x) == FRAME_X0);
static_assert(offsetof(Exception_frame, elr) == FRAME_ELR);
static_assert(offsetof(Exception_frame, spsr) == FRAME_SPSR);
static_assert(offsetof(Exception_frame, esr) == FRAME_ESR);
static_assert(offsetof(Exception_frame, far) == FRAME_FAR);
static_assert(offsetof(Exception_frame, sp_el0) == FRAME_SP_EL0);
static_assert(offsetof(Exception_frame, tpidr_el0) == FRAME_TPIDR_EL0);
static_assert(offsetof(Exception_frame, acknowledged_intid) == FRAME_ACKNOWLEDGED);
static_assert(sizeof(Exception_frame) == FRAME_SIZE);

// Which of the 16 vector table entries an exception came through, and 16:
// an IRQ from a guest whose interrupt the vector acknowledged already.
enum class Vector : uint64_t {
  current_sp0_sync = 0,
  current_spx_sync = 4,
  current_spx_irq = 5,
  current_spx_fiq = 6,
  current_spx_serror = 7,
  lower64_sync = 8,
  lower64_irq = 9,
  lower64_fiq = 10,
  lower64_serror = 11,
  lower32_sync = 12,
  lower64_irq_acknowledged = 16,
};

// A hook that may handle a synchronous exception taken at EL2 itself, which
// otherwise is a kernel bug and panics. It returns true if it handled the
// exception (after adjusting the frame, e.g. advancing elr). Used by
// in-kernel tests that provoke exceptions on purpose.
using Exception_hook = bool (*)(Exception_frame& frame);
void set_kernel_exception_hook(Exception_hook hook);

}  // namespace kestrel::arch
