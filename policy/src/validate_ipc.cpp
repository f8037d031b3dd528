// SPDX-License-Identifier: Apache-2.0
// Validate IPC: endpoint clients and badges, call cycles, passive-server
// priorities, notification signallers and channel ends.
#include <set>

#include <kestrel/policy/stages.hpp>

#include "validate_util.hpp"

namespace kestrel::policy {
namespace {

uint32_t highest_priority(const Partition& partition) {
  uint32_t highest = 0;
  for (const auto& thread : partition.threads) highest = std::max(highest, thread.priority);
  return highest;
}

// A passive server thread on CPU c runs only on a caller's time, and only
// in the caller's window on c (kernel/include/kestrel/scheduler.hpp,
// may_run): a caller whose partition has no window on c would wait for
// ever. An exclusive CPU has no windows (only its owner and the partitions
// it shares with run there, all on the CPU's time).
bool has_window_on(const Model& model, uint32_t partition, uint32_t cpu) {
  for (const auto& plan : model.schedule) {
    if (plan.cpu != cpu) continue;
    if (plan.exclusive != none) {
      return plan.exclusive == partition || plan.shared_with_partition(partition);
    }
    for (const auto& window : plan.windows) {
      if (window.partition == partition) return true;
    }
    return false;
  }
  return true;  // no plan for that CPU: reported elsewhere (KP0706)
}

// Whether `caller`'s calls can find time on `cpu`: its own window there,
// or, for a VMM, a window of a VM it serves (its passive exit threads run
// on the vCPUs' time, and a call they make carries that time on: the
// kernel's donor is the vCPU, thread.hpp donor()).
bool caller_has_time_on(const Model& model, uint32_t caller, uint32_t cpu) {
  if (has_window_on(model, caller, cpu)) return true;
  for (uint32_t i = 0; i < model.partitions.size(); ++i) {
    const auto& vm = model.partitions[i].vm;
    if (vm && vm->vmm == caller && has_window_on(model, i, cpu)) return true;
  }
  return false;
}

void check_passive_reach(const Model& model, const Endpoint& endpoint, uint32_t caller, const Location& where,
                         const std::string& caller_name, Diagnostics& diagnostics) {
  if (endpoint.server == none || endpoint.server_thread == none || caller == endpoint.server) return;
  const Thread& server_thread = model.partitions[endpoint.server].threads[endpoint.server_thread];
  if (!server_thread.passive || caller_has_time_on(model, caller, server_thread.cpu)) return;
  const std::string cpu = std::to_string(server_thread.cpu);
  diagnostics
      .report(Code::passive_server_unreachable, where,
              caller_name + " calls passive server " + quoted(model.partitions[endpoint.server].name) + " on CPU " +
                  cpu +
                  ", where it has no window: a passive server runs only on its caller's time, in the "
                  "caller's window on the server's CPU, so the call would wait for ever",
              "give " + caller_name + " a window on CPU " + cpu +
                  ", or make the server thread not passive (with a window of its own there)")
      .notes.push_back({server_thread.src.at("cpu"), "the server thread's CPU"});
}

// A VM's exit endpoint for its vCPUs on one CPU: the VMM must have a thread
// there to receive them (one at all, KP0506, else one on that CPU, KP0512),
// and a passive one must be able to run on the vCPUs' time (KP0511: always
// true with a VM that has a window on its vCPUs' CPUs, kept for safety).
void check_exit_endpoint(const Model& model, const Endpoint& endpoint, Diagnostics& diagnostics) {
  if (endpoint.server == none || endpoint.exits_of_vm == none || model.partitions[endpoint.server].vm) return;
  const Partition& vm = model.partitions[endpoint.exits_of_vm];
  const Partition& vmm = model.partitions[endpoint.server];
  if (endpoint.server_thread != none) {
    check_passive_reach(model, endpoint, endpoint.exits_of_vm, vm.vm->src.at("vmm"), "VM " + quoted(vm.name),
                        diagnostics);
    return;
  }
  if (vmm.threads.empty()) {
    diagnostics.report(Code::server_without_threads, endpoint.src.at(),
                       "VMM " + quoted(vmm.name) + " has no thread to receive the VM's exits",
                       "add a thread to " + quoted(vmm.name));
    return;
  }
  if (model.platform.cpus != 0 && endpoint.exits_cpu >= model.platform.cpus) return;  // KP0604
  const std::string cpu = std::to_string(endpoint.exits_cpu);
  for (const auto& vcpu : vm.threads) {
    if (!vcpu.vcpu || vcpu.cpu != endpoint.exits_cpu) continue;
    diagnostics
        .report(Code::vmm_without_thread_on_cpu, vcpu.src.at(),
                "VM " + quoted(vm.name) + " has a vCPU on CPU " + cpu + ", where its VMM " + quoted(vmm.name) +
                    " has no thread: a vCPU's exits are served on its own CPU, by the VMM's thread there",
                "give " + quoted(vmm.name) + " a passive thread on CPU " + cpu)
        .notes.push_back({vm.vm->src.at("vmm"), "the VMM"});
    return;
  }
}

void check_endpoint(const Model& model, const Endpoint& endpoint, Diagnostics& diagnostics) {
  if (endpoint.implicit) {
    check_exit_endpoint(model, endpoint, diagnostics);
    return;
  }
  const std::string what = "endpoint " + quoted(endpoint.name);
  if (endpoint.server != none) {
    const Partition& server = model.partitions[endpoint.server];
    if (server.vm) {
      diagnostics.report(Code::server_is_vm, endpoint.src.at("server"),
                         what + " is served by VM partition " + quoted(server.name),
                         "VMs talk to other partitions through their VMM or through channels");
    } else if (endpoint.server_thread == none && server.threads.empty()) {
      diagnostics.report(Code::server_without_threads, endpoint.src.at("server"),
                         what + " is served by " + quoted(server.name) + ", which has no thread to receive",
                         "add a thread to " + quoted(server.name));
    }
  }
  std::map<uint32_t, const Client*> by_partition;
  std::map<uint64_t, const Client*> by_badge;
  for (const auto& client : endpoint.clients) {
    if (client.partition == none) continue;
    const std::string client_name = quoted(partition_name(model, client.partition));
    // Calls inside a partition are fine between two of its threads: the
    // endpoint must name its receiving thread, and another must exist.
    const bool another_thread_calls =
        endpoint.server_thread != none && model.partitions[endpoint.server].threads.size() >= 2;
    if (client.partition == endpoint.server && !another_thread_calls) {
      diagnostics.report(Code::endpoint_self_call, client.src.at("partition"),
                         client_name + " is a client of its own " + what +
                             ", but no thread other than the one that receives could call it",
                         "name the receiving thread (serverThread) and give " + client_name +
                             " another thread to call from, or call only other partitions");
    }
    if (const auto [it, inserted] = by_partition.emplace(client.partition, &client); !inserted) {
      diagnostics
          .report(Code::duplicate_client, client.src.at("partition"),
                  client_name + " is listed twice as a client of " + what, "list each client once")
          .notes.push_back({it->second->src.at("partition"), "first listed here"});
      continue;
    }
    if (const auto [it, inserted] = by_badge.emplace(client.badge, &client); !inserted) {
      diagnostics
          .report(Code::duplicate_badge, client.src.at("badge"),
                  "clients " + quoted(partition_name(model, it->second->partition)) + " and " + client_name + " of " +
                      what + " have the same badge " + std::to_string(client.badge),
                  "give each client a distinct badge so the server can tell them apart")
          .notes.push_back({it->second->src.at("badge"), "the other client's badge"});
    }
    if (endpoint.server_thread != none && endpoint.server != none) {
      const Thread& server_thread = model.partitions[endpoint.server].threads[endpoint.server_thread];
      // A VM's calls are its VMM's (a tunnel end, docs/ipcm.md): at the
      // priority of the VMM's threads too.
      const Partition& client_partition = model.partitions[client.partition];
      const uint32_t vmm = client_partition.vm ? client_partition.vm->vmm : none;
      uint32_t client_priority = highest_priority(client_partition);
      if (vmm != none && highest_priority(model.partitions[vmm]) > client_priority) {
        client_priority = highest_priority(model.partitions[vmm]);
      }
      const std::string caller =
          vmm != none ? client_name + " (through its VMM " + quoted(model.partitions[vmm].name) + ")" : client_name;
      check_passive_reach(model, endpoint, client.partition, client.src.at("partition"), client_name, diagnostics);
      if (server_thread.passive && client_priority > server_thread.priority) {
        diagnostics
            .report(Code::passive_priority, client.src.at("partition"),
                    caller + " calls passive server " + what + " at priority " + std::to_string(client_priority) +
                        ", above the server's " + std::to_string(server_thread.priority),
                    "give the passive server thread a priority at least as high as every client's "
                    "(priority ceiling), so a call cannot be preempted by a mid-priority thread")
            .notes.push_back({server_thread.src.at("priority"), "the server thread's priority"});
      }
    }
  }
}

// The partitions of a cycle for a message: all of a short one, the ends of a
// long one (so that many long cycles cost no more than their count).
std::string describe_cycle(const Model& model, const std::vector<uint32_t>& path, size_t from) {
  constexpr size_t shown_at_each_end = 4;
  std::string text;
  const size_t length = path.size() - from;
  for (size_t i = from; i < path.size(); ++i) {
    if (length > 2 * shown_at_each_end && i == from + shown_at_each_end) {
      text += "... (" + std::to_string(length - 2 * shown_at_each_end) + " more) -> ";
      i = path.size() - shown_at_each_end;
    }
    text += quoted(model.partitions[path[i]].name) + " -> ";
  }
  return text + quoted(model.partitions[path[from]].name);
}

// A cycle in "client calls server" between partitions can deadlock: each
// server may be blocked calling the next. Reports each cycle once, at the
// client entry that closes it. A depth-first walk with its own stack on the
// heap, linear in partitions plus calls: a chain of thousands of partitions
// must not overflow the compiler's stack.
void check_call_cycles(const Model& model, Diagnostics& diagnostics) {
  const auto count = static_cast<uint32_t>(model.partitions.size());
  struct Edge {
    uint32_t server;
    const Endpoint* endpoint;
    const Client* client;
  };
  std::vector<std::vector<Edge>> calls(count);
  for (const auto& endpoint : model.endpoints) {
    if (endpoint.server == none) continue;
    for (const auto& client : endpoint.clients) {
      if (client.partition != none && client.partition != endpoint.server) {
        calls[client.partition].push_back({endpoint.server, &endpoint, &client});
      }
    }
  }
  enum class Mark : uint8_t { unvisited, on_path, done };
  std::vector<Mark> mark(count, Mark::unvisited);
  std::vector<size_t> position(count, 0);  // of a partition on the path, while it is on it
  std::vector<uint32_t> path;              // the partitions being walked, outermost first
  std::vector<size_t> next_call;           // for each of them, the next call to follow
  auto enter = [&](uint32_t partition) {
    mark[partition] = Mark::on_path;
    position[partition] = path.size();
    path.push_back(partition);
    next_call.push_back(0);
  };
  for (uint32_t root = 0; root < count; ++root) {
    if (mark[root] != Mark::unvisited) continue;
    enter(root);
    while (!path.empty()) {
      const uint32_t partition = path.back();
      if (next_call.back() == calls[partition].size()) {
        mark[partition] = Mark::done;
        path.pop_back();
        next_call.pop_back();
        continue;
      }
      const Edge& edge = calls[partition][next_call.back()++];
      if (mark[edge.server] == Mark::on_path) {
        diagnostics.report(Code::call_cycle, edge.client->src.at("partition"),
                           "calls form a cycle " + describe_cycle(model, path, position[edge.server]) +
                               " (closed by endpoint " + quoted(edge.endpoint->name) + ")",
                           "servers must form a hierarchy; replace one call with a notification or a channel");
      } else if (mark[edge.server] == Mark::unvisited) {
        enter(edge.server);
      }
    }
  }
}

void check_notification(const Model& model, const Notification& notification, Diagnostics& diagnostics) {
  if (notification.implicit) return;
  const std::string what = "notification " + quoted(notification.name);
  if (notification.owner != none && model.partitions[notification.owner].vm) {
    diagnostics.report(Code::server_is_vm, notification.src.at("owner"),
                       what + " is owned by VM partition " + quoted(model.partitions[notification.owner].name),
                       "a VM cannot wait on notifications; give it to a native partition");
  }
  std::map<uint32_t, const Client*> seen;
  for (const auto& signaller : notification.signallers) {
    if (signaller.partition == none) continue;
    if (signaller.badge == 0) {
      diagnostics.report(
          Code::notification_zero_badge, signaller.src.at("badge"),
          quoted(partition_name(model, signaller.partition)) + " signals " + what + " with badge 0, which sets no bit",
          "give it a non-zero badge, e.g. 1 << n for the n-th signaller");
    }
    if (const auto [it, inserted] = seen.emplace(signaller.partition, &signaller); !inserted) {
      diagnostics
          .report(Code::duplicate_client, signaller.src.at("partition"),
                  quoted(partition_name(model, signaller.partition)) + " is listed twice as a signaller of " + what,
                  "list each signaller once")
          .notes.push_back({it->second->src.at("partition"), "first listed here"});
    }
  }
}

void check_channel(const Model& model, const Channel& channel, Diagnostics& diagnostics) {
  std::map<uint32_t, const Channel_end*> seen;
  for (const auto& reader : channel.readers) {
    if (reader.partition == none) continue;
    const std::string reader_name = quoted(partition_name(model, reader.partition));
    if (reader.partition == channel.writer.partition) {
      diagnostics.report(Code::channel_writer_reads, reader.src.at("partition"),
                         reader_name + " is both writer and reader of channel " + quoted(channel.name),
                         "the writer already sees the channel; remove it from readers");
      continue;
    }
    if (const auto [it, inserted] = seen.emplace(reader.partition, &reader); !inserted) {
      diagnostics
          .report(Code::duplicate_client, reader.src.at("partition"),
                  reader_name + " is listed twice as a reader of channel " + quoted(channel.name),
                  "list each reader once")
          .notes.push_back({it->second->src.at("partition"), "first listed here"});
    }
  }
}

}  // namespace

void validate_ipc(const Model& model, Diagnostics& diagnostics) {
  for (const auto& endpoint : model.endpoints) check_endpoint(model, endpoint, diagnostics);
  check_call_cycles(model, diagnostics);
  for (const auto& notification : model.notifications) check_notification(model, notification, diagnostics);
  for (const auto& channel : model.channels) check_channel(model, channel, diagnostics);
}

}  // namespace kestrel::policy
