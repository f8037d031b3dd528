// SPDX-License-Identifier: Apache-2.0
// Manager: the IPCM's state machine. For every instance of every tunnel in
// the compiled table: closed -> opening (one end asked; mapped into it) ->
// open (the other end accepted; mapped into both) -> closed, through
// closing while its pages are unmapped. Every decision is a function of the
// table, the state and the request; the kernel's map, unmap and signal
// calls are behind `Kernel` (docs/ipcm.md lists what the kernel provides),
// so host tests drive it with a fake kernel that records calls and can
// refuse one.
//
// Freestanding: no heap, no exceptions; every array is sized by the
// template's limits, checked against the table at start.
//
// Kernel must provide:
//   bool map(const Map_call&);      pool pages into a client's window
//   bool unmap(const Unmap_call&);  those pages out of it again
//   void signal(uint32_t slot, uint64_t badge);  ring a doorbell
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/ipcm/page_pool.hpp>
#include <kestrel/ipcm/protocol.hpp>
#include <kestrel/ipcm/tunnel_table_reader.hpp>

namespace kestrel::ipcm {

// Map pool pages [pool_page, +pages) into `client`'s window at window_page
// (all in 4 KiB pages), with `rights` (abi::Tunnel_rights).
struct Map_call {
  uint32_t client;
  uint32_t map_into_slot;  // the IPCM's capability for that client's window
  uint32_t pool_page;
  uint32_t pages;
  uint32_t window_page;
  uint32_t rights;
};

struct Unmap_call {
  uint32_t client;
  uint32_t map_into_slot;
  uint32_t window_page;
  uint32_t pages;
};

enum class Start_error : uint8_t {
  none,
  bad_table,      // the reader refused it (table_error says why)
  too_large,      // more tunnels, instances, clients or pool pages than this build holds
  no_pool_memory  // the pool's memory was not given
};

enum class Instance_state : uint8_t { closed, opening, open, closing };

template <typename Kernel, uint32_t max_tunnels, uint32_t max_instances, uint32_t max_clients, uint32_t max_pool_pages>
class Manager {
 public:
  explicit constexpr Manager(Kernel& kernel) : kernel_{kernel} {}

  // `pool_memory`: the pool as the IPCM sees it (pool_pages x 4 KiB), for
  // zeroing; free pages are always zero.
  [[nodiscard]] Start_error start(const uint8_t* table, size_t size, uint8_t* pool_memory) {
    table_error_ = Tunnel_table::parse(table, size, table_);
    if (table_error_ != Table_error::none) return Start_error::bad_table;
    if (pool_memory == nullptr) return Start_error::no_pool_memory;
    if (table_.tunnel_count() > max_tunnels || table_.client_count() > max_clients ||
        table_.header().pool_pages > max_pool_pages)
      return Start_error::too_large;
    uint32_t instances = 0;
    for (uint32_t t = 0; t < table_.tunnel_count(); ++t) {
      first_instance_[t] = instances;
      const uint32_t max_open = table_.tunnel(t).max_open;
      if (max_open > max_instances - instances) return Start_error::too_large;
      instances += max_open;
    }
    for (auto& instance : instances_) instance = {};
    for (auto& held : held_) held = 0;
    pool_memory_ = pool_memory;
    pool_.reset(table_.header().pool_pages);
    zero(0, table_.header().pool_pages);
    started_ = true;
    return Start_error::none;
  }

  Table_error table_error() const { return table_error_; }

  // One request from the client whose badge the kernel delivered.
  Reply handle(uint64_t badge, const Request& request) {
    const uint32_t client = client_of(badge);
    if (client == none) return refuse(Status::unknown_client);
    switch (static_cast<Operation>(request.operation)) {
      case Operation::open:
        return open(client, request.tunnel);
      case Operation::accept:
        return accept(client, request.tunnel);
      case Operation::close:
        return close(client, request.tunnel, request.instance);
      case Operation::ends_stopped:  // the watcher's (server.hpp), never a client's
        break;
    }
    return refuse(Status::bad_operation);
  }

  // An end stopped or restarted: closes every instance it is an end of,
  // telling the other ends. Returns how many it closed completely.
  uint32_t end_stopped(uint64_t badge) { return client_stopped(client_of(badge)); }

  // The watcher's word (docs/ipcm.md, "When an end stops"): bit i set for
  // each table client i that stopped or restarted. Returns how many
  // instances it closed completely.
  uint32_t ends_stopped(uint64_t client_bits) {
    if (!started_) return 0;
    uint32_t closed = 0;
    for (uint32_t client = 0; client < table_.client_count() && client < 64; ++client) {
      if ((client_bits >> client & 1) != 0) closed += client_stopped(client);
    }
    return closed;
  }

