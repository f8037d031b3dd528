// SPDX-License-Identifier: Apache-2.0
// Capabilities: slot assignment for each partition.
#include "capabilities.hpp"

#include <kestrel/abi/boot_info.hpp>

namespace kestrel::policy {

Numbering number_objects(const Model& model) {
  Numbering numbering;
  uint32_t threads = 0;
  uint32_t irqs = 0;
  for (const auto& partition : model.partitions) {
    numbering.first_thread.push_back(threads);
    numbering.first_irq.push_back(irqs);
    threads += static_cast<uint32_t>(partition.threads.size());
    for (const auto& grant : partition.grants) {
      if (grant.device != none && grant.notification != none) {
        irqs += static_cast<uint32_t>(model.platform.devices[grant.device].interrupts.size());
      }
    }
  }
  return numbering;
}

std::vector<Capability> capabilities_of(const Model& model, const Numbering& numbering, uint32_t partition) {
  using abi::Capability_kind;
  std::vector<Capability> slots;
  auto add = [&](Capability_kind kind, uint32_t object, uint32_t rights, uint64_t badge, std::string description) {
    slots.push_back({static_cast<uint32_t>(kind), object, rights, badge, std::move(description)});
  };
  for (uint32_t e = 0; e < model.endpoints.size(); ++e) {
    if (model.endpoints[e].server == partition) {
      add(Capability_kind::endpoint, e, abi::right_receive, 0, "receive on endpoint " + model.endpoints[e].name);
    }
  }
  for (uint32_t e = 0; e < model.endpoints.size(); ++e) {
    for (const auto& client : model.endpoints[e].clients) {
      if (client.partition == partition) {
        add(Capability_kind::endpoint, e, abi::right_send, client.badge, "call endpoint " + model.endpoints[e].name);
      }
    }
  }
  for (uint32_t n = 0; n < model.notifications.size(); ++n) {
    if (model.notifications[n].owner == partition) {
      add(Capability_kind::notification, n, abi::right_receive, 0,
          "wait on notification " + model.notifications[n].name);
    }
  }
  for (uint32_t n = 0; n < model.notifications.size(); ++n) {
    for (const auto& signaller : model.notifications[n].signallers) {
      if (signaller.partition == partition) {
        add(Capability_kind::notification, n, abi::right_send, signaller.badge,
            "signal notification " + model.notifications[n].name);
      }
    }
  }
  if (partition < model.partitions.size()) {
    uint32_t irq = numbering.first_irq[partition];
    for (const auto& grant : model.partitions[partition].grants) {
      if (grant.device == none || grant.notification == none) continue;
      const Device& device = model.platform.devices[grant.device];
      for (const uint32_t intid : device.interrupts) {
        add(Capability_kind::irq, irq++, abi::right_control, 0,
            "acknowledge interrupt " + std::to_string(intid) + " of " + device.name);
      }
    }
  }
  for (uint32_t p = 0; p < model.partitions.size(); ++p) {
    const Partition& vm_partition = model.partitions[p];
    if (!vm_partition.vm || vm_partition.vm->vmm != partition) continue;
    for (uint32_t t = 0; t < vm_partition.threads.size(); ++t) {
      if (!vm_partition.threads[t].vcpu) continue;
      add(Capability_kind::vcpu, numbering.first_thread[p] + t, abi::right_control, 0,
          "control " + vm_partition.name + " " + vm_partition.threads[t].name);
    }
  }
  if (partition < model.partitions.size() && model.partitions[partition].kernel_console) {
    add(Capability_kind::console, 0, abi::right_send, 0, "write to the kernel console");
  }
  if (partition < model.partitions.size() && model.partitions[partition].may_power_off) {
    add(Capability_kind::power, 0, abi::right_control, 0, "power the machine off");
  }
  return slots;
}

}  // namespace kestrel::policy
