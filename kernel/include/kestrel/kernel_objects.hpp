// SPDX-License-Identifier: Apache-2.0
// Kernel objects: the pools the kernel carves at boot from the kernel
// objects area its image reserved (abi/kernel_memory.hpp), sized for the
// system's counts. A bump allocator used once, during boot: afterwards
// nothing is allocated, and the pools are indexed through the pointers set
// here (thread_pool, endpoint_pool, ...), with their counts for bounds.
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/abi/kernel_memory.hpp>
#include <kestrel/boot_info.hpp>

namespace kestrel {

// What each of the kernel's objects costs, as this kernel was compiled;
// also in its ELF's .kestrel.object_sizes section for the image builder.
extern const abi::Object_sizes kernel_object_sizes;

// The counts of a checked boot-info, as the image builder counts them from
// the policy.
[[nodiscard]] abi::Kernel_object_counts kernel_object_counts(const Boot_info& info);

enum class Carve_status : uint8_t {
  ok,
  bad_sizes,      // the kernel's own size table is malformed (a build problem)
  size_mismatch,  // the area is not exactly what the counts need
  misaligned,     // the area does not start on abi::kernel_objects_alignment
};

[[nodiscard]] const char* to_string(Carve_status status);

// Zeroes [area, area + size) but the kernel's table pages (its first pool)
// and carves every pool from it for `counts`: threads, partitions (with each one's stage-2 root and its entry's
// table_pages below it; `partitions` has counts.partitions entries),
// endpoints, notifications, IRQs and each CPU's scheduler memory and
// kernel stack. Nothing is
// touched unless the area's address and size are exactly what the layout
// needs. Pools of a kind the system has none of still get one object, so
// index 0 (what a bad index falls back to) always exists.
[[nodiscard]] Carve_status carve_kernel_objects(uint8_t* area, uint64_t size, const abi::Kernel_object_counts& counts,
                                                Span<const abi::Partition_entry> partitions);

// The same for a checked boot-info and the area it names (which the caller
// has mapped at `area`).
[[nodiscard]] Carve_status carve_kernel_objects(uint8_t* area, const Boot_info& info);

// The area's first pool: the pages of the kernel's own map, which it builds
// with its MMU off before anything is carved, and which carving leaves
// alone. Checked like carving (the same statuses); zeroed here.
struct Kernel_table_pages {
  uint8_t* pages = nullptr;
  uint32_t count = 0;
};
[[nodiscard]] Carve_status take_kernel_table_pages(uint8_t* area, const Boot_info& info, Kernel_table_pages& taken);

// After carving: the kernel stack (KERNEL_STACK_SIZE bytes, zero) of each
// secondary CPU the system runs threads on; nullptr for the others.
[[nodiscard]] uint8_t* carved_kernel_stack(unsigned cpu);

}  // namespace kestrel