  // For tests and diagnostics.
  Instance_state state(uint32_t tunnel, uint32_t instance_index) const {
    return instances_[first_instance_[tunnel] + instance_index].state;
  }
  uint32_t held_by(uint64_t badge) const {
    const uint32_t client = client_of(badge);
    return client == none ? 0 : held_[client];
  }
  uint32_t free_pool_pages() const { return pool_.free_pages(); }

 private:
  static constexpr uint32_t none = UINT32_MAX;

  uint32_t client_stopped(uint32_t client) {
    if (client == none) return 0;
    uint32_t closed = 0;
    for (uint32_t t = 0; t < table_.tunnel_count(); ++t) {
      const abi::Tunnel_entry tunnel = table_.tunnel(t);
      const int end = end_of(tunnel, client);
      if (end < 0) continue;
      for (uint32_t i = 0; i < tunnel.max_open; ++i) {
        if (instance(t, i).state == Instance_state::closed) continue;
        if (tear_down(tunnel, i)) ++closed;
        ring(tunnel, 1 - end);
      }
    }
    return closed;
  }

  struct Instance {
    Instance_state state = Instance_state::closed;
    uint8_t opener = 0;  // end index that asked
    bool mapped[2] = {false, false};
    bool counted[2] = {false, false};  // counts against that end's quota
    uint32_t pool_page = 0;
    uint64_t asked = 0;  // request order, so accept takes the oldest
  };

  static Reply refuse(Status status) { return {status, 0, 0, 0}; }

  uint32_t client_of(uint64_t badge) const {
    if (!started_) return none;
    // A VM's requests come from its VMM, which holds the VM's own client
    // capability (with the VM's badge): a badge names one client, VM or
    // not, and the manager needs nothing else to act for a VM.
    for (uint32_t c = 0; c < table_.client_count(); ++c) {
      if (table_.client(c).badge == badge) return c;
    }
    return none;
  }

  static int end_of(const abi::Tunnel_entry& tunnel, uint32_t client) {
    if (tunnel.ends[0].client == client) return 0;
    if (tunnel.ends[1].client == client) return 1;
    return -1;
  }

  Instance& instance(uint32_t tunnel, uint32_t index) { return instances_[first_instance_[tunnel] + index]; }

  uint32_t window_page(const abi::Tunnel_entry& tunnel, int end, uint32_t index) const {
    return tunnel.ends[end].window_offset + index * tunnel.size_pages;
  }

  Reply granted(const abi::Tunnel_entry& tunnel, int end, uint32_t index) const {
    const abi::Tunnel_client_entry client = table_.client(tunnel.ends[end].client);
    const uint64_t page = abi::tunnel_page_size;
    return {Status::ok, client.window_address + uint64_t{window_page(tunnel, end, index)} * page,
            uint64_t{tunnel.size_pages} * page, index};
  }

  // Decoding shared by every operation: the tunnel exists and the caller is an end.
  Status find(uint32_t client, uint64_t id, abi::Tunnel_entry& tunnel, int& end) const {
    if (id >= table_.tunnel_count()) return Status::unknown_tunnel;
    tunnel = table_.tunnel(static_cast<uint32_t>(id));
    end = end_of(tunnel, client);
    return end < 0 ? Status::not_an_end : Status::ok;
  }

  Reply open(uint32_t client, uint64_t id) {
    abi::Tunnel_entry tunnel;
    int end = 0;
    if (const Status status = find(client, id, tunnel, end); status != Status::ok) return refuse(status);
    uint32_t free = none;
    for (uint32_t i = 0; i < tunnel.max_open; ++i) {
      const Instance& candidate = instance(tunnel.id, i);
      // One request waiting per end and tunnel: asking again and again
      // cannot take every instance from the other end.
      if (candidate.state == Instance_state::opening && candidate.opener == end) return refuse(Status::already_open);
      if (candidate.state == Instance_state::closed && free == none) free = i;
    }
    if (free == none) return refuse(Status::max_open_reached);
    if (held_[client] >= table_.header().max_open_per_end) return refuse(Status::quota_exceeded);
    uint32_t pool_page = 0;
    if (!pool_.allocate(tunnel.size_pages, pool_page)) return refuse(Status::pool_exhausted);
    Instance& chosen = instance(tunnel.id, free);
    chosen = {};
    chosen.pool_page = pool_page;
    if (!map(tunnel, end, free)) {
      pool_.release(pool_page, tunnel.size_pages);  // still zero: nothing was mapped
      return refuse(Status::map_failed);
    }
    chosen.state = Instance_state::opening;
    chosen.opener = static_cast<uint8_t>(end);
    chosen.asked = ++requests_;
    hold(chosen, client, end);
    ring(tunnel, 1 - end);
    return granted(tunnel, end, free);
  }

