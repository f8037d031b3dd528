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

std::vector<Map_window> map_windows_of(const Model& model) {
  std::vector<uint32_t> rights(model.partitions.size(), 0);
  if (!model.ipcm.declared) return {};
  for (const auto& tunnel : model.tunnels) {
    for (size_t e = 0; e < tunnel.ends.size(); ++e) {
      const uint32_t end = tunnel.ends[e].partition;
      if (end >= rights.size()) continue;
      const bool writes = tunnel.access == Tunnel_access::both_ways ||
                          (tunnel.access == Tunnel_access::first_writes && e == 0) ||
                          (tunnel.access == Tunnel_access::second_writes && e == 1);
      rights[end] |= static_cast<uint32_t>(uint64_t{abi::map_read} | (writes ? uint64_t{abi::map_write} : 0));
    }
  }
  std::vector<Map_window> windows;
  for (uint32_t p = 0; p < rights.size(); ++p) {
    if (rights[p] != 0) windows.push_back({p, rights[p]});
  }
  return windows;
}

std::vector<std::vector<Capability>> capabilities_of_all(const Model& model, const Numbering& numbering) {
  using abi::Capability_kind;
  // Group by group, each in policy order, appended to its partition's list:
  // one pass over the policy per group, not one per partition.
  std::vector<std::vector<Capability>> slots(model.partitions.size());
  auto add = [&](uint32_t partition, Capability_kind kind, uint32_t object, uint32_t rights, uint64_t badge,
                 std::string description, uint32_t for_vm = none) {
    if (partition >= slots.size()) return;
    slots[partition].push_back({static_cast<uint32_t>(kind), object, rights, badge, std::move(description), for_vm});
  };
  for (uint32_t e = 0; e < model.endpoints.size(); ++e) {
    add(model.endpoints[e].server, Capability_kind::endpoint, e, abi::right_receive, 0,
        "receive on endpoint " + model.endpoints[e].name);
  }
  for (uint32_t e = 0; e < model.endpoints.size(); ++e) {
    for (const auto& client : model.endpoints[e].clients) {
      // A VM's vCPUs make no system calls: its VMM holds the capability and
      // calls for it, with the VM's own badge (so the server tells the VM
      // from the VMM and from the VMM's other VMs).
      const Partition* vm = client.partition < model.partitions.size() ? &model.partitions[client.partition] : nullptr;
      if (vm != nullptr && vm->vm) {
        add(vm->vm->vmm, Capability_kind::endpoint, e, abi::right_send, client.badge,
            "call endpoint " + model.endpoints[e].name + " for " + vm->name, client.partition);
        continue;
      }
      add(client.partition, Capability_kind::endpoint, e, abi::right_send, client.badge,
          "call endpoint " + model.endpoints[e].name);
    }
  }
  for (uint32_t n = 0; n < model.notifications.size(); ++n) {
    add(model.notifications[n].owner, Capability_kind::notification, n, abi::right_receive, 0,
        "wait on notification " + model.notifications[n].name);
  }
  for (uint32_t n = 0; n < model.notifications.size(); ++n) {
    for (const auto& signaller : model.notifications[n].signallers) {
      add(signaller.partition, Capability_kind::notification, n, abi::right_send, signaller.badge,
          "signal notification " + model.notifications[n].name);
    }
  }
  for (uint32_t p = 0; p < model.partitions.size(); ++p) {
    uint32_t irq = numbering.first_irq[p];
    for (const auto& grant : model.partitions[p].grants) {
      if (grant.device == none || grant.notification == none) continue;
      const Device& device = model.platform.devices[grant.device];
      for (const uint32_t intid : device.interrupts) {
        add(p, Capability_kind::irq, irq++, abi::right_control, 0,
            "acknowledge interrupt " + std::to_string(intid) + " of " + device.name);
      }
    }
  }
  for (uint32_t p = 0; p < model.partitions.size(); ++p) {
    const Partition& vm_partition = model.partitions[p];
    if (!vm_partition.vm) continue;
    for (uint32_t t = 0; t < vm_partition.threads.size(); ++t) {
      if (!vm_partition.threads[t].vcpu) continue;
      add(vm_partition.vm->vmm, Capability_kind::vcpu, numbering.first_thread[p] + t, abi::right_control, 0,
          "control " + vm_partition.name + " " + vm_partition.threads[t].name);
    }
  }
  for (uint32_t p = 0; p < model.partitions.size(); ++p) {
    if (model.partitions[p].kernel_console) {
      add(p, Capability_kind::console, 0, abi::right_send, 0, "write to the kernel console");
    }
  }
  for (uint32_t p = 0; p < model.partitions.size(); ++p) {
    if (model.partitions[p].may_power_off)
      add(p, Capability_kind::power, 0, abi::right_control, 0, "power the machine off");
  }
  if (model.ipcm.declared && model.ipcm.partition < model.partitions.size()) {
    const uint32_t ipcm = model.ipcm.partition;
    add(ipcm, Capability_kind::memory_pool, 0, abi::right_control, 0, "map pages of the tunnel pool");
    const auto windows = map_windows_of(model);
    for (uint32_t w = 0; w < windows.size(); ++w) {
      const bool writable = (windows[w].max_rights & abi::map_write) != 0;
      add(ipcm, Capability_kind::map_into, w, abi::right_control, 0,
          "map tunnels into " + model.partitions[windows[w].partition].name + (writable ? " (read-write)" : " (read)"));
    }
  }
  return slots;
}

}  // namespace kestrel::policy
