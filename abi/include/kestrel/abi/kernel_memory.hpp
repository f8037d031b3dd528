// SPDX-License-Identifier: Apache-2.0
// Kernel memory: the one area an image reserves for its system's kernel
// objects, and how the kernel lays its pools out in it.
//
// The kernel has no heap and no pools sized by compile-time maxima. At boot
// it carves every pool from one "kernel objects" area that the image
// builder (kestrel-image) reserved right after boot-info, sized exactly for
// the system: the builder knows every count from the compiled policy, and it
// learns what each object costs from the kernel ELF itself (the
// .kestrel.object_sizes section: an Object_sizes the kernel writes from
// sizeof and alignof), so host and kernel never disagree about a size. Both
// lay the area out with layout_kernel_objects() below; the kernel refuses an
// area whose size is not exactly what its own sizes give.
//
// Freestanding and constexpr: built into the kernel and into host tools.
#pragma once

#include <cstdint>

#include <kestrel/abi/limits.hpp>

namespace kestrel::abi {

// What the kernel carves, one pool each (the per-CPU ones once per CPU).
enum class Kernel_object : uint32_t {
  table_root,       // one level-1 table of a partition's stage-2 root (stage2_root_tables of them per partition)
  table_page,       // a stage-2 table page below a root (Partition_entry::table_pages)
  thread,           // native thread or vCPU
  partition,        //
  endpoint,         //
  notification,     //
  irq,              // an interrupt bound to a notification
  ready_queue,      // one scheduling domain of one CPU (one per window of its plan, and one more)
  domain_slot,      // a partition's entry in a planned CPU's map of domains
  timer_slot,       // one thread's slot in one of a CPU's two timer heaps
  kernel_table,     // a page of the kernel's own EL2 stage-1 map (Kernel_object_counts::kernel_table_pages)
  kernel_stack,     // the kernel stack of a secondary CPU the system runs threads on
  map_bitmap_word,  // 64 map-window pages' "mapped by memory_map" bits (Kernel_object_counts::map_bitmap_words)
  count
};
inline constexpr uint32_t kernel_object_count = static_cast<uint32_t>(Kernel_object::count);

struct Object_size {
  uint32_t size;       // bytes of one object
  uint32_t alignment;  // a power of two
};

// The kernel ELF's .kestrel.object_sizes section holds exactly one.
inline constexpr uint64_t object_sizes_magic = 0x534a'424f'4c54'534bULL;  // "KSTLOBJS" in memory
inline constexpr uint32_t object_sizes_version = 3;                       // 3: map windows' bitmap
struct Object_sizes {
  uint64_t magic;
  uint32_t version;
  uint32_t count;  // kernel_object_count
  Object_size objects[kernel_object_count];

