// SPDX-License-Identifier: Apache-2.0
// Capabilities: which capabilities each partition gets, in slot order.
//
// Slot order is part of what a partition author relies on (the summary shows
// it), so it is fixed: endpoints the partition serves (receive), endpoints it
// calls (send, with its badge), notifications it owns (receive), notifications
// it signals (send, with its badge), interrupts of its devices (control), then
// the vCPUs of the VMs it is VMM of (control), then the kernel console if the
// policy grants it. Within each group, policy order.
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

// Every partition's capabilities, indexed by partition; linear in the size
// of the model.
std::vector<std::vector<Capability>> capabilities_of_all(const Model& model, const Numbering& numbering);

}  // namespace kestrel::policy
