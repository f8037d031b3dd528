// SPDX-License-Identifier: Apache-2.0
// Exception: the C++ side of the EL2 vector table.
//
// Exceptions from native threads (EL0) go to generic code, which contains
// them to the thread; an exception taken at EL2 itself is a kernel bug and
// panics, unless an in-kernel test claimed it.
#include <arch/frame_layout.h>
#include <arch/cpu_state.hpp>
#include <arch/exception.hpp>
#include <arch/fp.hpp>
#include <arch/gic.hpp>
#include <arch/sysreg.hpp>
#include <arch/vgic.hpp>
#include <cstddef>
#include <kestrel/abi/syscall.hpp>
#include <kestrel/cpu.hpp>
#include <kestrel/fastpath.hpp>
#include <kestrel/kernel_lock.hpp>
#include <kestrel/log.hpp>
#include <kestrel/scheduler.hpp>
#include <kestrel/user_exception.hpp>

namespace kestrel::arch {
namespace {

// Written only by the CPU running in-kernel tests, before it provokes an
// exception on itself, so no ordering with other CPUs is needed.
Exception_hook kernel_exception_hook = nullptr;

const char* vector_name(uint64_t vector) {
  static constexpr const char* names[] = {
      "sync (EL2, SP0)",
      "IRQ (EL2, SP0)",
      "FIQ (EL2, SP0)",
      "SError (EL2, SP0)",
      "sync (EL2)",
      "IRQ (EL2)",
      "FIQ (EL2)",
      "SError (EL2)",
      "sync (lower, A64)",
      "IRQ (lower, A64)",
      "FIQ (lower, A64)",
      "SError (lower, A64)",
      "sync (lower, A32)",
      "IRQ (lower, A32)",
      "FIQ (lower, A32)",
      "SError (lower, A32)",
      "IRQ (lower, A64, acknowledged)",
  };
  return vector < 17 ? names[vector] : "unknown";
}

}  // namespace

void set_kernel_exception_hook(Exception_hook hook) { kernel_exception_hook = hook; }

bool decode_vm_exit(const Exception_frame& frame, Thread& vcpu);  // vcpu.cpp
// A guest's store with a valid syndrome to one of its doorbells: rung, and
// the vCPU goes on past the store (vcpu.cpp).
bool take_guest_doorbell(Exception_frame& frame, Thread& vcpu);

namespace {

// What a synchronous exception from EL0 means, from its ESR.
User_exception decode_user_exception(const Exception_frame& frame) {
  const auto exception_class = static_cast<Exception_class>(Esr_class::get(frame.esr));
  const uint64_t iss = Esr_iss::get(frame.esr);
  auto fault = [&](const char* description, bool address_valid = false) {
    return User_exception{User_exception::Kind::fault, description, frame.far, address_valid};
  };
  switch (exception_class) {
    case Exception_class::svc_aarch64:
      // Only `svc #0` is a system call; other immediates are reserved.
      return (iss & 0xffff) == 0 ? User_exception{User_exception::Kind::syscall, "", 0, false}
                                 : fault("svc with a non-zero immediate");
    case Exception_class::wfi_wfe:
      return {User_exception::Kind::wait, "", 0, false};
    case Exception_class::unknown:
      return fault("undefined instruction");
    case Exception_class::illegal_state:
      return fault("illegal execution state");
    case Exception_class::sysreg_trap:
      return fault("system register access");
    case Exception_class::instruction_abort_lower:
      return fault("instruction abort", true);
    case Exception_class::pc_alignment:
      return fault("PC alignment fault", true);
    case Exception_class::data_abort_lower:
      return fault("data abort", Data_abort_far_not_valid::get(iss) == 0);
    case Exception_class::sp_alignment:
      return fault("SP alignment fault");
    case Exception_class::brk_aarch64:
      return fault("breakpoint instruction");
    // The kernel keeps every debug exception but BRK off (cpu_state.cpp);
    // should one come anyway, it is the thread's fault like any other.
    case Exception_class::breakpoint_lower:
      return fault("hardware breakpoint");
    case Exception_class::software_step_lower:
      return fault("software step");
    case Exception_class::watchpoint_lower:
      return fault("watchpoint", true);
    default:
      return fault("unexpected exception");
  }
}

// An exception from a partition's thread, with the kernel lock held.
void handle_lower_exception(Exception_frame& frame, Vector vector) {
  Thread* const thread = this_cpu_scheduler().current();
  switch (vector) {
    case Vector::lower64_sync:
      // Lazy FP/SIMD switching, for native threads and vCPUs alike: neither
      // a fault nor an exit; the instruction runs again.
      if (thread != nullptr && Esr_class::get(frame.esr) == static_cast<uint64_t>(Exception_class::fp_simd_access)) {
        take_fp_trap(*thread);
        break;
      }
      if (thread != nullptr && thread->is_vcpu()) {
        // Not an exit: a system register the kernel emulates, WFI (ISS.TI
        // 0) or WFE (1), which the kernel handles.
        const bool sysreg = Esr_class::get(frame.esr) == static_cast<uint64_t>(Exception_class::sysreg_trap);
        const auto kind = sysreg && emulate_guest_system_register(frame, *thread) ? User_exception::Kind::emulated
                          : decode_vm_exit(frame, *thread)                        ? User_exception::Kind::vm_exit
                          : (Esr_iss::get(frame.esr) & 1) != 0                    ? User_exception::Kind::pause
                                                                                  : User_exception::Kind::wait;
        handle_user_exception(frame, User_exception{kind, "", 0, false});
      } else {
        handle_user_exception(frame, decode_user_exception(frame));
      }
      break;
    case Vector::lower64_irq:
    case Vector::lower64_fiq:
      handle_interrupts();
      break;
    case Vector::lower64_irq_acknowledged:
      handle_interrupts(static_cast<uint32_t>(frame.acknowledged_intid));
      break;
    default:
      // A partition's asynchronous error, or AArch32 state it can never
      // legitimately be in: contained to the thread like a fault.
      handle_user_exception(
          frame, User_exception{User_exception::Kind::fault, "asynchronous error (SError)", frame.far, false});
      break;
  }
  // Whichever vCPU runs now gets the interrupts injected for it meanwhile.
  if (Thread* const next = this_cpu_scheduler().current(); next != nullptr && next->is_vcpu()) {
    vgic::flush(next->vcpu_interrupts);
  }
}

// A guest's MMIO access (with a valid syndrome) or hypercall: a doorbell,
// which the vCPU passes without leaving its CPU (ring_guest_doorbell), or
// an exit the kernel never handles itself, so decoding it first changes
// nothing the general path would not; the fast path's if its conditions
// hold.
Thread* try_vm_exit_fastpath(Exception_frame& frame, Thread& vcpu) {
  const auto exception_class = static_cast<Exception_class>(Esr_class::get(frame.esr));
  const bool mmio = exception_class == Exception_class::data_abort_lower &&
                    Data_abort_syndrome_valid::get(Esr_iss::get(frame.esr)) != 0;
  if (!mmio && exception_class != Exception_class::hvc_aarch64 && exception_class != Exception_class::smc_aarch64) {
    return nullptr;
  }
  // A vCPU stopped by another CPU while it ran rings nothing: the general
  // path takes it off this CPU (handle_user_exception).
  if (mmio && vcpu.state == Thread::State::ready && take_guest_doorbell(frame, vcpu)) return &vcpu;
  if (!decode_vm_exit(frame, vcpu)) return nullptr;
  return fastpath_vm_exit(vcpu);
}

// An interrupt while a native thread ran: acknowledged here, so that a
// device interrupt for a waiting driver can take the fast path; any other
// goes on to the general path as an acknowledged one (`vector` changed).
Thread* try_interrupt_fastpath(Exception_frame& frame, Vector& vector, Thread& thread) {
  const uint32_t intid = gic::acknowledge();
  frame.acknowledged_intid = intid;
  vector = Vector::lower64_irq_acknowledged;
  if (intid < gic::first_spi) return nullptr;  // the kernel's own (timer, SGI) or spurious
  Thread* const next = fastpath_interrupt(thread, intid);
  // Taken: only the priority drops; it stays active until its owner
  // acknowledges it, as take_interrupts leaves it.
  if (next != nullptr) gic::priority_drop(intid);
  return next;
}

// `svc #0` from a native thread with send or signal in x8, a vCPU's exit, or an interrupt while a native thread ran:
// the fast path's, if its conditions hold.
Thread* try_fastpath(Exception_frame& frame, Vector& vector) {
  Thread* const thread = this_cpu_scheduler().current();
  if (thread == nullptr) return nullptr;
  if (vector != Vector::lower64_sync) {
    return vector == Vector::lower64_irq && !thread->is_vcpu() ? try_interrupt_fastpath(frame, vector, *thread)
                                                               : nullptr;
  }
  if (Esr_class::get(frame.esr) != static_cast<uint64_t>(Exception_class::svc_aarch64) ||
      (Esr_iss::get(frame.esr) & 0xffff) != 0 || thread->is_vcpu()) {
    return thread->is_vcpu() ? try_vm_exit_fastpath(frame, *thread) : nullptr;
  }
  // Call and reply_recv come here only when their fast paths, which the
  // vector tried, declined.
  const auto number = static_cast<abi::Syscall>(frame.x[8]);
  if (number == abi::Syscall::send) return fastpath_send(*thread);
  if (number == abi::Syscall::signal) return fastpath_signal(*thread);
  return nullptr;
}

}  // namespace

// Returns the frame to resume: for an exception from a thread, the context
// of whichever thread runs next on this CPU.
namespace {

// The general path for an exception from a thread, under the kernel lock,
// which it releases. Out of line, so that handle_exception stays a short
// function that saves few registers on the way to a fast path.
[[gnu::noinline]] Exception_frame* handle_lower_exception_and_release(Exception_frame& frame, Vector vector) {
  handle_lower_exception(frame, vector);
  log_flush_if_quiet();
  Exception_frame* const resume = &this_cpu_scheduler().current()->context;
  kernel_lock().release();
  return resume;
}

// An exception taken at EL2 itself: an in-kernel test's, or a kernel bug.
[[gnu::noinline, gnu::cold]] Exception_frame* handle_kernel_exception(Exception_frame* frame, uint64_t vector) {
  if (vector == static_cast<uint64_t>(Vector::current_spx_sync) && kernel_exception_hook != nullptr &&
      kernel_exception_hook(*frame)) {
    return frame;
  }
  panic("unexpected exception {} at elr={:#x}: esr={:#x} (class {:#x}) far={:#x}", vector_name(vector), frame->elr,
        frame->esr, Esr_class::get(frame->esr), frame->far);
}

}  // namespace

static_assert(ESR_SVC_0 == (static_cast<uint64_t>(Exception_class::svc_aarch64) << 26 | 1u << 25));
static_assert(SYSCALL_CALL == static_cast<uint64_t>(abi::Syscall::call));
static_assert(SYSCALL_REPLY_RECV == static_cast<uint64_t>(abi::Syscall::reply_recv));
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"  // Thread is not standard-layout; GCC lays it out plainly
static_assert(THREAD_CONTEXT == offsetof(Thread, context));
#pragma GCC diagnostic pop

extern "C" Exception_frame* handle_exception(Exception_frame* frame, uint64_t vector) {
  if (vector < static_cast<uint64_t>(Vector::lower64_sync)) return handle_kernel_exception(frame, vector);
  kernel_lock().acquire();
  auto lower_vector = static_cast<Vector>(vector);
  if (Thread* next = try_fastpath(*frame, lower_vector); next != nullptr) {
    kernel_lock().release();
    return &next->context;
  }
  return handle_lower_exception_and_release(*frame, lower_vector);
}

}  // namespace kestrel::arch
