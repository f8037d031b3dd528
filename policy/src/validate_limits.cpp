// SPDX-License-Identifier: Apache-2.0
// Validate limits: the system must fit the kernel's static pools and the
// platform's VMIDs, and warnings for legal but suspicious policies.
#include <set>
#include <string_view>

#include <kestrel/abi/limits.hpp>
#include <kestrel/policy/stages.hpp>

#include "capabilities.hpp"
#include "validate_util.hpp"

namespace kestrel::policy {
namespace {

void over_limit(Diagnostics& diagnostics, Code code, const Location& at, std::string what, size_t count, uint64_t limit,
                std::string hint) {
  diagnostics.report(code, at,
                     what + ": " + std::to_string(count) + ", but the kernel supports at most " + std::to_string(limit),
                     std::move(hint));
}

// Boot-info keeps every distinct name once, NUL-terminated, in a string
// table the kernel limits to max_string_bytes; the emitter interns exactly
// these names.
void check_name_bytes(const Model& model, Diagnostics& diagnostics) {
  std::set<std::string_view> names{"", model.name};
  for (const auto& partition : model.partitions) {
    names.insert(partition.name);
    for (const auto& region : partition.regions) names.insert(region.name);
    for (const auto& thread : partition.threads) names.insert(thread.name);
  }
  for (const auto& endpoint : model.endpoints) names.insert(endpoint.name);
  for (const auto& notification : model.notifications) names.insert(notification.name);
  size_t bytes = 0;
  for (const auto name : names) bytes += name.size() + 1;
  if (bytes > abi::max_string_bytes) {
    diagnostics.report(Code::too_many_name_bytes, model.src.at("partitions"),
                       "the system's distinct names take " + std::to_string(bytes) +
                           " bytes of boot-info's string table; the kernel reads at most " +
                           std::to_string(abi::max_string_bytes),
                       "use shorter names, or the same names in different partitions (each is stored once)");
  }
}

}  // namespace

void validate_limits(const Model& model, Diagnostics& diagnostics) {
  const Location system = model.src.at("partitions");
  if (model.partitions.size() > abi::max_partitions) {
    over_limit(diagnostics, Code::too_many_partitions, system, "partitions", model.partitions.size(),
               abi::max_partitions, "merge partitions that need not be isolated from each other");
  }
  if (model.platform.vmid_bits == 8 || model.platform.vmid_bits == 16) {
    const uint64_t vmids = (uint64_t{1} << model.platform.vmid_bits) - 1;  // VMID 0 is not used
    if (model.partitions.size() > vmids) {
      diagnostics.report(Code::too_many_vmids, system,
                         std::to_string(model.partitions.size()) +
                             " partitions need as many VMIDs, but the platform has " + std::to_string(vmids) + " (" +
                             std::to_string(model.platform.vmid_bits) + "-bit VMIDs)",
                         "use fewer partitions, or a platform with 16-bit VMIDs");
    }
  }
  if (model.endpoints.size() > abi::max_endpoints) {
    over_limit(diagnostics, Code::too_many_endpoints, model.src.at("endpoints"), "endpoints", model.endpoints.size(),
               abi::max_endpoints, "let servers tell clients apart by badge instead of one endpoint each");
  }
  if (model.notifications.size() > abi::max_notifications) {
    over_limit(diagnostics, Code::too_many_notifications, model.src.at("notifications"), "notifications",
               model.notifications.size(), abi::max_notifications, "share notifications, using badge bits");
  }
  size_t irqs = 0;
  size_t threads = 0;
  const auto capabilities_of = capabilities_of_all(model, number_objects(model));  // once, not per partition
  for (const auto& partition : model.partitions) {
    for (const auto& grant : partition.grants) {
      if (grant.device != none && grant.notification != none)
        irqs += model.platform.devices[grant.device].interrupts.size();
    }
    threads += partition.threads.size();
    if (partition.threads.size() > abi::max_threads_per_partition) {
      over_limit(diagnostics, Code::too_many_threads, partition.src.at("threads"),
                 "threads in " + quoted(partition.name), partition.threads.size(), abi::max_threads_per_partition,
                 "split the partition");
    }
    if (partition.regions.size() > abi::max_regions_per_partition) {
      over_limit(diagnostics, Code::too_many_regions, partition.src.at("memory"),
                 "mappings (memory regions, devices, channels) in " + quoted(partition.name), partition.regions.size(),
                 abi::max_regions_per_partition, "merge adjacent memory regions");
    }
    const auto index = static_cast<uint32_t>(&partition - model.partitions.data());
    const size_t capabilities = capabilities_of[index].size();
    if (capabilities > abi::max_capabilities_per_partition) {
      diagnostics.report(
          Code::too_many_capabilities, partition.src.at("name"),
          quoted(partition.name) + " needs " + std::to_string(capabilities) + " capabilities; the kernel allows " +
              std::to_string(abi::max_capabilities_per_partition),
          "give it fewer endpoints, notifications, device interrupts or VMs to manage (each vCPU takes one)");
    }
  }
  if (irqs > abi::max_irqs) {
    over_limit(diagnostics, Code::too_many_irqs, system, "delivered interrupts", irqs, abi::max_irqs,
               "deliver fewer device interrupts");
  }
  if (threads > abi::max_threads) {
    over_limit(diagnostics, Code::too_many_threads, system, "threads and vCPUs", threads, abi::max_threads,
               "use fewer threads");
  }
  check_name_bytes(model, diagnostics);
  for (const auto& plan : model.schedule) {
    if (plan.windows.size() > abi::max_windows_per_cpu) {
      over_limit(diagnostics, Code::too_many_windows, plan.src.at("windows"),
                 "windows on CPU " + std::to_string(plan.cpu), plan.windows.size(), abi::max_windows_per_cpu,
                 "merge adjacent windows of the same partition");
    }
  }
}

}  // namespace kestrel::policy
