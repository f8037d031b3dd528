// SPDX-License-Identifier: Apache-2.0
// Validate warnings: legal policies that are probably not what was meant.
#include <set>

#include <kestrel/policy/stages.hpp>

#include "validate_util.hpp"

namespace kestrel::policy {

void validate_warnings(const Model& model, Diagnostics& diagnostics) {
  std::set<uint32_t> notifications_fed_by_irqs;
  for (uint32_t p = 0; p < model.partitions.size(); ++p) {
    const Partition& partition = model.partitions[p];
    if (partition.threads.empty() && !partition.vm) {
      diagnostics.report(
          Code::partition_idle, partition.src.at("name"),
          "partition " + quoted(partition.name) + " has no threads and is not a VM, so nothing runs in it",
          "add a thread, or remove the partition if it only holds memory");
    }
    for (const auto& grant : partition.grants) {
      if (grant.notification != none) notifications_fed_by_irqs.insert(grant.notification);
      if (grant.device == none || partition.vm || grant.notification_named) continue;
      const Device& device = model.platform.devices[grant.device];
      if (!device.interrupts.empty()) {
        diagnostics.report(Code::irq_not_delivered, grant.src.at("device"),
                           "device " + quoted(device.name) + " raises interrupts, but " + quoted(partition.name) +
                               " gets none of them",
                           "add notification = \"...\" to the grant, or ignore this if the driver polls");
      }
    }
  }
  std::set<uint32_t> fault_endpoints;
  for (const auto& partition : model.partitions) {
    for (const auto& thread : partition.threads) {
      if (thread.fault_endpoint != none) fault_endpoints.insert(thread.fault_endpoint);
    }
  }
  for (uint32_t e = 0; e < model.endpoints.size(); ++e) {
    const Endpoint& endpoint = model.endpoints[e];
    // A misspelt faultHandler (KP0112) may have named it.
    if (!endpoint.implicit && endpoint.clients.empty() && fault_endpoints.count(e) == 0 && !model.unresolved.endpoint) {
      diagnostics.report(Code::endpoint_no_clients, endpoint.src.at("name"),
                         "endpoint " + quoted(endpoint.name) + " has no clients", "add clients, or remove it");
    }
  }
  for (uint32_t n = 0; n < model.notifications.size(); ++n) {
    const Notification& notification = model.notifications[n];
    // A misspelt notification of a device grant (KP0114) may have named it.
    if (!notification.implicit && notification.signallers.empty() && notifications_fed_by_irqs.count(n) == 0 &&
        !model.unresolved.notification) {
      diagnostics.report(Code::notification_no_signallers, notification.src.at("name"),
                         "notification " + quoted(notification.name) + " has no signallers and no interrupts",
                         "add signallers, route a device's interrupts to it, or remove it");
    }
  }
  for (const auto& channel : model.channels) {
    if (channel.readers.empty()) {
      diagnostics.report(Code::channel_no_readers, channel.src.at("name"),
                         "channel " + quoted(channel.name) + " has no readers", "add readers, or remove it");
    }
  }
  std::set<uint32_t> scheduled_cpus;
  for (const auto& plan : model.schedule) {
    // A schedule already rejected (KP0701, KP0702) gets no advice on top.
    if (plan.cpu >= model.platform.cpus || !scheduled_cpus.insert(plan.cpu).second) continue;
    for (const auto& window : plan.windows) {
      if (window.partition == none) continue;
      const auto& threads = model.partitions[window.partition].threads;
      const bool runs_here = std::any_of(threads.begin(), threads.end(), [&](const Thread& thread) {
        return thread.cpu == plan.cpu && !thread.passive;
      });
      if (!runs_here) {
        diagnostics.report(
            Code::window_idle, window.src.at("partition"),
            "the window of CPU " + std::to_string(plan.cpu) + " for " +
                quoted(model.partitions[window.partition].name) + " is wasted: it has no active thread on that CPU",
            "pin one of its threads to CPU " + std::to_string(plan.cpu) + ", or give the time to another partition");
      }
    }
  }
}

}  // namespace kestrel::policy
