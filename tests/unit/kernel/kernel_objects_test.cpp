// SPDX-License-Identifier: Apache-2.0
// Kernel objects: carving every pool from the kernel objects area, exactly
// as kernel_main does at boot, and refusing an area that does not fit.
#include <arch/frame_layout.h>
#include <gtest/gtest.h>

#include <vector>

#include <kestrel/endpoint.hpp>
#include <kestrel/kernel_objects.hpp>
#include <kestrel/partition.hpp>
#include <kestrel/scheduler.hpp>
#include <kestrel/table_pool.hpp>
#include <kestrel/thread.hpp>

namespace {

using namespace kestrel;

// A host buffer with room for an area of `size` bytes at the alignment the
// kernel asks for, filled with a pattern the carving must zero.
class Area {
 public:
  explicit Area(uint64_t size) : bytes_(size + 2 * kestrel::abi::kernel_objects_alignment, 0xa5) {}
  uint8_t* start() {
    const auto address = reinterpret_cast<uintptr_t>(bytes_.data());
    return bytes_.data() + (kestrel::abi::kernel_objects_alignment - address % kestrel::abi::kernel_objects_alignment);
  }
  bool untouched() const {
    for (uint8_t byte : bytes_)
      if (byte != 0xa5) return false;
    return true;
  }

