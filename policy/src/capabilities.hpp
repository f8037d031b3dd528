// SPDX-License-Identifier: Apache-2.0
// Capabilities: which capabilities each partition gets, in slot order.
//
// Slot order is part of what a partition author relies on (the summary shows
// it), so it is fixed: endpoints the partition serves (receive), endpoints it
// calls (send, with its badge), notifications it owns (receive), notifications
// it signals (send, with its badge), interrupts of its devices (control), then
// the vCPUs of the VMs it is VMM of (control), then the kernel console if the
// policy grants it, the power capability, then for the IPCM its pool
// (memory_pool) and one map_into per tunnel end, in partition order. Within
// each group, policy order.
#pragma once

#include <vector>

#include <kestrel/policy/model.hpp>

namespace kestrel::policy {

// Global numbering of threads and interrupts as boot-info lays them out:
// partition by partition.
struct Numbering {
  std::vector<uint32_t> first_thread;
  std::vector<uint32_t> first_irq;
};
Numbering number_objects(const Model& model);

// A partition the IPCM may map tunnels into (a tunnel end) and the most its
// tunnels need there: abi::map_read, with abi::map_write if any of its
// tunnels lets it write. Boot-info's map windows, in this order.
struct Map_window {
  uint32_t partition = 0;
  uint32_t max_rights = 0;
};
std::vector<Map_window> map_windows_of(const Model& model);

// Every partition's capabilities, indexed by partition; linear in the size
// of the model.
std::vector<std::vector<Capability>> capabilities_of_all(const Model& model, const Numbering& numbering);

}  // namespace kestrel::policy
