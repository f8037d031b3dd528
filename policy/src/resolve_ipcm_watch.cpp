// SPDX-License-Identifier: Apache-2.0
// Resolve the IPCM's watch over tunnel ends (Ipcm.watcher, docs/ipcm.md,
// "When an end stops"): one notification owned by the IPCM, which the
// kernel signals when a tunnel end's last thread stops or its VMM restarts
// it. Each end sets its own bit there: its index among the tunnel table's
// clients, which are the map windows (map_windows_of: every end, in
// partition order), so the watcher knows which end to close tunnels of
// without asking anyone.
#include "capabilities.hpp"
#include "resolver.hpp"

namespace kestrel::policy {

void Resolver::add_ipcm_watch() {
  Ipcm& ipcm = model_.ipcm;
  if (!ipcm.declared || ipcm.partition == none || ipcm.watcher == none) return;
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
  for (const Map_window& end : map_windows_of(model_)) {
    if (bit < 64) {  // KP1032 reports the rest
      model_.partitions[end.partition].stop_signals.push_back({ipcm.ends_stopped, bit});
    }
    ++bit;
  }
}

}  // namespace kestrel::policy
