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
  for (const abi::Map_window_entry& window : info.map_windows()) counts.map_bitmap_words += map_bitmap_words(window);
  counts.cpus = info.platform().cpu_count;
  for (const abi::Thread_entry& thread : info.threads()) {
    if (thread.cpu < abi::max_cpus) ++counts.threads_of_cpu[thread.cpu];
  }
  // CPU 0 boots on a stack in the kernel's .bss; every other CPU the
  // system runs threads on gets one here, and the rest are never started.
  for (uint32_t cpu = 1; cpu < counts.cpus && cpu < abi::max_cpus; ++cpu) {
    counts.stack_of_cpu[cpu] = counts.threads_of_cpu[cpu] != 0;
  }
  if (!info.kernel_memory().empty()) {
    const abi::Kernel_memory_entry& area = info.kernel_memory()[0];
    counts.kernel_table_pages = area.kernel_table_pages;
    counts.stage2_root_tables = area.stage2_input_bits > 39 ? 2 : 1;
  }
  for (const abi::Cpu_plan_entry& plan : info.cpu_plans()) {
    if (plan.cpu >= abi::max_cpus) continue;
    counts.windows_of_cpu[plan.cpu] = plan.window_count;
    counts.exclusive_cpu[plan.cpu] = (plan.flags & abi::cpu_exclusive) != 0;
  }
  return counts;
}

}  // namespace kestrel
