// SPDX-License-Identifier: Apache-2.0
// Irq: binding device interrupts to notifications.
#include <kestrel/abi/limits.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/irq.hpp>
#include <kestrel/log.hpp>
#include <kestrel/notification.hpp>
#include <kestrel/thread.hpp>

namespace kestrel {
namespace {

struct Irq {
  uint32_t intid;
  uint32_t notification;
  uint64_t badge;
};

Irq irq_pool[abi::max_irqs];
uint32_t irq_count = 0;

// Bounded search: at most abi::max_irqs entries, only when a device interrupt
// fires.
const Irq* irq_of(uint32_t intid) {
  for (uint32_t i = 0; i < irq_count; ++i) {
    if (irq_pool[i].intid == intid) return &irq_pool[i];
  }
  return nullptr;
}

}  // namespace

void create_irqs(const Boot_info& info) {
  irq_count = 0;
  for (uint32_t i = 0; i < info.irqs().size() && i < abi::max_irqs; ++i) {
    const abi::Irq_entry& entry = info.irqs()[i];
    irq_pool[i] = Irq{entry.intid, entry.notification, entry.badge};
    irq_count = i + 1;
    const abi::Partition_entry& owner = info.partitions()[entry.partition];
    if (owner.thread_count == 0) continue;
    const Thread& first = thread_object(owner.first_thread);
    if (!first.partition().may_start || !arch::cpu_is_online(first.cpu())) continue;
    notification_object(entry.notification).bound_to_interrupt = true;
    arch::enable_device_interrupt(entry.intid, first.cpu());
  }
}

bool device_interrupt(uint32_t intid) {
  const Irq* irq = irq_of(intid);
  if (irq == nullptr) return false;
  notification_object(irq->notification).signal(irq->badge);
  return true;
}

void acknowledge_irq(uint32_t index) {
  if (index < irq_count) arch::end_device_interrupt(irq_pool[index].intid);
}

}  // namespace kestrel
