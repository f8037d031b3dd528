// SPDX-License-Identifier: Apache-2.0
// VM tunnels: a VM's tunnels, their window places and SPIs.
#include <kestrel/policy/vm_tunnels.hpp>

#include <algorithm>

namespace kestrel::policy {

std::vector<Vm_tunnel> vm_tunnels(const Model& model, uint32_t vm) {
  std::vector<Vm_tunnel> tunnels;
  const Partition& partition = model.partitions.at(vm);
  if (!partition.vm) return tunnels;
  uint32_t highest = 31;
  for (const auto& device : partition.vm->emulated) highest = std::max(highest, device.interrupt);
  for (const auto& grant : partition.grants) {
    if (grant.device == none) continue;
    for (const uint32_t intid : model.platform.devices[grant.device].interrupts) highest = std::max(highest, intid);
  }
  uint64_t offset = 0;
  for (uint32_t t = 0; t < model.tunnels.size(); ++t) {
    const Tunnel& tunnel = model.tunnels[t];
    for (uint32_t e = 0; e < tunnel.ends.size() && e < 2; ++e) {
      if (tunnel.ends[e].partition != vm) continue;
      tunnels.push_back({t, e, partition.tunnel_window.base + offset, tunnel.size, tunnel.max_open, ++highest});
      offset += tunnel.footprint();
      break;  // a tunnel's ends are two partitions (KP1003)
    }
  }
  return tunnels;
}

}  // namespace kestrel::policy