  constexpr const Object_size& of(Kernel_object kind) const { return objects[static_cast<uint32_t>(kind)]; }
};
static_assert(sizeof(Object_sizes) == 16 + 8 * kernel_object_count);

// The area's start is aligned to this (which every object's alignment divides).
inline constexpr uint64_t kernel_objects_alignment = 0x10000;

// What one system needs: the builder counts it from the policy, the kernel
// from boot-info (kernel_object_counts in the boot-info reader).
struct Kernel_object_counts {
  uint32_t partitions = 0;
  uint32_t table_pages = 0;         // every partition's Partition_entry::table_pages together
  uint32_t stage2_root_tables = 1;  // concatenated level-1 tables per root: 1 for a 39-bit IPA, 2 for 40
  uint32_t kernel_table_pages = 0;  // the kernel's own map of itself, RAM and devices
  uint32_t threads = 0;
  uint32_t endpoints = 0;
  uint32_t notifications = 0;
  uint32_t irqs = 0;
  uint32_t map_bitmap_words = 0;           // each map window's pages, rounded up to 64, / 64
  uint32_t cpus = 0;                       // the platform's
  uint32_t threads_of_cpu[max_cpus] = {};  // pinned to it: its timer heaps' capacity
  uint32_t windows_of_cpu[max_cpus] = {};  // of its plan: 0 without one
  bool exclusive_cpu[max_cpus] = {};       // one domain, no map of domains
  bool stack_of_cpu[max_cpus] = {};        // a secondary CPU that runs threads: started, on a stack from here
};

// Where one pool lies in the area: `count` objects of `size` bytes from
// `offset`.
struct Pool_place {
  uint64_t offset = 0;
  uint32_t count = 0;
  uint32_t size = 0;
  constexpr uint64_t bytes() const { return uint64_t{count} * size; }
};

struct Cpu_pools {
  Pool_place domains;       // ready queues
  Pool_place domain_map;    // one byte per partition (planned, non-exclusive CPUs only)
  Pool_place refill_slots;  // the heap of spent budgets
  Pool_place wakeup_slots;  // the heap of sleeping vCPUs' deadlines
  Pool_place stack;         // its kernel stack (none for CPU 0, which boots on one in .bss, or an unused CPU)
};

struct Kernel_objects_layout {
  bool ok = false;  // sizes malformed (zero, alignment not a power of two or above the area's)
  // kernel_tables first, at offset 0: the kernel builds its map there with
  // the MMU off, before it zeroes and carves the rest.
  Pool_place kernel_tables, table_roots, table_pages, threads, partitions, endpoints, notifications, irqs, map_bitmap;
  Cpu_pools cpus[max_cpus];
  uint64_t size = 0;  // the whole area, from its aligned start to the last pool's end
};

// A CPU's scheduling domains: one per window of its plan and one for the
// partitions the plan never names; one alone without a plan or on an
// exclusive CPU.
constexpr uint32_t domains_of_cpu(const Kernel_object_counts& counts, uint32_t cpu) {
  return counts.windows_of_cpu[cpu] == 0 || counts.exclusive_cpu[cpu] ? 1 : counts.windows_of_cpu[cpu] + 1;
}

// The pools in a fixed order, each at the next multiple of its alignment.
// Counts come from a checked boot-info or policy (far below 2^32 objects),
// so the 64-bit sums cannot overflow.
constexpr Kernel_objects_layout layout_kernel_objects(const Object_sizes& sizes, const Kernel_object_counts& counts) {
  Kernel_objects_layout layout{};
  if (sizes.magic != object_sizes_magic || sizes.version != object_sizes_version ||
      sizes.count != kernel_object_count || counts.cpus > max_cpus || counts.stage2_root_tables == 0 ||
      counts.stage2_root_tables > 16)
    return layout;
  for (const Object_size& object : sizes.objects) {
    if (object.size == 0 || object.alignment == 0 || (object.alignment & (object.alignment - 1)) != 0 ||
        object.alignment > kernel_objects_alignment || object.size % object.alignment != 0)
      return layout;
  }
  uint64_t end = 0;
  // `grouped` objects at a time: a root of concatenated tables is aligned to its whole size.
  auto place = [&](Kernel_object kind, uint32_t count, uint32_t grouped = 1) {
    const Object_size& object = sizes.of(kind);
    const uint64_t alignment = uint64_t{object.alignment} * grouped;
    Pool_place pool{};
    if (count == 0) return pool;
    pool.offset = (end + alignment - 1) & ~(alignment - 1);
    pool.count = count;
    pool.size = object.size * grouped;
    end = pool.offset + pool.bytes();
    return pool;
  };
  // At least one of each object, so index 0 (what the kernel falls back
  // to for an index out of range) always exists.
  auto at_least_one = [](uint32_t count) { return count == 0 ? 1U : count; };
  layout.kernel_tables = place(Kernel_object::kernel_table, counts.kernel_table_pages);
  layout.table_roots = place(Kernel_object::table_root, counts.partitions, counts.stage2_root_tables);
  layout.table_pages = place(Kernel_object::table_page, counts.table_pages);
  layout.threads = place(Kernel_object::thread, at_least_one(counts.threads));
  layout.partitions = place(Kernel_object::partition, at_least_one(counts.partitions));
  layout.endpoints = place(Kernel_object::endpoint, at_least_one(counts.endpoints));
  layout.notifications = place(Kernel_object::notification, at_least_one(counts.notifications));
  layout.irqs = place(Kernel_object::irq, at_least_one(counts.irqs));
  layout.map_bitmap = place(Kernel_object::map_bitmap_word, counts.map_bitmap_words);
  for (uint32_t cpu = 0; cpu < counts.cpus; ++cpu) {
    Cpu_pools& pools = layout.cpus[cpu];
    pools.domains = place(Kernel_object::ready_queue, domains_of_cpu(counts, cpu));
    const bool mapped = counts.windows_of_cpu[cpu] != 0 && !counts.exclusive_cpu[cpu];
    pools.domain_map = place(Kernel_object::domain_slot, mapped ? counts.partitions : 0);
    pools.refill_slots = place(Kernel_object::timer_slot, counts.threads_of_cpu[cpu]);
    pools.wakeup_slots = place(Kernel_object::timer_slot, counts.threads_of_cpu[cpu]);
    pools.stack = place(Kernel_object::kernel_stack, counts.stack_of_cpu[cpu] ? 1 : 0);
  }
  layout.size = end;
  layout.ok = true;
  return layout;
}

}  // namespace kestrel::abi
