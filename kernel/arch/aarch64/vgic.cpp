// SPDX-License-Identifier: Apache-2.0
// Vgic: list registers, the virtual CPU interface and the virtual timer of
// vCPUs (the GICv3 architecture specification, chapter "Virtual interrupt
// handling", and the Arm ARM's generic timer chapter).
#include <arch/gic.hpp>
#include <arch/sysreg.hpp>
#include <arch/vgic.hpp>
#include <board/board.hpp>
#include <kestrel/bitfield.hpp>

namespace kestrel::arch::vgic {
namespace {

// ICH_LR<n>_EL2 fields.
using Lr_virtual_intid = Bitfield<0, 32>;
using Lr_physical_intid = Bitfield<32, 13>;
using Lr_priority = Bitfield<48, 8>;
using Lr_group1 = Bitflag<60>;
using Lr_hardware = Bitflag<61>;
using Lr_state = Bitfield<62, 2>;
constexpr uint64_t lr_invalid = 0;
constexpr uint64_t lr_pending = 1;
constexpr uint64_t lr_active = 2;
constexpr uint64_t lr_pending_active = 3;

// ICH_HCR_EL2: the virtual CPU interface on, and the underflow maintenance
// interrupt (at most one list register still valid) while injections wait.
// Underflow rather than "no pending": with every list register active
// (nested handlers) "no pending" would fire at once, again and again.
using Hcr_enable = Bitflag<0>;
using Hcr_underflow = Bitflag<1>;
// ICH_VTR_EL2: list registers - 1, and preemption bits - 1 (which fix how
// many active-priority registers each group has: 5 bits 1, 6 bits 2, 7 bits 4).
using Vtr_list_registers = Bitfield<0, 5>;
using Vtr_preemption_bits = Bitfield<26, 3>;

// CNTV_CTL_EL0 fields.
using Timer_enable = Bitflag<0>;
using Timer_masked = Bitflag<1>;
using Timer_firing = Bitflag<2>;  // ISTATUS

// Priority of injected interrupts: the middle of the guest's range, so any
// priority mask a guest sets for "everything" admits them.
constexpr uint64_t injected_priority = 0xa0;
constexpr unsigned timer_list_register = 0;

// Same on every CPU of the board; written by each CPU before it runs a vCPU.
unsigned list_register_count = 1;
unsigned active_priority_count = 1;

// A register number is part of the instruction: one case per number.
#define KESTREL_LR_CASE(n, body) \
  case n:                        \
    body(n);                     \
    break;
// (clang-format does not settle on a layout for these macros.)
// clang-format off
#define KESTREL_LR_CASES(body) \
  KESTREL_LR_CASE(0, body) KESTREL_LR_CASE(1, body) KESTREL_LR_CASE(2, body) KESTREL_LR_CASE(3, body) \
  KESTREL_LR_CASE(4, body) KESTREL_LR_CASE(5, body) KESTREL_LR_CASE(6, body) KESTREL_LR_CASE(7, body) \
  KESTREL_LR_CASE(8, body) KESTREL_LR_CASE(9, body) KESTREL_LR_CASE(10, body) KESTREL_LR_CASE(11, body) \
  KESTREL_LR_CASE(12, body) KESTREL_LR_CASE(13, body) KESTREL_LR_CASE(14, body) KESTREL_LR_CASE(15, body)
#define KESTREL_APR_CASES(body) \
  KESTREL_LR_CASE(0, body) KESTREL_LR_CASE(1, body) KESTREL_LR_CASE(2, body) KESTREL_LR_CASE(3, body)
// clang-format on

uint64_t read_list_register(unsigned n) {
  uint64_t value = 0;
#define KESTREL_READ_LR(n) asm volatile("mrs %0, ich_lr" #n "_el2" : "=r"(value))
  switch (n) { KESTREL_LR_CASES(KESTREL_READ_LR) default : break; }
#undef KESTREL_READ_LR
  return value;
}

void write_list_register(unsigned n, uint64_t value) {
#define KESTREL_WRITE_LR(n) asm volatile("msr ich_lr" #n "_el2, %0" : : "r"(value))
  switch (n) { KESTREL_LR_CASES(KESTREL_WRITE_LR) default : break; }
#undef KESTREL_WRITE_LR
}

void save_active_priorities(unsigned n, uint32_t& group1, uint32_t& group0) {
  uint64_t value1 = 0;
  uint64_t value0 = 0;
#define KESTREL_READ_APR(n) \
  asm volatile("mrs %0, ich_ap1r" #n "_el2\n mrs %1, ich_ap0r" #n "_el2" : "=r"(value1), "=r"(value0))
  switch (n) { KESTREL_APR_CASES(KESTREL_READ_APR) default : break; }
#undef KESTREL_READ_APR
  group1 = static_cast<uint32_t>(value1);
  group0 = static_cast<uint32_t>(value0);
}

void restore_active_priorities(unsigned n, uint64_t group1, uint64_t group0) {
#define KESTREL_WRITE_APR(n) \
  asm volatile("msr ich_ap1r" #n "_el2, %0\n msr ich_ap0r" #n "_el2, %1" : : "r"(group1), "r"(group0))
  switch (n) { KESTREL_APR_CASES(KESTREL_WRITE_APR) default : break; }
#undef KESTREL_WRITE_APR
}
#undef KESTREL_APR_CASES
#undef KESTREL_LR_CASES
#undef KESTREL_LR_CASE

void write_interface_control(uint64_t value) { asm volatile("msr ich_hcr_el2, %0" : : "r"(value)); }

uint64_t read_timer_control() {
  uint64_t value;
  asm volatile("mrs %0, cntv_ctl_el0" : "=r"(value));
  return value;
}

constexpr unsigned pending_words = sizeof(Vcpu_interrupts::pending) / sizeof(uint64_t);

static_assert(pending_words <= 32, "Vcpu_interrupts::pending_summary has a bit per word of pending");

bool any_pending(const Vcpu_interrupts& state) { return state.pending_summary != 0; }

// The list register holding `intid` (pending, active or both), or -1.
int listed_at(const Vcpu_interrupts& state, uint32_t intid) {
  for (unsigned n = timer_list_register + 1; n < list_register_count; ++n) {
    if (Lr_state::get(state.list[n]) != lr_invalid && Lr_virtual_intid::get(state.list[n]) == intid) {
      return static_cast<int>(n);
    }
  }
  return -1;
}

// A list register that holds nothing, or -1.
int free_list_register(const Vcpu_interrupts& state) {
  for (unsigned n = timer_list_register + 1; n < list_register_count; ++n) {
    if (Lr_state::get(state.list[n]) == lr_invalid) return static_cast<int>(n);
  }
  return -1;
}

void set_list_register(Vcpu_interrupts& state, unsigned n, uint64_t value) {
  state.list[n] = value;
  write_list_register(n, value);
}

}  // namespace

// The virtual timer's PPI, pending in list register 0 as a hardware
// interrupt: the guest's deactivation deactivates the physical one too.
// The guest-IRQ vector (vectors.S) reads it too, hence C linkage; its low
// 32 bits, the virtual INTID, are the physical one.
extern "C" const uint64_t timer_list_register_value =
    Lr_state::bits(lr_pending) | Lr_hardware::bits(1) | Lr_group1::bits(1) | Lr_priority::bits(injected_priority) |
    Lr_physical_intid::bits(board::virtual_timer_intid) | Lr_virtual_intid::bits(board::virtual_timer_intid);

void init_this_cpu() {
  uint64_t vtr;
  asm volatile("mrs %0, ich_vtr_el2" : "=r"(vtr));
  list_register_count = static_cast<unsigned>(Vtr_list_registers::get(vtr)) + 1;
  const auto preemption_bits = static_cast<unsigned>(Vtr_preemption_bits::get(vtr)) + 1;
  active_priority_count = preemption_bits >= 7 ? 4 : preemption_bits == 6 ? 2 : 1;
  write_interface_control(0);
  asm volatile("msr cntv_ctl_el0, xzr\n msr cntvoff_el2, xzr\n isb");
}

void restore(const Vcpu_interrupts& state) {
  for (unsigned n = 0; n < list_register_count; ++n) write_list_register(n, state.list[n]);
  asm volatile("msr ich_vmcr_el2, %0" : : "r"(state.control));
  for (unsigned n = 0; n < active_priority_count; ++n) {
    restore_active_priorities(n, state.active_priorities[n], state.active_priorities_group0[n]);
  }
  write_interface_control(Hcr_enable::bits(1));
  if (state.timer_interrupt_active) gic::set_private_active(board::virtual_timer_intid, true);
  asm volatile("msr cntv_cval_el0, %0" : : "r"(state.timer_compare));
  asm volatile("msr cntv_ctl_el0, %0\n isb" : : "r"(state.timer_control));
}

void save(Vcpu_interrupts& state) {
  state.timer_control = read_timer_control();
  asm volatile("mrs %0, cntv_cval_el0" : "=r"(state.timer_compare));
  // Off before the next thread runs: its interrupt would reach the wrong
  // vCPU (or a native thread, which has no virtual interface at all).
  asm volatile("msr cntv_ctl_el0, xzr\n isb");
  state.timer_interrupt_active = gic::private_active(board::virtual_timer_intid);
  if (state.timer_interrupt_active) gic::set_private_active(board::virtual_timer_intid, false);
  for (unsigned n = 0; n < list_register_count; ++n) state.list[n] = read_list_register(n);
  asm volatile("mrs %0, ich_vmcr_el2" : "=r"(state.control));
  for (unsigned n = 0; n < active_priority_count; ++n) {
    save_active_priorities(n, state.active_priorities[n], state.active_priorities_group0[n]);
  }
  write_interface_control(0);
}

void inject_timer() {
  write_list_register(timer_list_register, timer_list_register_value);
  instruction_barrier();
}

void inject(Vcpu_interrupts& state, uint32_t intid, bool live) {
  if (intid > max_injected_intid) return;
  state.pending[intid / 64] |= uint64_t{1} << (intid % 64);
  state.pending_summary |= uint32_t{1} << (intid / 64);
  if (live) flush(state);
}

void flush(Vcpu_interrupts& state) {
  if (!any_pending(state)) return;
  for (unsigned n = 0; n < list_register_count; ++n) state.list[n] = read_list_register(n);
  bool full = false;
  for (uint32_t words = state.pending_summary; words != 0 && !full; words &= words - 1) {
    const auto word = static_cast<unsigned>(__builtin_ctz(words));
    uint64_t waiting = state.pending[word];
    while (waiting != 0) {
      const auto bit = static_cast<uint32_t>(__builtin_ctzll(waiting));
      waiting &= waiting - 1;
      const uint32_t intid = word * 64 + bit;
      if (const int n = listed_at(state, intid); n >= 0) {
        // Active only: pending again behind itself. Already pending: the
        // same edge, nothing to add.
        if (Lr_state::get(state.list[n]) == lr_active) {
          set_list_register(state, static_cast<unsigned>(n), state.list[n] | Lr_state::bits(lr_pending_active));
        }
      } else if (const int free = free_list_register(state); free >= 0) {
        set_list_register(state, static_cast<unsigned>(free),
                          Lr_state::bits(lr_pending) | Lr_group1::bits(1) | Lr_priority::bits(injected_priority) |
                              Lr_virtual_intid::bits(intid));
      } else {
        full = true;  // it and everything after it wait for a free list register
        break;
      }
      state.pending[word] &= ~(uint64_t{1} << bit);
    }
    if (state.pending[word] == 0) state.pending_summary &= ~(uint32_t{1} << word);
  }
  write_interface_control(Hcr_enable::bits(1) | Hcr_underflow::bits(full ? 1 : 0));
  instruction_barrier();
}

void refill(Vcpu_interrupts& state) {
  write_interface_control(Hcr_enable::bits(1));
  flush(state);
}

bool live_interrupt_pending(const Vcpu_interrupts& state) {
  if (any_pending(state)) return true;
  for (unsigned n = 0; n < list_register_count; ++n) {
    if ((Lr_state::get(read_list_register(n)) & lr_pending) != 0) return true;
  }
  const uint64_t timer = read_timer_control();
  return Timer_enable::get(timer) != 0 && Timer_masked::get(timer) == 0 && Timer_firing::get(timer) != 0 &&
         !gic::private_active(board::virtual_timer_intid);
}

uint64_t timer_deadline(const Vcpu_interrupts& state) {
  if (Timer_enable::get(state.timer_control) == 0 || Timer_masked::get(state.timer_control) != 0) return 0;
  if (state.timer_interrupt_active) return 0;                 // the guest has not finished with the last one
  return state.timer_compare != 0 ? state.timer_compare : 1;  // CNTVOFF_EL2 is 0: virtual = physical
}

}  // namespace kestrel::arch::vgic
