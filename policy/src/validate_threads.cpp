// SPDX-License-Identifier: Apache-2.0
// Validate threads: stacks, budgets, CPUs, entry points, fault handlers and
// passive servers, and what kind of partition may have threads.
#include <set>
#include <utility>

#include <kestrel/policy/stages.hpp>

#include "validate_util.hpp"

namespace kestrel::policy {
namespace {

// The threads that receive on an endpoint, as (partition, thread).
using Server_threads = std::set<std::pair<uint32_t, uint32_t>>;

void check_thread(const Model& model, uint32_t partition_number, uint32_t thread_number,
                  std::vector<uint32_t>& stack_user, const Server_threads& servers, Diagnostics& diagnostics) {
  const Partition& partition = model.partitions[partition_number];
  const Thread& thread = partition.threads[thread_number];
  const std::string what = "thread " + quoted(thread.name) + " of " + quoted(partition.name);

  if (thread.stack_region != none) {
    const Region& stack = partition.regions[thread.stack_region];
    if (stack.access != Access::read_write || stack.type != Memory_type::write_back) {
      diagnostics.report(Code::stack_not_writable, thread.src.at("stack"),
                         what + " uses memory region " + quoted(stack.name) +
                             " as its stack, but it is not readWrite write-back memory",
                         "give the stack region access = readWrite and the default memoryType");
    }
    if (stack_user[thread.stack_region] != none) {
      diagnostics
          .report(Code::stack_shared, thread.src.at("stack"),
                  what + " uses the same stack region as thread " +
                      quoted(partition.threads[stack_user[thread.stack_region]].name),
                  "give each thread its own stack region")
          .notes.push_back({partition.threads[stack_user[thread.stack_region]].src.at("stack"), "the other thread"});
    } else {
      stack_user[thread.stack_region] = thread_number;
    }
  }

  const bool budget_fits = check_time(thread.budget_us, thread.src.at("budgetUs"), what + " budget", diagnostics);
  const bool period_fits = check_time(thread.period_us, thread.src.at("periodUs"), what + " period", diagnostics);
  if (thread.passive) {
    // Checked below: a passive thread has neither budget nor period.
  } else if (!budget_fits || !period_fits) {
    // Compared only once both are times the kernel can hold.
  } else if ((thread.budget_us == 0) != (thread.period_us == 0)) {
    diagnostics.report(Code::budget_without_period, thread.src.at(thread.budget_us == 0 ? "periodUs" : "budgetUs"),
                       what + " has " + (thread.budget_us == 0 ? "a period but no budget" : "a budget but no period"),
                       "set both budgetUs and periodUs, or neither");
  } else if (thread.budget_us > thread.period_us) {
    diagnostics.report(Code::budget_exceeds_period, thread.src.at("budgetUs"),
                       what + " budget " + std::to_string(thread.budget_us) + " us is longer than its period " +
                           std::to_string(thread.period_us) + " us",
                       "make the budget at most the period");
  }
  if (model.platform.cpus != 0 && thread.cpu >= model.platform.cpus) {
    diagnostics.report(Code::thread_cpu_range, thread.src.at("cpu"),
                       what + " is pinned to CPU " + std::to_string(thread.cpu) + "; the platform has CPUs 0-" +
                           std::to_string(model.platform.cpus - 1),
                       "pin it to an existing CPU");
  }
  if (thread.entry != 0) {
    const bool executable = std::any_of(partition.regions.begin(), partition.regions.end(), [&](const Region& r) {
      return r.kind == Region::Kind::memory && r.access == Access::read_execute && thread.entry >= r.ipa &&
             thread.entry - r.ipa < r.size;
    });
    if (!executable) {
      diagnostics.report(Code::entry_not_executable, thread.src.at("entry"),
                         what + " entry " + hex(thread.entry) + " is not inside a readExecute memory region",
                         "use 0 for the program's ELF entry point, or an address inside its code region");
    }
  }
  if (thread.fault_endpoint != none && model.endpoints[thread.fault_endpoint].server == partition_number) {
    diagnostics.report(Code::fault_handler_own_partition, thread.src.at("faultHandler"),
                       what + " sends its faults to endpoint " + quoted(model.endpoints[thread.fault_endpoint].name) +
                           ", which its own partition serves",
                       "a fault handler must be another partition, which keeps running when this one faults");
  }
  if (thread.passive) {
    if (thread.budget_us != 0 || thread.period_us != 0) {
      diagnostics.report(Code::passive_with_budget, thread.src.at(thread.budget_us != 0 ? "budgetUs" : "periodUs"),
                         what + " is passive but has a " + (thread.budget_us != 0 ? "budget" : "period"),
                         "a passive server runs on its callers' time: remove budgetUs and periodUs");
    }
    // An endpoint whose server or serverThread is misspelt may be the one
    // it serves (KP0110, KP0111 report that).
    const bool maybe_served = model.unresolved.partition || model.unresolved.thread;
    if (servers.count({partition_number, thread_number}) == 0 && !maybe_served) {
      diagnostics.report(Code::passive_not_server, thread.src.at("passive"),
                         what + " is passive but serves no endpoint, so it would never run",
                         "name it as serverThread of an endpoint, or make it active");
    }
  }
}

}  // namespace

void validate_threads(const Model& model, Diagnostics& diagnostics) {
  Server_threads servers;
  for (const auto& endpoint : model.endpoints) servers.insert({endpoint.server, endpoint.server_thread});
  for (uint32_t p = 0; p < model.partitions.size(); ++p) {
    const Partition& partition = model.partitions[p];
    const auto native_threads =
        std::count_if(partition.threads.begin(), partition.threads.end(), [](const Thread& t) { return !t.vcpu; });
    if (partition.vm && (native_threads > 0 || !partition.program.empty())) {
      diagnostics.report(Code::vm_with_threads, partition.src.at(native_threads > 0 ? "threads" : "program"),
                         "partition " + quoted(partition.name) + " is a VM but also has " +
                             (native_threads > 0 ? "native threads" : "a program"),
                         "split it: one partition for the VM, another for native code");
    }
    if (!partition.vm && native_threads > 0 && partition.program.empty()) {
      diagnostics.report(Code::native_without_program, partition.src.at("threads"),
                         "partition " + quoted(partition.name) + " has threads but no program to run",
                         "add program = \"<file>.elf\", or a C++ source, \"<file>.cpp\", that kestrel build "
                         "compiles");
    }
    std::vector<uint32_t> stack_user(partition.regions.size(), none);
    for (uint32_t t = 0; t < partition.threads.size(); ++t) {
      if (!partition.threads[t].vcpu) check_thread(model, p, t, stack_user, servers, diagnostics);
    }
  }
}

}  // namespace kestrel::policy
