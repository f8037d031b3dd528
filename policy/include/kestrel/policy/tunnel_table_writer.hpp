// SPDX-License-Identifier: Apache-2.0
// Tunnel table writer: the compiled tunnels for the IPCM
// (kestrel/abi/tunnel_table.hpp), from an allocated model or from entries.
#pragma once

#include <cstdint>
#include <vector>

#include <kestrel/abi/tunnel_table.hpp>

namespace kestrel::policy {

struct Model;

// What a table holds; write_tunnel_table fills in the header's magic,
// version, sizes and counts.
struct Tunnel_table_contents {
  abi::Tunnel_table_header header{};
  std::vector<abi::Tunnel_entry> tunnels;
  std::vector<abi::Tunnel_client_entry> clients;
};

std::vector<uint8_t> write_tunnel_table(const Tunnel_table_contents& contents);

// The contents for an allocated model without errors: tunnels in policy
// order (a tunnel's id is its position), clients in partition order, each
// end's instances at a fixed place in its window (the tunnels before it
// there, each size x maxOpen, come first), the IPCM's doorbell slots.
// Capabilities the kernel step adds (pool, map into) are abi::tunnel_no_slot.
Tunnel_table_contents tunnel_table_contents(const Model& model);

// The table for the model's IPCM; empty if the model has no IPCM.
std::vector<uint8_t> emit_tunnel_table(const Model& model);

}  // namespace kestrel::policy
