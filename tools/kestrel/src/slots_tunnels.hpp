// SPDX-License-Identifier: Apache-2.0
// Slots, tunnels: the part of kestrel/slots.hpp about the policy's tunnels
// (namespace kestrel::tunnels), for the IPCM and for the tunnels' ends.
#pragma once

#include <cstdint>
#include <sstream>
#include <vector>

#include <kestrel/policy/model.hpp>
#include <kestrel_cli/slots.hpp>

namespace kestrel_cli {

// For the IPCM partition: its compiled tunnel table and what its program
// sizes its state by. For a tunnel end: a kestrel::Tunnel_end per tunnel.
// Nothing for any other partition.
void write_tunnels(std::ostringstream& out, const kestrel::policy::Model& model, uint32_t partition,
                   const std::vector<Named_slot>& slots);

// For a VMM: the tunnel fields of VM `vm`'s Vm_description (its control
// page and a Vm_tunnel per tunnel it is an end of), as designated
// initializers.
void write_vm_tunnels(std::ostringstream& out, const kestrel::policy::Model& model, uint32_t vm, uint32_t vmm,
                      const std::vector<Named_slot>& slots);

}  // namespace kestrel_cli
