// SPDX-License-Identifier: Apache-2.0
// Irq: binding device interrupts to notifications.
#include <kestrel/abi/limits.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/irq.hpp>
#include <kestrel/log.hpp>
#include <kestrel/notification.hpp>
#include <kestrel/thread.hpp>

namespace kestrel {

Irq_binding* irq_pool = nullptr;  // carved at boot (kernel_objects.cpp)
uint32_t irq_capacity = 0;

namespace {

uint32_t irq_count = 0;

// The GIC's INTIDs for devices end below 1020 (1020-1023 are special).
constexpr uint32_t intid_limit = 1020;
// irq_pool index + 1 by INTID (0: not bound), so that an interrupt finds
// its binding without a search: 2 KiB.
uint16_t irq_plus_one_by_intid[intid_limit];
static_assert(abi::max_irqs < 0xffff, "irq numbers fit in 16 bits");

}  // namespace

const Irq_binding* irq_binding(uint32_t intid) {
  if (intid >= intid_limit || irq_plus_one_by_intid[intid] == 0) return nullptr;
  return &irq_pool[irq_plus_one_by_intid[intid] - 1U];
}

void create_irqs(const Boot_info& info) {
  irq_count = 0;
  for (uint16_t& entry : irq_plus_one_by_intid) entry = 0;
  for (uint32_t i = 0; i < info.irqs().size() && i < irq_capacity; ++i) {
    const abi::Irq_entry& entry = info.irqs()[i];
    irq_pool[i] = Irq_binding{entry.intid, entry.notification, entry.badge};
    irq_count = i + 1;
    // Boot-info checks put every INTID in range, each owned once.
    if (entry.intid < intid_limit) irq_plus_one_by_intid[entry.intid] = static_cast<uint16_t>(i + 1);
    const abi::Partition_entry& owner = info.partitions()[entry.partition];
    if (owner.thread_count == 0) continue;
    const Thread& first = thread_object(owner.first_thread);
    if (!first.partition().may_start || !arch::cpu_is_online(first.cpu())) continue;
    notification_object(entry.notification).bound_to_interrupt = true;
    arch::enable_device_interrupt(entry.intid, first.cpu());
  }
}

bool device_interrupt(uint32_t intid) {
  const Irq_binding* irq = irq_binding(intid);
  if (irq == nullptr) return false;
  notification_object(irq->notification).signal(irq->badge);
  return true;
}

bool some_thread_awaits_interrupt() {
  for (uint32_t i = 0; i < irq_count; ++i) {
    const Notification& notification = notification_object(irq_pool[i].notification);
    if (notification.bound_to_interrupt && notification.waiter() != nullptr) return true;
  }
  return false;
}

void acknowledge_irq(uint32_t index) {
  if (index < irq_count) arch::end_device_interrupt(irq_pool[index].intid);
}

}  // namespace kestrel
