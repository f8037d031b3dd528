// SPDX-License-Identifier: Apache-2.0
// Kernel calls: the memory_map and memory_unmap system calls (18 and 19,
// docs/ipcm.md "The kernel interface the IPCM needs") until the runtime has
// its own wrappers; replace with the runtime's wrappers
// (kestrel::memory_map / kestrel::memory_unmap in kestrel/syscall.hpp) once
// the kernel step is merged. Kept in their own namespace so that both can
// exist side by side meanwhile.
#pragma once

#include <cstdint>

#include <kestrel/syscall.hpp>

namespace kestrel::ipcm::kernel_calls {

inline constexpr auto memory_map_call = static_cast<abi::Syscall>(18);
inline constexpr auto memory_unmap_call = static_cast<abi::Syscall>(19);

// Maps pool pages [pool_page, +pages) of the pool capability `pool_slot`
// into the partition of the "map into" capability `map_into_slot`, at
// `window_page` pages into its window, with abi::Tunnel_rights `rights`.
inline abi::Status memory_map(uint64_t pool_slot, uint64_t pool_page, uint64_t pages, uint64_t map_into_slot,
                              uint64_t window_page, uint64_t rights) {
  return syscall(memory_map_call, pool_slot, pool_page, pages, map_into_slot, window_page, rights).status;
}

// Unmaps those pages again; returns once no CPU's TLB holds them.
inline abi::Status memory_unmap(uint64_t map_into_slot, uint64_t window_page, uint64_t pages) {
  return syscall(memory_unmap_call, map_into_slot, window_page, pages).status;
}

}  // namespace kestrel::ipcm::kernel_calls
