// SPDX-License-Identifier: Apache-2.0
// Irq: a device interrupt owned by a partition and delivered to one of its
// notifications. The interrupt stays masked (active) from the moment it fires
// until the owner acknowledges it through its IRQ capability, so a
// level-triggered device cannot flood the kernel.
#pragma once

#include <cstdint>

#include <kestrel/boot_info.hpp>

namespace kestrel {

// An interrupt's binding: the notification it signals, with which badge.
struct Irq_binding {
  uint32_t intid;
  uint32_t notification;
  uint64_t badge;
};

// Every binding: irq_capacity of them (at least one), carved at boot
// (kernel_objects.cpp).
extern Irq_binding* irq_pool;
extern uint32_t irq_capacity;

// The binding of `intid`, nullptr if no partition owns it. Constant time:
// a table by INTID.
const Irq_binding* irq_binding(uint32_t intid);

// At boot, once the partitions are created: binds and enables the
// interrupts of the partitions that may start, each routed to the CPU of its
// owner's first thread.
void create_irqs(const Boot_info& info);

// The interrupt `intid` fired (the arch layer has taken it and left it
// active): signals its notification. False if no partition owns it (then it
// is deactivated at once).
bool device_interrupt(uint32_t intid);

// Some thread waits for a notification that an interrupt can signal. Looks
// at the system's interrupts only (a few), not at every notification.
[[nodiscard]] bool some_thread_awaits_interrupt();

// The owner's acknowledgement through IRQ `index`: the interrupt may fire
// again.
void acknowledge_irq(uint32_t index);

}  // namespace kestrel