  Reply accept(uint32_t client, uint64_t id) {
    abi::Tunnel_entry tunnel;
    int end = 0;
    if (const Status status = find(client, id, tunnel, end); status != Status::ok) return refuse(status);
    uint32_t oldest = none;
    for (uint32_t i = 0; i < tunnel.max_open; ++i) {
      const Instance& candidate = instance(tunnel.id, i);
      if (candidate.state != Instance_state::opening || candidate.opener == end) continue;
      if (oldest == none || candidate.asked < instance(tunnel.id, oldest).asked) oldest = i;
    }
    if (oldest == none) return refuse(Status::nothing_to_accept);
    if (held_[client] >= table_.header().max_open_per_end) return refuse(Status::quota_exceeded);
    Instance& chosen = instance(tunnel.id, oldest);
    if (!map(tunnel, end, oldest)) {
      // Roll back: the opener loses its mapping, the pages go back zeroed.
      tear_down(tunnel, oldest);
      ring(tunnel, 1 - end);
      return refuse(Status::map_failed);
    }
    chosen.state = Instance_state::open;
    hold(chosen, client, end);
    ring(tunnel, 1 - end);
    return granted(tunnel, end, oldest);
  }

  Reply close(uint32_t client, uint64_t id, uint64_t index) {
    abi::Tunnel_entry tunnel;
    int end = 0;
    if (const Status status = find(client, id, tunnel, end); status != Status::ok) return refuse(status);
    if (index >= tunnel.max_open) return refuse(Status::not_open);
    const auto i = static_cast<uint32_t>(index);
    if (instance(tunnel.id, i).state == Instance_state::closed) return refuse(Status::not_open);
    const bool done = tear_down(tunnel, i);
    ring(tunnel, 1 - end);
    return done ? Reply{Status::ok, 0, 0, index} : refuse(Status::unmap_failed);
  }

  bool map(const abi::Tunnel_entry& tunnel, int end, uint32_t index) {
    Instance& target = instance(tunnel.id, index);
    const uint32_t client = tunnel.ends[end].client;
    const Map_call call{client,
                        table_.client(client).map_into_slot,
                        target.pool_page,
                        tunnel.size_pages,
                        window_page(tunnel, end, index),
                        tunnel.ends[end].rights};
    target.mapped[end] = kernel_.map(call);
    return target.mapped[end];
  }

  void hold(Instance& target, uint32_t client, int end) {
    ++held_[client];
    target.counted[end] = true;
  }

  // Unmaps from both ends, then zeroes and frees the pages. If the kernel
  // refuses an unmap the instance stays closing and its pages out of use
  // (an end may still see them); a later close tries again.
  bool tear_down(const abi::Tunnel_entry& tunnel, uint32_t index) {
    Instance& target = instance(tunnel.id, index);
    target.state = Instance_state::closing;
    for (int end = 0; end < 2; ++end) {
      if (target.counted[end]) {
        --held_[tunnel.ends[end].client];
        target.counted[end] = false;
      }
      if (!target.mapped[end]) continue;
      const uint32_t client = tunnel.ends[end].client;
      const Unmap_call call{client, table_.client(client).map_into_slot, window_page(tunnel, end, index),
                            tunnel.size_pages};
      if (kernel_.unmap(call)) target.mapped[end] = false;
    }
    if (target.mapped[0] || target.mapped[1]) return false;
    zero(target.pool_page, tunnel.size_pages);
    pool_.release(target.pool_page, tunnel.size_pages);
    target = {};
    return true;
  }

  void ring(const abi::Tunnel_entry& tunnel, int end) {
    const uint32_t slot = tunnel.ends[end].doorbell_slot;
    if ((tunnel.flags & abi::tunnel_doorbell) != 0 && slot != abi::tunnel_no_slot)
      kernel_.signal(slot, doorbell_from_ipcm);
  }

  // memset (the freestanding library's stores 8 bytes at a time: a byte
  // loop made zeroing 97 % of a 64 KiB tunnel's close, docs/benchmarks.md).
  // The ends read these pages through other mappings, which the compiler
  // cannot see: the empty asm that takes the pointer and clobbers memory
  // keeps the stores from being dropped as dead.
  void zero(uint32_t first_page, uint32_t pages) {
    uint8_t* bytes = pool_memory_ + size_t{first_page} * abi::tunnel_page_size;
    __builtin_memset(bytes, 0, size_t{pages} * abi::tunnel_page_size);
    asm volatile("" : : "r"(bytes) : "memory");
  }

  Kernel& kernel_;
  Tunnel_table table_;
  Table_error table_error_ = Table_error::none;
  bool started_ = false;
  uint8_t* pool_memory_ = nullptr;
  Page_pool<max_pool_pages> pool_;
  uint32_t first_instance_[max_tunnels] = {};
  Instance instances_[max_instances] = {};
  uint32_t held_[max_clients] = {};
  uint64_t requests_ = 0;
};

}  // namespace kestrel::ipcm
