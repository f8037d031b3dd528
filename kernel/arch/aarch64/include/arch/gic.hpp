// SPDX-License-Identifier: Apache-2.0
// GIC: the GICv3 interrupt controller as the kernel at EL2 uses it.
//
// All interrupts are Group 1 with one priority; the kernel never nests
// them. EOImode is 1: ending an interrupt is a priority drop, and
// deactivation is a separate step, so that a guest's timer interrupt can
// stay active until the guest itself deactivates it (through a hardware
// list register, see vgic.hpp).
#pragma once

#include <cstdint>

namespace kestrel::arch::gic {

// INTIDs 1020-1023 are special; 1023 means "nothing pending".
inline constexpr uint32_t spurious_intid = 1023;
inline constexpr uint32_t first_spi = 32;

// Once, on the boot CPU: the distributor on, affinity routing on, every
// shared interrupt disabled and in Group 1.
void init_distributor();

// On every CPU: wakes its redistributor, makes the CPU's private interrupts
// Group 1, enables the timer and SGI interrupts the kernel uses, and turns on
// the EL2 CPU interface. False (after a log line) if the CPU has no
// redistributor.
bool init_this_cpu();

// The highest-priority pending interrupt, now active (spurious_intid if
// none).
[[nodiscard]] uint32_t acknowledge();

// Priority drop only: the interrupt stays active until deactivate().
void priority_drop(uint32_t intid);
void deactivate(uint32_t intid);

// Software-generated interrupt `sgi` (0-15) to CPU `cpu`.
void send_sgi(unsigned cpu, uint32_t sgi);

// Routes the shared interrupt `intid` to CPU `cpu` as level-triggered and
// enables it.
void enable_shared(uint32_t intid, unsigned cpu);

// Deactivates a shared interrupt from any CPU (through the distributor; the
// CPU interface's deactivation is for the CPU that acknowledged it).
void deactivate_shared(uint32_t intid);

// Whether this CPU's private interrupt `intid` (< 32) is active, and setting
// that state (saved and restored for a guest's timer interrupt).
[[nodiscard]] bool private_active(uint32_t intid);
void set_private_active(uint32_t intid, bool active);

}  // namespace kestrel::arch::gic
