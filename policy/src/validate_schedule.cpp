// SPDX-License-Identifier: Apache-2.0
// Validate schedule: per-CPU cyclic plans, exclusive CPUs, and that every
// thread that needs time has a window on its CPU.
#include <algorithm>
#include <set>

#include <kestrel/policy/stages.hpp>

#include "validate_util.hpp"

namespace kestrel::policy {
namespace {

// sharedWith: only beside an exclusive owner, each partition once, never
// the owner itself.
void check_shared_with(const Model& model, const Cpu_plan& plan, const std::string& cpu, Diagnostics& diagnostics) {
  if (plan.shared_with.empty()) return;
  if (plan.exclusive == none && !plan.exclusive_named) {
    diagnostics.report(Code::shared_without_exclusive, plan.src.at("sharedWith"),
                       cpu + " has windows, but sharedWith lists partitions to run beside an exclusive owner",
                       "set exclusive to the CPU's owner, or give these partitions windows of their own");
    return;
  }
  for (size_t i = 0; i < plan.shared_with.size(); ++i) {
    const uint32_t partition = plan.shared_with[i];
    if (partition == none) continue;  // misspelt: KP0110
    const bool owner = partition == plan.exclusive;
    const bool repeated = std::find(plan.shared_with.begin(), plan.shared_with.begin() + static_cast<long>(i),
                                    partition) != plan.shared_with.begin() + static_cast<long>(i);
    if (!owner && !repeated) continue;
    diagnostics.report(Code::shared_with_repeated, plan.shared_with_src[i].at(),
                       quoted(partition_name(model, partition)) +
                           (owner ? " owns " + cpu + " already" : " is listed twice in sharedWith of " + cpu),
                       "remove this entry");
  }
}

void check_plan(const Model& model, const Cpu_plan& plan, Diagnostics& diagnostics) {
  const std::string cpu = "CPU " + std::to_string(plan.cpu);
  check_shared_with(model, plan, cpu, diagnostics);
  if (plan.exclusive != none) {
    if (!plan.windows.empty() || plan.major_frame_us != 0) {
      diagnostics.report(Code::exclusive_with_windows, plan.src.at(plan.windows.empty() ? "majorFrameUs" : "windows"),
                         cpu + " is given exclusively to " + quoted(partition_name(model, plan.exclusive)) +
                             " but also has a major frame or windows",
                         "an exclusive CPU has no time windows: remove majorFrameUs and windows");
    }
    for (uint32_t p = 0; p < model.partitions.size(); ++p) {
      if (p == plan.exclusive || plan.shared_with_partition(p)) continue;
      for (const auto& thread : model.partitions[p].threads) {
        // A passive thread runs there only on its callers' time, and only
        // the owner may call it there (KP0511): a VMM's exit thread for
        // the owner's vCPUs, say.
        if (thread.cpu != plan.cpu || thread.passive) continue;
        diagnostics
            .report(Code::exclusive_cpu_shared, thread.src.at("cpu"),
                    "thread " + quoted(thread.name) + " of " + quoted(model.partitions[p].name) + " is pinned to " +
                        cpu + ", which belongs to " + quoted(partition_name(model, plan.exclusive)) + " alone",
                    "pin it to another CPU, or list " + quoted(model.partitions[p].name) + " in sharedWith")
            .notes.push_back({plan.src.at("exclusive"), "the CPU is given away here"});
        break;
      }
    }
    return;
  }
  if (plan.exclusive_named) return;  // an unknown owner: KP0110 says so
  if (plan.major_frame_us == 0) {
    diagnostics.report(Code::major_frame_zero, plan.src.at("majorFrameUs"), cpu + " has no major frame",
                       "set majorFrameUs to the length of the cyclic plan, or set exclusive");
  }
  const bool frame_fits =
      check_time(plan.major_frame_us, plan.src.at("majorFrameUs"), cpu + " major frame", diagnostics);
  unsigned __int128 total = 0;
  for (const auto& window : plan.windows) {
    total += window.duration_us;
    check_time(window.duration_us, window.src.at("durationUs"),
               "a window of " + cpu + " for " + quoted(partition_name(model, window.partition)), diagnostics);
    if (window.duration_us == 0) {
      diagnostics.report(
          Code::window_zero, window.src.at("durationUs"),
          "a window of " + cpu + " for " + quoted(partition_name(model, window.partition)) + " lasts 0 us",
          "give it a duration or remove it");
    }
  }
  if (plan.major_frame_us != 0 && frame_fits && total != plan.major_frame_us) {
    const auto sum = total > UINT64_MAX ? std::string("more than 2^64") : std::to_string(static_cast<uint64_t>(total));
    diagnostics.report(Code::window_fill, plan.src.at("majorFrameUs"),
                       "the windows of " + cpu + " add up to " + sum + " us, but the major frame is " +
                           std::to_string(plan.major_frame_us) + " us",
                       "make the windows fill the major frame exactly (add an idle partition's window if needed)");
  }
}

// Threads that need their own time (not passive servers) must have a window
// on their CPU, or own it.
void check_coverage(const Model& model, const std::map<uint32_t, const Cpu_plan*>& plan_of_cpu,
                    Diagnostics& diagnostics) {
  for (uint32_t p = 0; p < model.partitions.size(); ++p) {
    const Partition& partition = model.partitions[p];
    if (partition.unnamed) continue;  // no window can name it
    std::set<uint32_t> reported_cpus;
    for (const auto& thread : partition.threads) {
      if (thread.passive || thread.cpu >= model.platform.cpus || reported_cpus.count(thread.cpu) != 0) continue;
      const auto plan = plan_of_cpu.find(thread.cpu);
      const std::string what = "thread " + quoted(thread.name) + " of " + quoted(partition.name);
      if (plan == plan_of_cpu.end()) {
        diagnostics.report(Code::cpu_without_schedule, thread.src.at("cpu"),
                           what + " is pinned to CPU " + std::to_string(thread.cpu) + ", which has no schedule",
                           "add a schedule entry for CPU " + std::to_string(thread.cpu));
        reported_cpus.insert(thread.cpu);
        continue;
      }
      const Cpu_plan& cpu_plan = *plan->second;
      if (cpu_plan.exclusive != none) continue;  // its owner runs; others are reported by check_plan
      // A window or an exclusive owner with a misspelt partition name
      // (KP0110) may be the one meant for it.
      const bool has_window = std::any_of(cpu_plan.windows.begin(), cpu_plan.windows.end(), [&](const Window& window) {
        return window.partition == p || window.partition == none;
      });
      if (!has_window && !cpu_plan.exclusive_named) {
        diagnostics
            .report(Code::partition_without_window, thread.src.at("cpu"),
                    what + " runs on CPU " + std::to_string(thread.cpu) + ", where " + quoted(partition.name) +
                        " has no window, so it would never run",
                    "add a window for " + quoted(partition.name) + " to CPU " + std::to_string(thread.cpu))
            .notes.push_back({cpu_plan.src.at("windows"), "the CPU's windows"});
        reported_cpus.insert(thread.cpu);
      }
    }
  }
}

// A VMM's threads share its device models under one spin lock whose
// spinner yields (vmm-server/vmm.cpp): on an exclusive CPU, where they all
// sit in one ready queue, a spinner of higher priority than the holder
// would keep it from running for good. So they must have one priority
// there. (On a CPU with windows, the passive exit threads run in the VM's
// window and the others in the VMM's, never in one queue.)
void check_vmm_priorities(const Model& model, const std::map<uint32_t, const Cpu_plan*>& plan_of_cpu,
                          Diagnostics& diagnostics) {
  std::set<uint32_t> vmms;
  for (const auto& partition : model.partitions) {
    if (partition.vm && partition.vm->vmm != none) vmms.insert(partition.vm->vmm);
  }
  for (const uint32_t vmm : vmms) {
    std::map<uint32_t, const Thread*> first_on_cpu;
    for (const auto& thread : model.partitions[vmm].threads) {
      const auto plan = plan_of_cpu.find(thread.cpu);
      if (plan == plan_of_cpu.end() || plan->second->exclusive == none) continue;
      const auto [first, inserted] = first_on_cpu.emplace(thread.cpu, &thread);
      if (inserted || first->second->priority == thread.priority) continue;
      diagnostics
          .report(Code::vmm_priorities_differ, thread.src.at("priority"),
                  "thread " + quoted(thread.name) + " of the VMM " + quoted(model.partitions[vmm].name) +
                      " has priority " + std::to_string(thread.priority) + ", and its thread " +
                      quoted(first->second->name) + " on the same exclusive CPU " + std::to_string(thread.cpu) +
                      " has " + std::to_string(first->second->priority),
                  "give the VMM's threads on CPU " + std::to_string(thread.cpu) +
                      " one priority: a thread waiting for the VMM's lock yields only to its equals")
          .notes.push_back({first->second->src.at("priority"), "the other thread's priority"});
    }
  }
}

}  // namespace

void validate_schedule(const Model& model, Diagnostics& diagnostics) {
  std::map<uint32_t, const Cpu_plan*> plan_of_cpu;
  for (const auto& plan : model.schedule) {
    if (model.platform.cpus != 0 && plan.cpu >= model.platform.cpus) {
      diagnostics.report(Code::schedule_cpu_range, plan.src.at("cpu"),
                         "a schedule is given for CPU " + std::to_string(plan.cpu) + "; the platform has CPUs 0-" +
                             std::to_string(model.platform.cpus - 1),
                         "schedule only existing CPUs");
      continue;
    }
    const auto [it, inserted] = plan_of_cpu.emplace(plan.cpu, &plan);
    if (!inserted) {
      diagnostics
          .report(Code::schedule_cpu_twice, plan.src.at("cpu"),
                  "CPU " + std::to_string(plan.cpu) + " has two schedules", "merge them into one")
          .notes.push_back({it->second->src.at("cpu"), "the first schedule"});
      continue;
    }
    check_plan(model, plan, diagnostics);
  }
  check_coverage(model, plan_of_cpu, diagnostics);
  check_vmm_priorities(model, plan_of_cpu, diagnostics);
}

}  // namespace kestrel::policy
