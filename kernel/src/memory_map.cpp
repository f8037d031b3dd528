// SPDX-License-Identifier: Apache-2.0
// Memory map: decoding and invoking memory_map and memory_unmap. Compiled
// for size: the IPCM calls them when a tunnel opens or closes, not on any
// message path.
#include <kestrel/arch.hpp>
#include <kestrel/memory_map.hpp>

namespace kestrel {

uint64_t* map_window_bitmap = nullptr;

namespace {

using abi::Status;

constexpr uint64_t page_size = 4096;

Span<const abi::Memory_pool_entry> pools;
Span<const abi::Map_window_entry> windows;

// The capability in `slot` if it is of `kind` with the control right; else
// why not, in `status`.
const abi::Capability_entry* capability_of(const Partition& caller, syscall::Capability_slot slot,
                                           abi::Capability_kind kind, Status& status) {
  const abi::Capability_entry* capability = caller.capability(slot.index);
  status = capability == nullptr                             ? Status::invalid_capability
           : capability->kind != static_cast<uint32_t>(kind) ? Status::wrong_capability_type
           : (capability->rights & abi::right_control) == 0  ? Status::missing_right
                                                             : Status::ok;
  return status == Status::ok ? capability : nullptr;
}

// [first, first + count) lies inside [0, size), without overflow.
constexpr bool pages_inside(uint64_t first, uint64_t count, uint64_t size) {
  return first < size && count <= size - first;
}

// The first bitmap word of window `index` (boot-info's check makes
// first_bitmap_word the sum of the words of the windows before it).
uint64_t* bits_of(uint32_t index) { return map_window_bitmap + windows[index].first_bitmap_word; }

// Whether every page of [first, first + count) of the window is `mapped`.
bool all_pages(uint32_t window, uint64_t first, uint64_t count, bool mapped) {
  const uint64_t* bits = bits_of(window);
  for (uint64_t page = first; page < first + count; ++page) {
    if (((bits[page / 64] >> (page % 64)) & 1) != (mapped ? 1U : 0U)) return false;
  }
  return true;
}

void mark_pages(uint32_t window, uint64_t first, uint64_t count, bool mapped) {
  uint64_t* bits = bits_of(window);
  for (uint64_t page = first; page < first + count; ++page) {
    const uint64_t bit = uint64_t{1} << (page % 64);
    bits[page / 64] = mapped ? bits[page / 64] | bit : bits[page / 64] & ~bit;
  }
}

// The window a map_into capability names, with the range checks both
// calls share: a non-empty range inside the window, of a target whose
// address space (and so the window's tables) was built at boot.
struct Window_use {
  Status status;
  uint32_t window;
  Partition* target;
};

Window_use decode_window(const Partition& caller, syscall::Capability_slot slot, uint64_t first, uint64_t count) {
  Status status = Status::ok;
  const abi::Capability_entry* capability = capability_of(caller, slot, abi::Capability_kind::map_into, status);
  if (capability == nullptr) return {status, 0, nullptr};
  const abi::Map_window_entry& window = windows[capability->object];
  Partition& target = partition_pool[window.partition];
  if (count == 0 || !pages_inside(first, count, window.pages) || target.translation_root == 0) {
    return {Status::invalid_argument, 0, nullptr};
  }
  return {Status::ok, capability->object, &target};
}

}  // namespace

void keep_memory_map_tables(const Boot_info& info) {
  pools = info.memory_pools();
  windows = info.map_windows();
}

Decoded<Memory_map> decode_memory_map(const Partition& caller, const syscall::Memory_map_arguments& arguments) {
  using D = Decoded<Memory_map>;
  Status status = Status::ok;
  const abi::Capability_entry* pool_capability =
      capability_of(caller, arguments.pool, abi::Capability_kind::memory_pool, status);
  if (pool_capability == nullptr) return D::failed(status);
  const Window_use use = decode_window(caller, arguments.window, arguments.window_page, arguments.pages);
  if (use.status != Status::ok) return D::failed(use.status);
  const abi::Memory_pool_entry& pool = pools[pool_capability->object];
  const abi::Map_window_entry& window = windows[use.window];
  if (!pages_inside(arguments.pool_page, arguments.pages, pool.pages)) return D::failed(Status::invalid_argument);
  if (arguments.rights != abi::map_read && arguments.rights != (abi::map_read | abi::map_write)) {
    return D::failed(Status::invalid_argument);
  }
  if ((arguments.rights & ~uint64_t{window.max_rights}) != 0) return D::failed(Status::missing_right);
  if (!all_pages(use.window, arguments.window_page, arguments.pages, false)) {
    return D::failed(Status::invalid_argument);
  }
  return D::ok({use.target, use.window, arguments.window_page, arguments.pages,
                window.ipa + arguments.window_page * page_size, pool.pa + arguments.pool_page * page_size,
                (arguments.rights & abi::map_write) != 0});
}

Decoded<Memory_unmap> decode_memory_unmap(const Partition& caller, const syscall::Memory_unmap_arguments& arguments) {
  using D = Decoded<Memory_unmap>;
  const Window_use use = decode_window(caller, arguments.window, arguments.window_page, arguments.pages);
  if (use.status != Status::ok) return D::failed(use.status);
  if (!all_pages(use.window, arguments.window_page, arguments.pages, true)) return D::failed(Status::invalid_argument);
  return D::ok({use.target, use.window, arguments.window_page, arguments.pages,
                windows[use.window].ipa + arguments.window_page * page_size});
}

Result invoke_memory_map(const Memory_map& call) {
  arch::map_window_pages(*call.target, call.ipa, call.pa, call.pages, call.writable);
  mark_pages(call.window, call.window_page, call.pages, true);
  return Result::done();
}

Result invoke_memory_unmap(const Memory_unmap& call) {
  arch::unmap_window_pages(*call.target, call.ipa, call.pages);
  mark_pages(call.window, call.window_page, call.pages, false);
  return Result::done();
}

}  // namespace kestrel
