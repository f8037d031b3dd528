// SPDX-License-Identifier: Apache-2.0
// Resolve threads: a partition's threads and their stacks and fault
// handlers, and the CPUs' schedules.
#include "resolver.hpp"

namespace kestrel::policy {

void Resolver::resolve_threads(Partition& partition, capnp::List<schema::Thread>::Reader threads, const Source_ref& src,
                               const Name_index& regions) {
  Name_index thread_index;
  std::map<std::string, Location> thread_first_seen;
  for (uint32_t i = 0; i < threads.size(); ++i) {
    const Source_ref thread_src = src.item(i);
    Thread thread;
    thread.name = threads[i].getName();
    thread.entry = threads[i].getEntry();
    thread.priority = threads[i].getPriority();
    thread.budget_us = threads[i].getBudgetUs();
    thread.period_us = threads[i].getPeriodUs();
    thread.cpu = threads[i].getCpu();
    thread.passive = threads[i].getPassive();
    thread.src = thread_src;
    declare(thread_index, thread_first_seen, thread.name, i, thread_src.at("name"), Code::duplicate_thread, "thread");
    const std::string stack = threads[i].getStack();
    if (stack.empty()) {
      diagnostics_.report(Code::stack_missing, thread_src.at("name"),
                          "thread " + quoted(thread.name) + " of " + quoted(partition.name) + " has no stack",
                          "add stack = \"<region>\" naming a readWrite memory region of " + quoted(partition.name));
    } else {
      thread.stack_region = find_in(regions, stack, thread_src.at("stack"), Code::unknown_region, "memory region");
    }
    const std::string handler = threads[i].getFaultHandler();
    if (!handler.empty()) {
      thread.fault_endpoint =
          find_in(endpoint_index_, handler, thread_src.at("faultHandler"), Code::unknown_endpoint, "endpoint");
    }
    partition.threads.push_back(std::move(thread));
  }
  threads_by_partition_.push_back(std::move(thread_index));
}

void Resolver::resolve_schedule(capnp::List<schema::CpuSchedule>::Reader schedule, const Source_ref& src) {
  for (uint32_t i = 0; i < schedule.size(); ++i) {
    const Source_ref plan_src = src.item(i);
    Cpu_plan plan;
    plan.cpu = schedule[i].getCpu();
    plan.major_frame_us = schedule[i].getMajorFrameUs();
    plan.src = plan_src;
    const std::string exclusive = schedule[i].getExclusive();
    plan.exclusive_named = !exclusive.empty();
    if (plan.exclusive_named) plan.exclusive = find_partition(exclusive, plan_src.at("exclusive"), "exclusive owner");
    const auto shared_with = schedule[i].getSharedWith();
    for (uint32_t j = 0; j < shared_with.size(); ++j) {
      const Source_ref name_src = plan_src.field("sharedWith").item(j);
      plan.shared_with.push_back(find_partition(text(shared_with[j]), name_src.at(), "sharedWith"));
      plan.shared_with_src.push_back(name_src);
    }
    const auto windows = schedule[i].getWindows();
    for (uint32_t j = 0; j < windows.size(); ++j) {
      const Source_ref window_src = plan_src.field("windows").item(j);
      plan.windows.push_back({find_partition(text(windows[j].getPartition()), window_src.at("partition"), "window"),
                              windows[j].getDurationUs(), window_src});
    }
    model_.schedule.push_back(std::move(plan));
  }
}

}  // namespace kestrel::policy
