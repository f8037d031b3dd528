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
constexpr uint64_t lr_pending = 1;

// ICH_HCR_EL2: the virtual CPU interface on, and the maintenance interrupt
// when no list register holds a pending interrupt (to refill them).
using Hcr_enable = Bitflag<0>;
using Hcr_no_pending_interrupt = Bitflag<3>;
using Vtr_list_registers = Bitfield<0, 5>;  // number of list registers - 1

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

uint64_t read_list_register(unsigned n) {
  uint64_t value = 0;
  switch (n) {
    case 0:
      asm volatile("mrs %0, ich_lr0_el2" : "=r"(value));
      break;
    case 1:
      asm volatile("mrs %0, ich_lr1_el2" : "=r"(value));
      break;
    case 2:
      asm volatile("mrs %0, ich_lr2_el2" : "=r"(value));
      break;
    case 3:
      asm volatile("mrs %0, ich_lr3_el2" : "=r"(value));
      break;
    default:
      break;
  }
  return value;
}

void write_list_register(unsigned n, uint64_t value) {
  switch (n) {
    case 0:
      asm volatile("msr ich_lr0_el2, %0" : : "r"(value));
      break;
    case 1:
      asm volatile("msr ich_lr1_el2, %0" : : "r"(value));
      break;
    case 2:
      asm volatile("msr ich_lr2_el2, %0" : : "r"(value));
      break;
    case 3:
      asm volatile("msr ich_lr3_el2, %0" : : "r"(value));
      break;
    default:
      break;
  }
}

void write_interface_control(uint64_t value) { asm volatile("msr ich_hcr_el2, %0" : : "r"(value)); }

uint64_t read_timer_control() {
  uint64_t value;
  asm volatile("mrs %0, cntv_ctl_el0" : "=r"(value));
  return value;
}

bool lists_interrupt(const Vcpu_interrupts& state, uint32_t intid) {
  for (unsigned n = 0; n < list_register_count; ++n) {
    if (Lr_state::get(state.list[n]) != 0 && Lr_virtual_intid::get(state.list[n]) == intid) return true;
  }
  return false;
}

// The lowest waiting injection, taken out of the bitmap; false if none.
bool take_pending(Vcpu_interrupts& state, uint32_t& intid) {
  for (uint32_t word = 0; word < 2; ++word) {
    if (state.pending[word] == 0) continue;
    intid = word * 64 + static_cast<uint32_t>(__builtin_ctzll(state.pending[word]));
    state.pending[word] &= state.pending[word] - 1;
    return true;
  }
  return false;
}

}  // namespace

void init_this_cpu() {
  uint64_t vtr;
  asm volatile("mrs %0, ich_vtr_el2" : "=r"(vtr));
  const unsigned count = static_cast<unsigned>(Vtr_list_registers::get(vtr)) + 1;
  list_register_count = count < 4 ? count : 4;
  write_interface_control(0);
  asm volatile("msr cntv_ctl_el0, xzr\n msr cntvoff_el2, xzr\n isb");
}

void restore(const Vcpu_interrupts& state) {
  for (unsigned n = 0; n < list_register_count; ++n) write_list_register(n, state.list[n]);
  asm volatile("msr ich_vmcr_el2, %0" : : "r"(state.control));
  asm volatile("msr ich_ap1r0_el2, %0" : : "r"(state.active_priorities));
  asm volatile("msr ich_ap0r0_el2, %0" : : "r"(state.active_priorities_group0));
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
  asm volatile("mrs %0, ich_ap1r0_el2" : "=r"(state.active_priorities));
  asm volatile("mrs %0, ich_ap0r0_el2" : "=r"(state.active_priorities_group0));
  write_interface_control(0);
}

void inject_timer() {
  const uint32_t intid = board::virtual_timer_intid;
  write_list_register(timer_list_register, Lr_state::bits(lr_pending) | Lr_hardware::bits(1) | Lr_group1::bits(1) |
                                               Lr_priority::bits(injected_priority) | Lr_physical_intid::bits(intid) |
                                               Lr_virtual_intid::bits(intid));
  instruction_barrier();
}

void inject(Vcpu_interrupts& state, uint32_t intid, bool live) {
  if (intid > max_injected_intid) return;
  state.pending[intid / 64] |= uint64_t{1} << (intid % 64);
  if (live) flush(state);
}

void flush(Vcpu_interrupts& state) {
  if ((state.pending[0] | state.pending[1]) == 0) return;
  for (unsigned n = 0; n < list_register_count; ++n) state.list[n] = read_list_register(n);
  for (unsigned n = timer_list_register + 1; n < list_register_count; ++n) {
    if (Lr_state::get(state.list[n]) != 0) continue;
    uint32_t intid = 0;
    bool found = false;
    // One already listed (pending or active) is the same edge again: dropped.
    while (!found && take_pending(state, intid)) found = !lists_interrupt(state, intid);
    if (!found) break;
    state.list[n] = Lr_state::bits(lr_pending) | Lr_group1::bits(1) | Lr_priority::bits(injected_priority) |
                    Lr_virtual_intid::bits(intid);
    write_list_register(n, state.list[n]);
  }
  const bool waiting = (state.pending[0] | state.pending[1]) != 0;
  write_interface_control(Hcr_enable::bits(1) | Hcr_no_pending_interrupt::bits(waiting ? 1 : 0));
  instruction_barrier();
}

void refill(Vcpu_interrupts& state) {
  write_interface_control(Hcr_enable::bits(1));
  flush(state);
}

bool live_interrupt_pending(const Vcpu_interrupts& state) {
  if ((state.pending[0] | state.pending[1]) != 0) return true;
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
