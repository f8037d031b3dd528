// SPDX-License-Identifier: Apache-2.0
// MMU tests: with the kernel's MMU on, its text cannot be written and its
// data cannot be executed.
#include "ktest.hpp"

#include <arch/exception.hpp>
#include <arch/sysreg.hpp>
#include <kestrel/arch.hpp>

extern "C" char __kernel_start[];

using namespace kestrel;

namespace {

// Changed by the exception hook, behind the compiler's back.
volatile uint64_t faults = 0;
volatile uint64_t last_class = 0;

// Claims the test's own permission faults: skips a faulting store, and
// returns from a faulting jump to the caller (x30).
bool claim_permission_fault(arch::Exception_frame& frame) {
  const auto exception_class = static_cast<arch::Exception_class>(arch::Esr_class::get(frame.esr));
  last_class = static_cast<uint64_t>(exception_class);
  faults = faults + 1;
  if (exception_class == arch::Exception_class::data_abort_same) {
    frame.elr += 4;
    return true;
  }
  if (exception_class == arch::Exception_class::instruction_abort_same) {
    frame.elr = frame.x[30];
    return true;
  }
  return false;
}

// A "function" in writable data: `ret`. Executing it must fault.
uint32_t data_code[1] = {0xd65f03c0};

}  // namespace

// Table pages, as the kernel objects area would give them (zero, .bss).
alignas(4096) uint8_t too_few_pages[5][4096];
alignas(4096) uint8_t table_pages[8][4096];

KTEST(mmu, kernel_text_is_not_writable_and_data_not_executable) {
  // Without RAM: a root, a level-2 table and a level-3 table each for the
  // devices' GiB and the kernel's, and one more level-3 table for the GIC
  // (the UART is in another 2 MiB). One page short, the MMU stays off.
  KEXPECT_EQ(arch::enable_kernel_mmu({}, {}, &too_few_pages[0][0], 5), 0u);
  KEXPECT_EQ(arch::enable_kernel_mmu({}, {}, &table_pages[0][0], 8), 6u);
  arch::set_kernel_exception_hook(claim_permission_fault);
  faults = 0;
  auto* text = reinterpret_cast<volatile uint32_t*>(__kernel_start);
  const uint32_t original = *text;  // reading text is fine
  // One store instruction: `*text = 0` may become four byte stores, since
  // the symbol is a char array.
  asm volatile("str wzr, [%0]" : : "r"(text) : "memory");
  KEXPECT_EQ(faults, 1u);
  KEXPECT_EQ(last_class, static_cast<uint64_t>(arch::Exception_class::data_abort_same));
  KEXPECT_EQ(*text, original);
  reinterpret_cast<void (*)()>(reinterpret_cast<uint64_t>(data_code))();
  KEXPECT_EQ(faults, 2u);
  KEXPECT_EQ(last_class, static_cast<uint64_t>(arch::Exception_class::instruction_abort_same));
  arch::set_kernel_exception_hook(nullptr);
}
