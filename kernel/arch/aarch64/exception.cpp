// SPDX-License-Identifier: Apache-2.0
// Exception: the C++ side of the EL2 vector table.
//
// So far the kernel runs nothing below EL2, so every exception that reaches
// here is a kernel bug, unless an in-kernel test claimed it.
#include <arch/exception.hpp>
#include <arch/sysreg.hpp>
#include <kestrel/log.hpp>

namespace kestrel::arch {
namespace {

// Written only by the CPU running in-kernel tests, before it provokes an
// exception on itself, so no ordering with other CPUs is needed.
Exception_hook kernel_exception_hook = nullptr;

const char* vector_name(uint64_t vector) {
  static constexpr const char* names[] = {
      "sync (EL2, SP0)",   "IRQ (EL2, SP0)",   "FIQ (EL2, SP0)",   "SError (EL2, SP0)",
      "sync (EL2)",        "IRQ (EL2)",        "FIQ (EL2)",        "SError (EL2)",
      "sync (lower, A64)", "IRQ (lower, A64)", "FIQ (lower, A64)", "SError (lower, A64)",
      "sync (lower, A32)", "IRQ (lower, A32)", "FIQ (lower, A32)", "SError (lower, A32)",
  };
  return vector < 16 ? names[vector] : "unknown";
}

}  // namespace

void set_kernel_exception_hook(Exception_hook hook) { kernel_exception_hook = hook; }

extern "C" void handle_exception(Exception_frame* frame, uint64_t vector) {
  if (vector == static_cast<uint64_t>(Vector::current_spx_sync) && kernel_exception_hook != nullptr &&
      kernel_exception_hook(*frame)) {
    return;
  }
  panic("unexpected exception {} at elr={:#x}: esr={:#x} (class {:#x}) far={:#x}", vector_name(vector), frame->elr,
        frame->esr, Esr_class::get(frame->esr), frame->far);
}

}  // namespace kestrel::arch
