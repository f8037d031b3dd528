// SPDX-License-Identifier: Apache-2.0
// Kernel object counts: what a checked boot-info asks the kernel to carve.
// Portable: the image builder counts with this same function.
#include <kestrel/kernel_objects.hpp>

namespace kestrel {

abi::Kernel_object_counts kernel_object_counts(const Boot_info& info) {
  abi::Kernel_object_counts counts{};
  counts.partitions = static_cast<uint32_t>(info.partitions().size());
  for (const abi::Partition_entry& partition : info.partitions()) counts.table_pages += partition.table_pages;
  counts.threads = static_cast<uint32_t>(info.threads().size());
  counts.endpoints = static_cast<uint32_t>(info.endpoints().size());
  counts.notifications = static_cast<uint32_t>(info.notifications().size());
  counts.irqs = static_cast<uint32_t>(info.irqs().size());
  counts.cpus = info.platform().cpu_count;
  for (const abi::Thread_entry& thread : info.threads()) {
    if (thread.cpu < abi::max_cpus) ++counts.threads_of_cpu[thread.cpu];
  }
  for (const abi::Cpu_plan_entry& plan : info.cpu_plans()) {
    if (plan.cpu >= abi::max_cpus) continue;
    counts.windows_of_cpu[plan.cpu] = plan.window_count;
    counts.exclusive_cpu[plan.cpu] = (plan.flags & abi::cpu_exclusive) != 0;
  }
  return counts;
}

}  // namespace kestrel
