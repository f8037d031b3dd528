// SPDX-License-Identifier: Apache-2.0
// Tunnel table reader: checks a compiled tunnel table (kestrel/abi/tunnel_table.hpp)
// completely before the IPCM trusts any of it, and then reads its entries.
//
// Freestanding: no heap, no exceptions. The table reaches the IPCM from the
// image, which is measured, but the IPCM still refuses anything it cannot
// serve safely: every index in range, every instance of every tunnel inside
// its ends' windows and apart from the other tunnels there, no product that
// wraps. Entries are copied out (the bytes need no alignment).
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/abi/tunnel_table.hpp>

namespace kestrel::ipcm {

enum class Table_error : uint8_t {
  none,
  too_short,  // shorter than its header, or than its counts say
  bad_magic,
  bad_version,
  bad_header_size,
  bad_total_size,     // total_size differs from the bytes given or from the counts
  too_many,           // a count beyond the abi limits
  bad_pool,           // pool unaligned, wrapping or beyond the limits
  bad_limit,          // max_open_per_end is 0
  bad_client,         // unknown flags, reserved bits, unaligned or wrapping window
  duplicate_badge,    // two clients with one badge: the IPCM could not tell them apart
  bad_tunnel,         // id not its index, size or max_open 0, unknown flags
  bad_end,            // client out of range, both ends one client, rights without read
  outside_window,     // a tunnel's instances do not fit an end's window
  overlap_in_window,  // two tunnels share window pages at one client
};

class Tunnel_table {
 public:
  // Checks `bytes`; on success `table` reads them (they must outlive it).
  [[nodiscard]] static Table_error parse(const uint8_t* bytes, size_t size, Tunnel_table& table) {
    Tunnel_table candidate;
    candidate.bytes_ = bytes;
    const Table_error error = candidate.check(size);
    if (error == Table_error::none) table = candidate;
    return error;
  }

  const abi::Tunnel_table_header& header() const { return header_; }
  uint32_t tunnel_count() const { return header_.tunnel_count; }
  uint32_t client_count() const { return header_.client_count; }

  abi::Tunnel_entry tunnel(uint32_t index) const {
    abi::Tunnel_entry entry;
    __builtin_memcpy(&entry, bytes_ + sizeof(abi::Tunnel_table_header) + size_t{index} * sizeof entry, sizeof entry);
    return entry;
  }
  abi::Tunnel_client_entry client(uint32_t index) const {
    abi::Tunnel_client_entry entry;
    __builtin_memcpy(&entry, bytes_ + clients_offset() + size_t{index} * sizeof entry, sizeof entry);
    return entry;
  }

 private:
  size_t clients_offset() const {
    return sizeof(abi::Tunnel_table_header) + size_t{header_.tunnel_count} * sizeof(abi::Tunnel_entry);
  }

  Table_error check(size_t size) {
    if (bytes_ == nullptr || size < sizeof header_) return Table_error::too_short;
    __builtin_memcpy(&header_, bytes_, sizeof header_);
    if (header_.magic != abi::tunnel_table_magic) return Table_error::bad_magic;
    if (header_.version != abi::tunnel_table_version) return Table_error::bad_version;
    if (header_.header_size != sizeof header_) return Table_error::bad_header_size;
    if (header_.tunnel_count > abi::tunnel_table_max_tunnels || header_.client_count > abi::tunnel_table_max_clients)
      return Table_error::too_many;
    const size_t expected = clients_offset() + size_t{header_.client_count} * sizeof(abi::Tunnel_client_entry);
    if (size < expected) return Table_error::too_short;
    if (header_.total_size != size || size != expected) return Table_error::bad_total_size;
    if (header_.pool_address % abi::tunnel_page_size != 0 || header_.pool_pages > abi::tunnel_table_max_pages ||
        header_.pool_address > UINT64_MAX - uint64_t{header_.pool_pages} * abi::tunnel_page_size)
      return Table_error::bad_pool;
    if (header_.max_open_per_end == 0) return Table_error::bad_limit;
    for (uint32_t c = 0; c < header_.client_count; ++c) {
      if (const Table_error error = check_client(c); error != Table_error::none) return error;
    }
    for (uint32_t t = 0; t < header_.tunnel_count; ++t) {
      if (const Table_error error = check_tunnel(t); error != Table_error::none) return error;
    }
    return check_windows_apart();
  }

  Table_error check_client(uint32_t index) const {
    const abi::Tunnel_client_entry entry = client(index);
    if ((entry.flags & ~abi::known_tunnel_client_flags) != 0 || entry.reserved != 0) return Table_error::bad_client;
    if (entry.window_address % abi::tunnel_page_size != 0 || entry.window_pages > abi::tunnel_table_max_pages ||
        entry.window_address > UINT64_MAX - uint64_t{entry.window_pages} * abi::tunnel_page_size)
      return Table_error::bad_client;
    for (uint32_t other = 0; other < index; ++other) {
      if (client(other).badge == entry.badge) return Table_error::duplicate_badge;
    }
    return Table_error::none;
  }

  Table_error check_tunnel(uint32_t index) const {
    const abi::Tunnel_entry entry = tunnel(index);
    if (entry.id != index || entry.size_pages == 0 || entry.max_open == 0 ||
        (entry.flags & ~abi::known_tunnel_flags) != 0)
      return Table_error::bad_tunnel;
    if (entry.ends[0].client == entry.ends[1].client) return Table_error::bad_end;
    // Both at most 2^32, so the product fits 64 bits.
    const uint64_t footprint = uint64_t{entry.size_pages} * entry.max_open;
    for (const auto& end : entry.ends) {
      if (end.client >= header_.client_count) return Table_error::bad_end;
      if ((end.rights & abi::tunnel_read) == 0 || (end.rights & ~(abi::tunnel_read | abi::tunnel_write)) != 0)
        return Table_error::bad_end;
      if (uint64_t{end.window_offset} + footprint > client(end.client).window_pages) return Table_error::outside_window;
    }
    return Table_error::none;
  }

  // Each instance has a fixed place in each end's window; two tunnels'
  // places at one client must not meet, or the second map would land on
  // the first. Quadratic, once, at start.
  Table_error check_windows_apart() const {
    for (uint32_t a = 0; a < header_.tunnel_count; ++a) {
      const abi::Tunnel_entry first = tunnel(a);
      for (uint32_t b = a + 1; b < header_.tunnel_count; ++b) {
        const abi::Tunnel_entry second = tunnel(b);
        for (const auto& x : first.ends) {
          for (const auto& y : second.ends) {
            if (x.client != y.client) continue;
            const uint64_t x_end = x.window_offset + uint64_t{first.size_pages} * first.max_open;
            const uint64_t y_end = y.window_offset + uint64_t{second.size_pages} * second.max_open;
            if (x.window_offset < y_end && y.window_offset < x_end) return Table_error::overlap_in_window;
          }
        }
      }
    }
    return Table_error::none;
  }

  const uint8_t* bytes_ = nullptr;
  abi::Tunnel_table_header header_{};
};

}  // namespace kestrel::ipcm
