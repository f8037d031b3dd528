// SPDX-License-Identifier: Apache-2.0
// Validate the IPCM's watcher (Ipcm.watcher, docs/ipcm.md, "When an end
// stops"): a thread with time of its own that can call its own IPCM, and
// few enough tunnel ends for one bit each in the kernel's notification.
// Without a watcher a stopped end's tunnels stay open: legal, but probably
// not what was meant (a warning).
#include <kestrel/policy/stages.hpp>

#include "capabilities.hpp"
#include "validate_util.hpp"

namespace kestrel::policy {
namespace {

constexpr size_t max_watched_ends = 64;  // bits of a notification word

}  // namespace

void validate_ipcm_watch(const Model& model, Diagnostics& diagnostics) {
  const Ipcm& ipcm = model.ipcm;
  if (!ipcm.declared || ipcm.partition == none || model.tunnels.empty()) return;
  const Partition& partition = model.partitions[ipcm.partition];
  if (ipcm.watcher == none) {
    if (!model.unresolved.thread) {
      diagnostics.report(Code::ipcm_no_watcher, ipcm.src.at("partition"),
                         "the IPCM " + quoted(partition.name) +
                             " has no watcher: when a tunnel end stops, its tunnels stay open (and their pages "
                             "out of the pool) until the other end closes them",
                         "give the IPCM a thread with time of its own and name it: watcher = \"...\" "
                         "(docs/ipcm.md, \"When an end stops\")");
    }
    return;
  }
  const Thread& watcher = partition.threads[ipcm.watcher];
  const Endpoint* endpoint = ipcm.endpoint != none ? &model.endpoints[ipcm.endpoint] : nullptr;
  const bool serves =
      endpoint != nullptr && endpoint->server == ipcm.partition && endpoint->server_thread == ipcm.watcher;
  if (watcher.passive || serves) {
    diagnostics.report(
        Code::ipcm_watcher_no_time, ipcm.src.at("watcher"),
        "the IPCM's watcher " + quoted(watcher.name) +
            (serves ? " is the thread that serves the IPCM's endpoint" : " is passive") +
            ": it must run when an end stops, on time of its own, and call that endpoint",
        "name another thread of " + quoted(partition.name) + ", not passive, with a window in the schedule");
  }
  if (endpoint != nullptr && endpoint->server == ipcm.partition &&
      std::none_of(endpoint->clients.begin(), endpoint->clients.end(),
                   [&](const Client& client) { return client.partition == ipcm.partition; })) {
    diagnostics.report(Code::ipcm_watcher_cannot_call, ipcm.src.at("watcher"),
                       "the IPCM's watcher " + quoted(watcher.name) + " cannot call the IPCM's endpoint " +
                           quoted(endpoint->name) + ": " + quoted(partition.name) + " is not one of its clients",
                       "add (partition = " + quoted(partition.name) +
                           ", badge = ...) to the endpoint's clients, with a badge no tunnel end has");
  }
  // The ends are the map windows (the tunnel table's clients).
  if (const size_t ends = map_windows_of(model).size(); ends > max_watched_ends) {
    diagnostics.report(Code::ipcm_too_many_ends, ipcm.src.at("watcher"),
                       "the IPCM watches " + std::to_string(ends) +
                           " tunnel ends, but hears of each stop by one bit of "
                           "a 64-bit notification",
                       "at most 64 partitions may be tunnel ends while the IPCM has a watcher");
  }
}

}  // namespace kestrel::policy
