// SPDX-License-Identifier: Apache-2.0
// Resolve tunnels: the IPCM, the tunnels it may open and their doorbells.
// Tunnels add no region: their pages are mapped at run time, by the IPCM,
// inside each end's tunnel window (docs/ipcm.md).
#include <algorithm>

#include "resolver.hpp"

namespace kestrel::policy {

void Resolver::resolve_ipcm(schema::System::Reader system, const Source_ref& root) {
  if (!system.hasIpcm()) return;
  const auto reader = system.getIpcm();
  Ipcm& ipcm = model_.ipcm;
  ipcm.declared = true;
  ipcm.src = root.field("ipcm");
  ipcm.max_open_per_end = reader.getMaxOpenPerEnd();
  ipcm.partition = find_partition(text(reader.getPartition()), ipcm.src.at("partition"), "the IPCM");
  const std::string endpoint = reader.getEndpoint();
  if (endpoint.empty()) {
    diagnostics_.report(Code::name_empty, ipcm.src.at("endpoint"), "the IPCM names no endpoint",
                        "name the endpoint the IPCM serves and tunnel ends call");
  } else {
    ipcm.endpoint = find_in(endpoint_index_, endpoint, ipcm.src.at("endpoint"), Code::unknown_endpoint, "endpoint");
  }
  // A VM has no memory regions of its own to name (KP1017 reports it).
  if (ipcm.partition == none || model_.partitions[ipcm.partition].vm) return;
  if (const std::string watcher = reader.getWatcher(); !watcher.empty()) {
    ipcm.watcher =
        find_in(threads_by_partition_[ipcm.partition], watcher, ipcm.src.at("watcher"), Code::unknown_thread, "thread");
  }
  const std::string pool = reader.getPool();
  const auto& regions = model_.partitions[ipcm.partition].regions;
  const auto it = std::find_if(regions.begin(), regions.end(), [&](const Region& region) {
    return region.kind == Region::Kind::memory && region.name == pool;
  });
  if (it != regions.end()) {
    ipcm.pool_region = static_cast<uint32_t>(it - regions.begin());
  } else {
    diagnostics_.report(Code::unknown_region, ipcm.src.at("pool"),
                        "the IPCM's pool " + quoted(pool) + " is not a memory region of " +
                            quoted(model_.partitions[ipcm.partition].name),
                        "name one of the IPCM partition's memory regions");
  }
}

void Resolver::resolve_tunnels(capnp::List<schema::Tunnel>::Reader tunnels, const Source_ref& src) {
  for (uint32_t i = 0; i < tunnels.size(); ++i) {
    const Source_ref tunnel_src = src.item(i);
    Tunnel tunnel;
    tunnel.name = tunnels[i].getName();
    tunnel.size = tunnels[i].getSize();
    tunnel.access = static_cast<Tunnel_access>(tunnels[i].getAccess());
    tunnel.doorbell = tunnels[i].getDoorbell();
    tunnel.max_open = tunnels[i].getMaxOpen();
    tunnel.src = tunnel_src;
    const auto ends = tunnels[i].getEnds();
    for (uint32_t j = 0; j < ends.size(); ++j) {
      const Location at = tunnel_src.field("ends").item(j).at();
      tunnel.ends.push_back({find_partition(text(ends[j]), at, "tunnel end"), none, at});
    }
    model_.tunnels.push_back(std::move(tunnel));
  }
  add_tunnel_doorbells();
}

// The partition that waits and signals for a tunnel end: the end itself,
// or for a VM its VMM (a VM's vCPUs make no system calls; the VMM turns the
// doorbell into an interrupt of the guest, docs/ipcm.md "The VM end of a
// tunnel"). none for a VM without a VMM (KP0608).
uint32_t Resolver::doorbell_holder(uint32_t end) const {
  const Partition& partition = model_.partitions[end];
  return partition.vm ? partition.vm->vmm : end;
}

// A doorbell is one notification per end, owned by that end (by a VM's
// VMM) and signalled by the other end (badge 1: data) and by the IPCM
// (badge 2: the tunnel opened or closed). None for a tunnel whose ends are
// wrong (KP1001, KP1003) or for an end that cannot wait on it (KP1009).
void Resolver::add_tunnel_doorbells() {
  for (Tunnel& tunnel : model_.tunnels) {
    if (!tunnel.doorbell || tunnel.ends.size() != 2) continue;
    const uint32_t first = tunnel.ends[0].partition;
    const uint32_t second = tunnel.ends[1].partition;
    if (first == none || second == none || first == second) continue;
    for (size_t e = 0; e < 2; ++e) {
      Tunnel_end& end = tunnel.ends[e];
      const Partition& owner = model_.partitions[end.partition];
      const uint32_t holder = doorbell_holder(end.partition);
      const uint32_t other_holder = doorbell_holder(tunnel.ends[1 - e].partition);
      if (holder == none || other_holder == none || model_.partitions[holder].threads.empty()) continue;
      Notification doorbell;
      doorbell.name = tunnel.name + ".doorbell." + owner.name;
      if (tunnel.name.size() <= max_name_length)
        check_generated_name(
            doorbell.name, end.at, "the doorbell of tunnel " + quoted(tunnel.name) + " for " + quoted(owner.name),
            "shorten the tunnel's or the end's name: together they may have at most " +
                std::to_string(max_name_length - std::string_view(".doorbell.").size()) + " characters");
      doorbell.owner = holder;
      doorbell.implicit = true;
      doorbell.src = tunnel.src.field("doorbell");
      doorbell.signallers.push_back({other_holder, 1, tunnel.src});
      const uint32_t ipcm = model_.ipcm.partition;
      if (ipcm != none && ipcm != first && ipcm != second) doorbell.signallers.push_back({ipcm, 2, model_.ipcm.src});
      end.doorbell = static_cast<uint32_t>(model_.notifications.size());
      model_.notifications.push_back(std::move(doorbell));
    }
  }
}

}  // namespace kestrel::policy