 private:
  std::vector<uint8_t> bytes_;
};

kestrel::abi::Kernel_object_counts two_partitions() {
  kestrel::abi::Kernel_object_counts counts{};
  counts.partitions = 2;
  counts.table_pages = 5;
  counts.threads = 3;
  counts.endpoints = 1;
  counts.cpus = 2;
  counts.threads_of_cpu[0] = 2;
  counts.threads_of_cpu[1] = 1;
  counts.windows_of_cpu[0] = 2;
  counts.stage2_root_tables = 2;  // a 40-bit IPA
  counts.kernel_table_pages = 6;
  counts.stack_of_cpu[1] = true;
  return counts;
}

std::vector<kestrel::abi::Partition_entry> partition_entries() {
  std::vector<kestrel::abi::Partition_entry> entries(2, kestrel::abi::Partition_entry{});
  entries[0].table_pages = 3;
  entries[1].table_pages = 2;
  return entries;
}

TEST(KernelObjects, CarvesEveryPoolInsideTheAreaAndZeroesIt) {
  const auto counts = two_partitions();
  const auto layout = kestrel::abi::layout_kernel_objects(kernel_object_sizes, counts);
  ASSERT_TRUE(layout.ok);
  Area area(layout.size);
  const auto entries = partition_entries();
  ASSERT_EQ(carve_kernel_objects(area.start(), layout.size, counts, {entries.data(), entries.size()}),
            Carve_status::ok);
  uint8_t* const begin = area.start();
  uint8_t* const end = begin + layout.size;
  auto inside = [&](const void* pointer, uint64_t bytes) {
    const auto* p = static_cast<const uint8_t*>(pointer);
    return p >= begin && p + bytes <= end;
  };
  EXPECT_EQ(thread_count, 3u);
  EXPECT_TRUE(inside(thread_pool, 3 * sizeof(Thread)));
  EXPECT_EQ(partition_count, 2u);
  EXPECT_TRUE(inside(partition_pool, 2 * sizeof(Partition)));
  EXPECT_EQ(endpoint_capacity, 1u);
  EXPECT_TRUE(inside(endpoint_pool, sizeof(Endpoint)));
  EXPECT_EQ(&thread_object(3), &thread_object(0)) << "an index past the carved pool falls back to 0";
  // The other CPU's stack, zeroed (stack depth is measured against zero).
  EXPECT_EQ(carved_kernel_stack(0), nullptr) << "CPU 0 boots on its own";
  ASSERT_NE(carved_kernel_stack(1), nullptr);
  EXPECT_TRUE(inside(carved_kernel_stack(1), KERNEL_STACK_SIZE));
  for (uint32_t i = 0; i < KERNEL_STACK_SIZE; ++i) ASSERT_EQ(carved_kernel_stack(1)[i], 0) << i;
  // The kernel's own tables are first, and carving leaves them as they are
  // (in use: the kernel built its map there before).
  EXPECT_EQ(layout.kernel_tables.offset, 0u);
  EXPECT_EQ(layout.kernel_tables.bytes(), 6u * 4096);
  for (uint64_t i = 0; i < layout.kernel_tables.bytes(); ++i) ASSERT_EQ(begin[i], 0xa5) << i;
  // Each partition's own root (aligned to its size) and run of pages.
  EXPECT_EQ(reinterpret_cast<uintptr_t>(partition_pool[0].table_root) % 8192, 0u);
  EXPECT_EQ(partition_pool[1].table_root, partition_pool[0].table_root + 8192);
  EXPECT_EQ(partition_pool[0].table_page_count, 3u);
  EXPECT_EQ(partition_pool[1].table_pages, partition_pool[0].table_pages + 3 * 4096);
  EXPECT_TRUE(inside(partition_pool[1].table_pages, 2 * 4096));
  for (const uint8_t* byte = begin + layout.table_roots.offset; byte < begin + layout.threads.offset; ++byte) {
    ASSERT_EQ(*byte, 0) << "table pages must be zero";
  }
  // Each partition's table memory gives its root, then exactly its pages.
  Table_slice slice{partition_pool[1].table_root, 2, partition_pool[1].table_pages, 2};
  EXPECT_FALSE(slice.allocate_pages(1).ok) << "the root comes first";
  EXPECT_TRUE(slice.allocate_pages(2).ok);
  EXPECT_TRUE(slice.allocate_pages(1).ok);
  EXPECT_TRUE(slice.allocate_pages(1).ok);
  EXPECT_EQ(slice.free_pages(), 0u);
  EXPECT_FALSE(slice.allocate_pages(1).ok) << "never a page of the next partition";
}

TEST(KernelObjects, RefusesAnAreaOfAnotherSizeWithoutTouchingIt) {
  const auto counts = two_partitions();
  const auto layout = kestrel::abi::layout_kernel_objects(kernel_object_sizes, counts);
  Area area(layout.size + 64);
  const auto entries = partition_entries();
  EXPECT_EQ(carve_kernel_objects(area.start(), layout.size + 64, counts, {entries.data(), entries.size()}),
            Carve_status::size_mismatch);
  EXPECT_EQ(carve_kernel_objects(area.start(), layout.size - 1, counts, {entries.data(), entries.size()}),
            Carve_status::size_mismatch);
  EXPECT_EQ(carve_kernel_objects(area.start(), layout.size, counts, {entries.data(), 1}), Carve_status::size_mismatch)
      << "one partition entry for two partitions";
  EXPECT_EQ(carve_kernel_objects(area.start() + 4096, layout.size, counts, {entries.data(), entries.size()}),
            Carve_status::misaligned);
  EXPECT_TRUE(area.untouched());
}

TEST(KernelObjects, TheSizeTableDescribesThisKernel) {
  EXPECT_EQ(kernel_object_sizes.magic, kestrel::abi::object_sizes_magic);
  EXPECT_EQ(kernel_object_sizes.of(kestrel::abi::Kernel_object::thread).size, sizeof(Thread));
  EXPECT_EQ(kernel_object_sizes.of(kestrel::abi::Kernel_object::partition).size, sizeof(Partition));
  EXPECT_EQ(kernel_object_sizes.of(kestrel::abi::Kernel_object::table_root).size, 4096u) << "one level-1 table";
  EXPECT_EQ(kernel_object_sizes.of(kestrel::abi::Kernel_object::kernel_table).size, 4096u);
  EXPECT_EQ(kernel_object_sizes.of(kestrel::abi::Kernel_object::kernel_stack).size, uint32_t{KERNEL_STACK_SIZE});
}

// A 39-bit IPA: roots of one page each, aligned to a page.
TEST(KernelObjects, ThirtyNineBitRootsTakeOnePage) {
  auto counts = two_partitions();
  counts.stage2_root_tables = 1;
  const auto layout = kestrel::abi::layout_kernel_objects(kernel_object_sizes, counts);
  ASSERT_TRUE(layout.ok);
  EXPECT_EQ(layout.table_roots.bytes(), 2u * 4096);
  Area area(layout.size);
  const auto entries = partition_entries();
  ASSERT_EQ(carve_kernel_objects(area.start(), layout.size, counts, {entries.data(), entries.size()}),
            Carve_status::ok);
  EXPECT_EQ(partition_pool[1].table_root, partition_pool[0].table_root + 4096);
  EXPECT_LT(layout.size, kestrel::abi::layout_kernel_objects(kernel_object_sizes, two_partitions()).size);
}

}  // namespace
