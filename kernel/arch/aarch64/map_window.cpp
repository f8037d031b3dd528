// SPDX-License-Identifier: Apache-2.0
// Map window: memory_map's and memory_unmap's stage-2 writes, and the TLB
// maintenance that makes an unmap final on every CPU (docs/kernel.md,
// "Unmapping").
#include <arch/page_table_format.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/partition.hpp>
#include <kestrel/table_pool.hpp>

namespace kestrel::arch {
namespace {

using Table = Stage2_table<Table_slice>;

// The last-level entry of `ipa` in `target`'s tables (a window's, all built
// at boot, so it exists). Reads go through Table_slice's volatile accesses;
// it allocates nothing here.
Paddr entry_of(const Partition& target, uint64_t ipa) {
  const Table_slice tables{nullptr, 0, nullptr, 0};
  return Table::last_level_entry(tables, Paddr{target.translation_root}, Ipa{ipa});
}

void write_entry(Paddr entry, uint64_t descriptor) {
  *reinterpret_cast<volatile uint64_t*>(entry.value()) = descriptor;
}

}  // namespace

void map_window_pages(Partition& target, uint64_t ipa, uint64_t pa, uint64_t pages, bool writable) {
  const Attributes attributes{writable ? Access::read_write : Access::read_only, false, Memory_type::normal_write_back};
  const uint64_t leaf_attributes = Stage2_regime::leaf_attributes(attributes);
  for (uint64_t page = 0; page < pages; ++page) {
    const uint64_t offset = page * vmsa::page_size;
    write_entry(entry_of(target, ipa + offset),
                Stage2_regime::leaf_descriptor(Stage2_regime::last_level, pa + offset, leaf_attributes));
  }
  // The entries were invalid, so no TLB holds them: once the writes reach
  // the inner-shareable domain, any CPU's walk finds them.
  asm volatile("dsb ish" ::: "memory");
}

void unmap_window_pages(Partition& target, uint64_t ipa, uint64_t pages) {
  for (uint64_t page = 0; page < pages; ++page) write_entry(entry_of(target, ipa + page * vmsa::page_size), 0);
  // The invalid entries are visible to every walker before the TLBs are
  // invalidated, so no walk can bring an old entry back.
  asm volatile("dsb ishst" ::: "memory");
  // Stage-2 entries by IPA (TLBI takes IPA[55:12]), on every CPU of the
  // inner-shareable domain: they act on the VMID in VTTBR_EL2, so the
  // target's for a moment; TLBs may also hold entries that combine stage 1
  // and stage 2, which only a stage-1 invalidation by VMID removes.
  uint64_t current = 0;
  asm volatile("mrs %0, vttbr_el2" : "=r"(current));
  asm volatile("msr vttbr_el2, %0\n isb" : : "r"(target.translation_register) : "memory");
  for (uint64_t page = 0; page < pages; ++page) {
    asm volatile("tlbi ipas2e1is, %0" : : "r"((ipa >> 12) + page) : "memory");
  }
  asm volatile("dsb ish\n tlbi vmalle1is\n dsb ish" ::: "memory");
  asm volatile("msr vttbr_el2, %0\n isb" : : "r"(current) : "memory");
}

}  // namespace kestrel::arch
