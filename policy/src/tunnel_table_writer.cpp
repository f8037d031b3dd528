// SPDX-License-Identifier: Apache-2.0
// Tunnel table writer: lays out the IPCM's table from the model.
#include <kestrel/policy/tunnel_table_writer.hpp>

#include <algorithm>
#include <bit>
#include <cstring>

#include <kestrel/abi/boot_info.hpp>
#include <kestrel/policy/model.hpp>

namespace kestrel::policy {
namespace {

static_assert(std::endian::native == std::endian::little, "the table is written as the host lays it out");

template <typename T>
void append(std::vector<uint8_t>& bytes, const T& value) {
  const auto* first = reinterpret_cast<const uint8_t*>(&value);
  bytes.insert(bytes.end(), first, first + sizeof value);
}

uint32_t pages(uint64_t bytes) { return static_cast<uint32_t>(bytes / page_size); }

// The IPCM's slot of the capability of `kind` to `object`, or tunnel_no_slot.
uint32_t slot_of(const Partition& ipcm, abi::Capability_kind kind, uint32_t object) {
  for (uint32_t slot = 0; slot < ipcm.capabilities.size(); ++slot) {
    const Capability& capability = ipcm.capabilities[slot];
    if (capability.kind == static_cast<uint32_t>(kind) && capability.object == object) return slot;
  }
  return abi::tunnel_no_slot;
}

// The IPCM's slot for signalling `notification`, or tunnel_no_slot.
uint32_t signal_slot(const Partition& ipcm, uint32_t notification) {
  for (uint32_t slot = 0; slot < ipcm.capabilities.size(); ++slot) {
    const Capability& capability = ipcm.capabilities[slot];
    if (capability.kind == static_cast<uint32_t>(abi::Capability_kind::notification) &&
        capability.object == notification && (capability.rights & abi::right_send) != 0)
      return slot;
  }
  return abi::tunnel_no_slot;
}

uint32_t rights_of(Tunnel_access access, size_t end) {
  const bool writes = access == Tunnel_access::both_ways || (access == Tunnel_access::first_writes && end == 0) ||
                      (access == Tunnel_access::second_writes && end == 1);
  return abi::tunnel_read | (writes ? abi::tunnel_write : 0U);
}

}  // namespace

std::vector<uint8_t> write_tunnel_table(const Tunnel_table_contents& contents) {
  abi::Tunnel_table_header header = contents.header;
  header.magic = abi::tunnel_table_magic;
  header.version = abi::tunnel_table_version;
  header.header_size = sizeof header;
  header.tunnel_count = static_cast<uint32_t>(contents.tunnels.size());
  header.client_count = static_cast<uint32_t>(contents.clients.size());
  header.total_size = static_cast<uint32_t>(sizeof header + contents.tunnels.size() * sizeof(abi::Tunnel_entry) +
                                            contents.clients.size() * sizeof(abi::Tunnel_client_entry));
  std::vector<uint8_t> bytes;
  bytes.reserve(header.total_size);
  append(bytes, header);
  for (const auto& tunnel : contents.tunnels) append(bytes, tunnel);
  for (const auto& client : contents.clients) append(bytes, client);
  return bytes;
}

Tunnel_table_contents tunnel_table_contents(const Model& model) {
  Tunnel_table_contents contents;
  const Ipcm& ipcm = model.ipcm;
  const Partition& ipcm_partition = model.partitions[ipcm.partition];
  const Region& pool = ipcm_partition.regions[ipcm.pool_region];
  contents.header.max_open_per_end = ipcm.max_open_per_end;
  contents.header.pool_address = pool.ipa;
  contents.header.pool_pages = pages(pool.size);
  contents.header.pool_slot = slot_of(ipcm_partition, abi::Capability_kind::memory_pool, 0);
  // Clients: every partition that is an end, in partition order.
  std::vector<uint32_t> client_of(model.partitions.size(), abi::tunnel_no_slot);
  for (const auto& tunnel : model.tunnels) {
    for (const auto& end : tunnel.ends) client_of[end.partition] = 0;
  }
  const Endpoint& endpoint = model.endpoints[ipcm.endpoint];
  std::vector<uint32_t> window_used(model.partitions.size(), 0);
  for (uint32_t p = 0; p < model.partitions.size(); ++p) {
    if (client_of[p] == abi::tunnel_no_slot) continue;
    const Partition& partition = model.partitions[p];
    const auto client = std::find_if(endpoint.clients.begin(), endpoint.clients.end(),
                                     [&](const Client& c) { return c.partition == p; });
    abi::Tunnel_client_entry entry{};
    entry.badge = client != endpoint.clients.end() ? client->badge : 0;  // KP1010 makes it a client
    entry.window_address = partition.tunnel_window.base;
    entry.window_pages = pages(partition.tunnel_window.size);
    entry.flags = partition.vm ? static_cast<uint32_t>(abi::tunnel_client_is_vm) : 0U;
    // Clients and map windows are both every end in partition order
    // (map_windows_of), so client i's window is window i.
    entry.map_into_slot =
        slot_of(ipcm_partition, abi::Capability_kind::map_into, static_cast<uint32_t>(contents.clients.size()));
    client_of[p] = static_cast<uint32_t>(contents.clients.size());
    contents.clients.push_back(entry);
  }
  for (uint32_t t = 0; t < model.tunnels.size(); ++t) {
    const Tunnel& tunnel = model.tunnels[t];
    abi::Tunnel_entry entry{};
    entry.id = t;
    entry.size_pages = pages(tunnel.size);
    entry.max_open = tunnel.max_open;
    entry.flags = tunnel.doorbell ? static_cast<uint32_t>(abi::tunnel_doorbell) : 0U;
    for (size_t e = 0; e < 2; ++e) {
      const Tunnel_end& end = tunnel.ends[e];
      entry.ends[e].client = client_of[end.partition];
      entry.ends[e].rights = rights_of(tunnel.access, e);
      entry.ends[e].window_offset = window_used[end.partition];
      entry.ends[e].doorbell_slot =
          end.doorbell == none ? abi::tunnel_no_slot : signal_slot(ipcm_partition, end.doorbell);
      window_used[end.partition] += entry.size_pages * entry.max_open;  // fits: KP1007 bounds it by the window
    }
    contents.tunnels.push_back(entry);
  }
  return contents;
}

std::vector<uint8_t> emit_tunnel_table(const Model& model) {
  if (!model.ipcm.declared) return {};
  return write_tunnel_table(tunnel_table_contents(model));
}

}  // namespace kestrel::policy
