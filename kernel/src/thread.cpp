// SPDX-License-Identifier: Apache-2.0
// Thread: creation.
#include <kestrel/abi/limits.hpp>
#include <kestrel/thread.hpp>

namespace kestrel {
namespace {

// SPSR for the first entry: EL0 with SP_EL0, or EL1 with SP_EL1 for a vCPU,
// interrupts masked in PSTATE (physical interrupts are routed to EL2 anyway,
// whatever PSTATE says).
constexpr uint64_t spsr_el0_masked = 0x3c0;
constexpr uint64_t spsr_el1h_masked = 0x3c5;

}  // namespace

// Every thread, carved at boot (kernel_objects.cpp) and created from
// boot-info; no allocation after.
Thread* thread_pool = nullptr;
uint32_t thread_count = 0;

void Thread::start_vcpu(uint64_t entry, uint64_t context_id) {
  context = {};
  context.elr = entry;
  context.spsr = spsr_el1h_masked;
  context.x[0] = context_id;
  vcpu_registers = arch::Vcpu_registers::at_reset(vcpu_index_);
  vcpu_interrupts = {};  // nothing from before a CPU_OFF
  fp_registers = {};
}

void Thread::reset_vcpu(uint64_t entry, uint64_t context_id) {
  start_vcpu(entry, context_id);
  state = State::inactive;
  wake_at = 0;
  reply_to = nullptr;
  serving = nullptr;
  next_sender = nullptr;
  kernel_message = false;
  stop_when_answered = false;
  exit_register = 0;
  resume_advance = 0;
  for (uint64_t& word : message) word = 0;
  // start_vcpu zeroed its FP registers; the caller makes any CPU that holds
  // them live forget them (arch::forget_fp_registers, not built for the host).
}

const Thread* Thread::donor_of_passive() const {
  const Thread* thread = this;
  // Bounded: a chain of passive servers each handling (or starting up for)
  // the next one's message has at most one link per thread.
  for (uint32_t links = 0; links < abi::max_threads; ++links) {
    if (!thread->passive_) return thread;
    if (thread->serving == nullptr) return nullptr;
    // Starting up: only while the lender still waits to send to it.
    if (!thread->waited_for_call && !thread->serving->waits_to_send()) return nullptr;
    thread = thread->serving;
  }
  return nullptr;
}

Thread& thread_object(uint32_t index) { return thread_pool[index < thread_count ? index : 0]; }

void Thread::create(const abi::Thread_entry& entry, const char* name, Partition& partition, uint32_t number) {
  partition_ = &partition;
  name_ = name;
  priority_ = entry.priority;
  cpu_ = entry.cpu;
  fault_endpoint_ = entry.fault_endpoint;
  vcpu_ = (entry.flags & abi::thread_vcpu) != 0;
  passive_ = (entry.flags & abi::thread_passive) != 0;
  budget_ns_ = entry.budget_ns;
  period_ns_ = entry.period_ns;
  waited_for_call = false;
  overrun_reported = false;
  vcpu_index_ = number;  // a VM's threads are its vCPUs, in order
  context = {};
  fp_registers = {};
  fp_in_registers = false;
  context.elr = entry.entry;
  if (vcpu_) {
    context.spsr = spsr_el1h_masked;
    context.x[0] = entry.stack_top;  // the device tree, per the Linux boot protocol
    vcpu_registers = arch::Vcpu_registers::at_reset(number);
    vcpu_interrupts = {};
  } else {
    context.spsr = spsr_el0_masked;
    context.sp_el0 = entry.stack_top;
  }
  state = State::inactive;
}

}  // namespace kestrel
