// SPDX-License-Identifier: Apache-2.0
// Table pool: the memory the kernel's page tables come from.
#pragma once

#include <cstddef>
#include <cstdint>

#include <arch/page_table_format.hpp>
#include <kestrel/page_table.hpp>

namespace kestrel {

// Table pages in the kernel's own memory, which its EL2 stage 1 maps one to
// one (and which is physical memory with the MMU off), so a page's address
// is its physical address. The pool is in .bss, zero at boot, and pages are
// never reused, so they need no clearing: all page tables are built at boot.
template <size_t Pages>
class Static_table_pool {
 public:
  Table_pages allocate_pages(size_t count) {
    if (count == 0) return {false, Paddr{}};
    const size_t first = (next_ + count - 1) / count * count;  // aligned to the pages' total size
    if (first + count > Pages) return {false, Paddr{}};
    next_ = first + count;
    return {true, Paddr{reinterpret_cast<uintptr_t>(&pages_[first])}};
  }

  // Single pages are never skipped for alignment, so this is exact.
  size_t free_pages() const { return Pages - next_; }

  // Volatile: one 64-bit access each, which the compiler may not split or merge.
  uint64_t read_descriptor(Paddr address) const { return *reinterpret_cast<const volatile uint64_t*>(address.value()); }
  void write_descriptor(Paddr address, uint64_t value) {
    *reinterpret_cast<volatile uint64_t*>(address.value()) = value;
  }

 private:
  struct Page {
    uint64_t entries[arch::vmsa::entries_per_table];
  };

  alignas(arch::table_pool_alignment) Page pages_[Pages];
  size_t next_ = 0;
};

// One partition's stage-2 table memory, carved at boot (kernel_objects.cpp):
// its root (`root_pages` contiguous pages, aligned to their size), handed
// out by the first allocation, then `page_count` single pages. Zero at boot
// and never reused, like Static_table_pool's.
class Table_slice {
 public:
  Table_slice(uint8_t* root, size_t root_pages, uint8_t* pages, size_t page_count)
      : root_{root}, root_pages_{root_pages}, pages_{pages}, page_count_{page_count} {}

  Table_pages allocate_pages(size_t count) {
    if (root_ != nullptr) {
      if (count != root_pages_) return {false, Paddr{}};
      const Paddr root{reinterpret_cast<uintptr_t>(root_)};
      root_ = nullptr;
      return {true, root};
    }
    if (count != 1 || next_ == page_count_) return {false, Paddr{}};
    return {true, Paddr{reinterpret_cast<uintptr_t>(pages_ + page_size * next_++)}};
  }

  size_t free_pages() const { return page_count_ - next_; }

  uint64_t read_descriptor(Paddr address) const { return *reinterpret_cast<const volatile uint64_t*>(address.value()); }
  void write_descriptor(Paddr address, uint64_t value) {
    *reinterpret_cast<volatile uint64_t*>(address.value()) = value;
  }

 private:
  static constexpr size_t page_size = arch::vmsa::entries_per_table * sizeof(uint64_t);
  uint8_t* root_;
  size_t root_pages_;
  uint8_t* pages_;
  size_t page_count_;
  size_t next_ = 0;
};

}  // namespace kestrel
