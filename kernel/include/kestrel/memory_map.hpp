// SPDX-License-Identifier: Apache-2.0
// Memory map: memory_map and memory_unmap, the IPCM's one kernel mechanism
// (docs/ipcm.md): pool pages mapped into, and unmapped from, another
// partition's map window, as a memory_pool and a map_into capability allow.
//
// The kernel never reads the tunnel table: it checks capabilities, ranges
// and rights, and remembers per window page whether memory_map mapped it
// (a bitmap carved from the kernel objects area), so that memory_unmap
// removes only what memory_map added. Every window's stage-2 tables were
// built at boot (arch::build_address_space), so neither call allocates.
#pragma once

#include <cstdint>

#include <kestrel/abi/boot_info.hpp>
#include <kestrel/boot_info.hpp>
#include <kestrel/partition.hpp>
#include <kestrel/result.hpp>
#include <kestrel/syscall_arguments.hpp>

namespace kestrel {

// The windows' bits, window after window in boot-info order, each
// abi::map_bitmap_words(window) words (kernel_objects.cpp carves them, zero).
extern uint64_t* map_window_bitmap;

// At boot, once boot-info is checked: where its pools and windows are.
void keep_memory_map_tables(const Boot_info& info);

// Checked operands of memory_map.
struct Memory_map {
  Partition* target;
  uint32_t window;  // index into boot-info's map windows
  uint64_t window_page;
  uint64_t pages;
  uint64_t ipa;  // of the first window page
  uint64_t pa;   // of the first pool page
  bool writable;
};

// Checked operands of memory_unmap.
struct Memory_unmap {
  Partition* target;
  uint32_t window;
  uint64_t window_page;
  uint64_t pages;
  uint64_t ipa;
};

// Decode (no side effects): the capabilities' kinds and rights, the ranges
// inside the pool and the window, the rights within the window's, and every
// window page unmapped (map) or mapped by memory_map (unmap).
Decoded<Memory_map> decode_memory_map(const Partition& caller, const syscall::Memory_map_arguments& arguments);
Decoded<Memory_unmap> decode_memory_unmap(const Partition& caller, const syscall::Memory_unmap_arguments& arguments);

// Invoke (cannot fail): writes, or clears and invalidates on every CPU, the
// target's stage-2 entries and marks the window's bits.
Result invoke_memory_map(const Memory_map& call);
Result invoke_memory_unmap(const Memory_unmap& call);

}  // namespace kestrel
