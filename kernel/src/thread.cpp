// SPDX-License-Identifier: Apache-2.0
// Thread: creation.
#include <kestrel/thread.hpp>

namespace kestrel {
namespace {

// SPSR for the first entry: EL0 with SP_EL0, interrupts masked in PSTATE
// (physical interrupts are routed to EL2 anyway, whatever PSTATE says).
constexpr uint64_t spsr_el0_masked = 0x3c0;

}  // namespace

void Thread::create(const abi::Thread_entry& entry, const char* name, Partition& partition) {
  partition_ = &partition;
  name_ = name;
  priority_ = entry.priority;
  cpu_ = entry.cpu;
  context = {};
  context.elr = entry.entry;
  context.spsr = spsr_el0_masked;
  context.sp_el0 = entry.stack_top;
  state = State::inactive;
}

}  // namespace kestrel
