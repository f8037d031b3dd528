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

}  // namespace kestrel
