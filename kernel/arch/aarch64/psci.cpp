// SPDX-License-Identifier: Apache-2.0
// PSCI: the SMC calling convention (SMCCC) wrapper and PSCI calls.
#include <arch/psci.hpp>
#include <arch/sysreg.hpp>
#include <kestrel/arch.hpp>

namespace kestrel::arch::psci {
namespace {

enum class Function : uint64_t {
  version = 0x8400'0000,
  cpu_on = 0xc400'0003,         // SMC64
  affinity_info = 0xc400'0004,  // SMC64
  system_off = 0x8400'0008,
};

// SMCCC: arguments in x1..x3, result in x0. SMCCC 1.0 lets the firmware
// clobber x4..x17, so they are declared clobbered.
int64_t call(Function function, uint64_t arg1 = 0, uint64_t arg2 = 0, uint64_t arg3 = 0) {
  register uint64_t x0 asm("x0") = static_cast<uint64_t>(function);
  register uint64_t x1 asm("x1") = arg1;
  register uint64_t x2 asm("x2") = arg2;
  register uint64_t x3 asm("x3") = arg3;
  asm volatile("smc #0"
               : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
               :
               : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "memory");
  return static_cast<int64_t>(x0);
}

}  // namespace

uint32_t version() { return static_cast<uint32_t>(call(Function::version)); }

int64_t affinity_info(uint64_t mpidr) { return call(Function::affinity_info, mpidr, 0); }

Status cpu_on(uint64_t mpidr, uint64_t entry_point, uint64_t context_id) {
  return static_cast<Status>(call(Function::cpu_on, mpidr, entry_point, context_id));
}

[[noreturn]] void system_off() {
  call(Function::system_off);
  // SYSTEM_OFF does not return on success; if the firmware refuses, stop here.
  halt();
}

}  // namespace kestrel::arch::psci

namespace kestrel::arch {

Psci_version psci_version() {
  const uint32_t raw = psci::version();
  return {raw >> 16, raw & 0xffff};
}

[[noreturn]] void power_off() { psci::system_off(); }

[[noreturn]] void halt() {
  asm volatile("msr daifset, #0xf");
  for (;;) wait_for_event();
}

}  // namespace kestrel::arch
