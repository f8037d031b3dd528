// SPDX-License-Identifier: Apache-2.0
// Tunnel table: the compiled tunnels of a policy, as the IPCM reads them.
//
// The policy compiler writes it for the IPCM partition (emit_tunnel_table);
// the IPCM checks it with its strict reader (kestrel/ipcm/tunnel_table_reader.hpp)
// before serving any request. The kernel never reads it: it only checks the
// IPCM's capabilities (docs/ipcm.md). The format is flat and little-endian:
// a header, the tunnels, then the clients (every partition that is an end
// of some tunnel). Tunnels refer to clients by index.
//
// Compatibility: any change to an entry's layout or meaning bumps
// tunnel_table_version; the reader refuses other versions.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kestrel::abi {

inline constexpr uint64_t tunnel_table_magic = 0x4c4e'5554'4c54'534bULL;  // "KSTLTUNL" in memory
inline constexpr uint32_t tunnel_table_version = 1;
inline constexpr uint32_t tunnel_page_size = 0x1000;
// Far above any policy's needs; they keep every product below in 64 bits.
inline constexpr uint32_t tunnel_table_max_tunnels = 4096;
inline constexpr uint32_t tunnel_table_max_clients = 1024;
inline constexpr uint32_t tunnel_table_max_pages = 1U << 28;  // 1 TiB of 4 KiB pages
inline constexpr uint32_t tunnel_no_slot = 0xffff'ffffU;      // no capability slot

struct Tunnel_table_header {
  uint64_t magic;
  uint32_t version;
  uint32_t header_size;       // sizeof(Tunnel_table_header)
  uint32_t total_size;        // the whole table, header included
  uint32_t tunnel_count;      // Tunnel_entry, right after the header
  uint32_t client_count;      // Tunnel_client_entry, right after the tunnels
  uint32_t max_open_per_end;  // Ipcm.maxOpenPerEnd: tunnels one client may hold (asked for or open)
  uint64_t pool_address;      // where the IPCM sees its pool (VA = IPA), 4 KiB aligned
  uint32_t pool_pages;        // the pool's size in 4 KiB pages
  uint32_t pool_slot;         // the IPCM's capability to the pool, or tunnel_no_slot (see docs/ipcm.md)
};
static_assert(sizeof(Tunnel_table_header) == 48);

// Tunnel_client_entry::flags
enum Tunnel_client_flags : uint32_t {
  tunnel_client_is_vm = 1U << 0,  // a VM: its VMM calls for it with the VM's badge (docs/ipcm.md)
};
inline constexpr uint32_t known_tunnel_client_flags = tunnel_client_is_vm;

// A partition that is an end of at least one tunnel.
struct Tunnel_client_entry {
  uint64_t badge;           // its badge on the IPCM's endpoint: how the IPCM knows who calls
  uint64_t window_address;  // where it sees its tunnel window, 4 KiB aligned
  uint32_t window_pages;    // the window's size in 4 KiB pages
  uint32_t flags;           // Tunnel_client_flags
  uint32_t map_into_slot;   // the IPCM's "map into" capability for it, or tunnel_no_slot
  uint32_t reserved;        // zero
};
static_assert(sizeof(Tunnel_client_entry) == 32);

// Tunnel_end_entry::rights: how the end maps the tunnel. Always read.
enum Tunnel_rights : uint32_t {
  tunnel_read = 1U << 0,
  tunnel_write = 1U << 1,
};

struct Tunnel_end_entry {
  uint32_t client;         // index into the clients
  uint32_t rights;         // Tunnel_rights; tunnel_read always set
  uint32_t window_offset;  // pages from the window's start to instance 0; instance i follows at i x size
  uint32_t doorbell_slot;  // the IPCM's capability to signal this end's doorbell, or tunnel_no_slot
};
static_assert(sizeof(Tunnel_end_entry) == 16);

// Tunnel_entry::flags
enum Tunnel_flags : uint32_t {
  tunnel_doorbell = 1U << 0,  // each end has a doorbell (Tunnel.doorbell)
};
inline constexpr uint32_t known_tunnel_flags = tunnel_doorbell;

struct Tunnel_entry {
  uint32_t id;          // its index in the table: what clients name in requests
  uint32_t size_pages;  // one instance's size in 4 KiB pages, at least 1
  uint32_t max_open;    // instances that may be open at once, at least 1
  uint32_t flags;       // Tunnel_flags
  Tunnel_end_entry ends[2];
};
static_assert(sizeof(Tunnel_entry) == 48);

}  // namespace kestrel::abi
