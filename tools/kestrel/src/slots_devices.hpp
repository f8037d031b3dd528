// SPDX-License-Identifier: Apache-2.0
// Slots, devices: the part of kestrel/slots.hpp about block devices and
// networks served by driver partitions (namespace kestrel::devices,
// runtime/include/kestrel/device_description.hpp), for their clients (a
// VMM for its VMs) and their drivers.
#pragma once

#include <cstdint>
#include <sstream>
#include <vector>

#include <kestrel/policy/model.hpp>
#include <kestrel_cli/slots.hpp>

namespace kestrel_cli {

// A client queue a partition holds: service `service`'s client `client`.
struct Held_queue {
  uint32_t service = 0;
  uint32_t client = 0;
};

// The block (or net) queues `partition` holds, for itself or the VMs it is
// VMM of, in the order of kestrel::devices::block_clients (net_clients):
// by device in policy order, then by client.
std::vector<Held_queue> held_queues(const kestrel::policy::Model& model, uint32_t partition, bool block);

// The index in the VMM's block_clients or net_clients of the queue behind
// VM `vm`'s emulated device `device`; ~0u when it has none.
uint32_t emulated_backend(const kestrel::policy::Model& model, uint32_t vm,
                          const kestrel::policy::Emulated_device& device);

// namespace kestrel::devices for every partition: its client descriptions
// and, for a driver, its driver descriptions (counts 0 when none).
void write_devices(std::ostringstream& out, const kestrel::policy::Model& model, uint32_t partition,
                   const std::vector<Named_slot>& slots);

}  // namespace kestrel_cli
