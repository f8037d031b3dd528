// SPDX-License-Identifier: Apache-2.0
// Resolve the IPCM's watch over tunnel ends (Ipcm.watcher, docs/ipcm.md,
// "When an end stops"): one notification owned by the IPCM, which the
// kernel signals when a tunnel end's last thread stops or its VMM restarts
// it. Each end sets its own bit there: its index among the tunnel table's
// clients (every end, in partition order), so the watcher knows which end
// to close tunnels of without asking anyone.
#include <set>

#include "resolver.hpp"

namespace kestrel::policy {

void Resolver::add_ipcm_watch() {
  Ipcm& ipcm = model_.ipcm;
  if (!ipcm.declared || ipcm.partition == none || ipcm.watcher == none) return;
  std::set<uint32_t> ends;
  for (const Tunnel& tunnel : model_.tunnels) {
    for (const Tunnel_end& end : tunnel.ends) {
      if (end.partition != none && end.partition != ipcm.partition) ends.insert(end.partition);
    }
  }
  Notification ends_stopped;
  ends_stopped.name = model_.partitions[ipcm.partition].name + ".ends-stopped";
  check_generated_name(ends_stopped.name, ipcm.src.at("watcher"), "the IPCM's notification for stopped ends",
                       "shorten the IPCM partition's name");
  ends_stopped.owner = ipcm.partition;
  ends_stopped.implicit = true;  // only the kernel signals it
  ends_stopped.src = ipcm.src.field("watcher");
  ipcm.ends_stopped = static_cast<uint32_t>(model_.notifications.size());
  model_.notifications.push_back(std::move(ends_stopped));
  uint32_t bit = 0;
  for (const uint32_t end : ends) {  // std::set: partition order, as the table's clients
    if (bit < 64) {                  // KP1032 reports the rest
      model_.partitions[end].stop_notification = ipcm.ends_stopped;
      model_.partitions[end].stop_bit = bit;
    }
    ++bit;
  }
}

}  // namespace kestrel::policy
