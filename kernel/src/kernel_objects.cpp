// SPDX-License-Identifier: Apache-2.0
// Kernel objects: the boot-time carving of every pool from the kernel
// objects area, and the size table the image builder reads.
#include <kestrel/kernel_objects.hpp>

#include <arch/frame_layout.h>
#include <arch/page_table_format.hpp>
#include <kestrel/endpoint.hpp>
#include <kestrel/irq.hpp>
#include <kestrel/memory_map.hpp>
#include <kestrel/notification.hpp>
#include <kestrel/partition.hpp>
#include <kestrel/scheduler.hpp>
#include <kestrel/thread.hpp>

// Placement new without <new> (freestanding kernel: no library runtime).
inline void* operator new(size_t, void* place, kestrel::abi::Kernel_object) noexcept { return place; }

namespace kestrel {
namespace {

using abi::Kernel_object;

template <typename Object>
constexpr abi::Object_size size_of() {
  return {static_cast<uint32_t>(sizeof(Object)), static_cast<uint32_t>(alignof(Object))};
}

constexpr uint32_t table_page_size = static_cast<uint32_t>(arch::Stage2_regime::page_size);

// The stacks carved for secondary CPUs (CPU 0's is in .bss, smp.cpp).
uint8_t* kernel_stacks[abi::max_cpus];

template <typename Object>
Object* construct(uint8_t* area, const abi::Pool_place& pool, Kernel_object kind) {
  auto* objects = reinterpret_cast<Object*>(area + pool.offset);
  for (uint32_t i = 0; i < pool.count; ++i) new (&objects[i], kind) Object{};
  return objects;
}

}  // namespace

// Read by kestrel-image from the kernel ELF (sysimage/src/kernel_sizes.cpp);
// `used` keeps it although nothing in the kernel reads it by name.
[[gnu::used, gnu::section(".kestrel.object_sizes")]] const abi::Object_sizes kernel_object_sizes = {
    abi::object_sizes_magic,
    abi::object_sizes_version,
    abi::kernel_object_count,
    {
        {table_page_size, table_page_size},  // one level-1 table of a root (the layout aligns a root to its size)
        {table_page_size, table_page_size},
        size_of<Thread>(),
        size_of<Partition>(),
        size_of<Endpoint>(),
        size_of<Notification>(),
        size_of<Irq_binding>(),
        size_of<Scheduler::Domain_queue>(),
        size_of<uint8_t>(),
        size_of<uint16_t>(),
        {table_page_size, table_page_size},
        {KERNEL_STACK_SIZE, 16},
        size_of<uint64_t>(),
    },
};

namespace {

Carve_status check_area(uint8_t* area, uint64_t size, const abi::Kernel_objects_layout& layout) {
  if (!layout.ok) return Carve_status::bad_sizes;
  if (reinterpret_cast<uintptr_t>(area) % abi::kernel_objects_alignment != 0) return Carve_status::misaligned;
  if (layout.size != size) return Carve_status::size_mismatch;
  return Carve_status::ok;
}

}  // namespace

Carve_status carve_kernel_objects(uint8_t* area, uint64_t size, const abi::Kernel_object_counts& counts,
                                  Span<const abi::Partition_entry> partitions) {
  const abi::Kernel_objects_layout layout = abi::layout_kernel_objects(kernel_object_sizes, counts);
  if (const Carve_status status = check_area(area, size, layout); status != Carve_status::ok) return status;
  if (partitions.size() != counts.partitions) return Carve_status::size_mismatch;
  // Table pages must be zero, objects start from zero, and stack depth is
  // measured as the bytes no longer zero. The kernel's own tables are in use.
  // memset, not a loop: at -Os (this file is boot code) GCC keeps a byte
  // loop, four instructions a byte; memset stores words (the area and its
  // pools are 8-byte aligned).
  const uint64_t in_use = layout.kernel_tables.offset + layout.kernel_tables.bytes();
  if (in_use < size) __builtin_memset(area + in_use, 0, size - in_use);

  thread_pool = construct<Thread>(area, layout.threads, Kernel_object::thread);
  thread_count = layout.threads.count;
  partition_pool = construct<Partition>(area, layout.partitions, Kernel_object::partition);
  partition_count = static_cast<uint32_t>(partitions.size());
  endpoint_pool = construct<Endpoint>(area, layout.endpoints, Kernel_object::endpoint);
  endpoint_capacity = layout.endpoints.count;
  notification_pool = construct<Notification>(area, layout.notifications, Kernel_object::notification);
  notification_count = layout.notifications.count;
  irq_pool = construct<Irq_binding>(area, layout.irqs, Kernel_object::irq);
  irq_capacity = layout.irqs.count;
  map_window_bitmap = reinterpret_cast<uint64_t*>(area + layout.map_bitmap.offset);

  // Each partition's stage-2 memory: its root, then its own run of pages.
  uint64_t next_page = 0;
  for (uint32_t p = 0; p < partitions.size(); ++p) {
    Partition& partition = partition_pool[p];
    partition.table_root = area + layout.table_roots.offset + uint64_t{p} * layout.table_roots.size;
    partition.table_pages = area + layout.table_pages.offset + next_page * table_page_size;
    partition.table_page_count = partitions[p].table_pages;
    next_page += partitions[p].table_pages;
  }

  for (uint8_t*& stack : kernel_stacks) stack = nullptr;
  for (uint32_t cpu = 0; cpu < counts.cpus; ++cpu) {
    const abi::Cpu_pools& pools = layout.cpus[cpu];
    Scheduler::Memory memory{};
    memory.domains = construct<Scheduler::Domain_queue>(area, pools.domains, Kernel_object::ready_queue);
    memory.domain_count = pools.domains.count;
    memory.domain_map = area + pools.domain_map.offset;
    memory.map_size = pools.domain_map.count;
    memory.refill_slots = reinterpret_cast<uint16_t*>(area + pools.refill_slots.offset);
    memory.wakeup_slots = reinterpret_cast<uint16_t*>(area + pools.wakeup_slots.offset);
    memory.heap_capacity = pools.refill_slots.count;
    cpu_scheduler(cpu).give_memory(memory);
    kernel_stacks[cpu] = pools.stack.count != 0 ? area + pools.stack.offset : nullptr;
  }
  return Carve_status::ok;
}

Carve_status take_kernel_table_pages(uint8_t* area, const Boot_info& info, Kernel_table_pages& taken) {
  // The first pool (abi::layout_kernel_objects), inside the area (boot-info's
  // reader checks); carving checks the rest of the layout.
  if (reinterpret_cast<uintptr_t>(area) % abi::kernel_objects_alignment != 0) return Carve_status::misaligned;
  taken.pages = area;
  taken.count = info.kernel_memory()[0].kernel_table_pages;
  __builtin_memset(taken.pages, 0, uint64_t{taken.count} * table_page_size);  // words, as above
  return Carve_status::ok;
}

uint8_t* carved_kernel_stack(unsigned cpu) { return cpu < abi::max_cpus ? kernel_stacks[cpu] : nullptr; }

Carve_status carve_kernel_objects(uint8_t* area, const Boot_info& info) {
  const abi::Kernel_memory_entry& entry = info.kernel_memory()[0];
  return carve_kernel_objects(area, entry.size, kernel_object_counts(info), info.partitions());
}

const char* to_string(Carve_status status) {
  switch (status) {
    case Carve_status::ok:
      return "ok";
    case Carve_status::bad_sizes:
      return "the kernel's object size table is malformed";
    case Carve_status::size_mismatch:
      return "the kernel objects area is not the size this kernel's objects need";
    case Carve_status::misaligned:
      return "the kernel objects area is misaligned";
  }
  return "unknown";
}

}  // namespace kestrel
