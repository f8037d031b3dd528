// SPDX-License-Identifier: Apache-2.0
// Kernel memory: the kernel's object sizes from its ELF, and each
// partition's stage-2 table pages counted by building its tables on the host.
#include "kernel_memory.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include <arch/kernel_map.hpp>
#include <arch/page_table_format.hpp>
#include <kestrel/page_table.hpp>

namespace kestrel::sysimage {
namespace {

// Table pages in host memory at made-up physical addresses from `base`,
// allocated like the kernel's Table_slice (root first, then single pages),
// counting them. Never runs out.
class Counting_table_memory {
 public:
  Table_pages allocate_pages(size_t count) {
    const Paddr first{base + pages_.size() * page_size};
    pages_.resize(pages_.size() + count, Page{});
    return {true, first};
  }
  size_t free_pages() const { return SIZE_MAX / 2; }
  uint64_t read_descriptor(Paddr address) const { return slot(address); }
  void write_descriptor(Paddr address, uint64_t value) { slot(address) = value; }
  size_t pages() const { return pages_.size(); }

 private:
  static constexpr uint64_t base = 0x4000'0000;  // aligned to any root
  static constexpr uint64_t page_size = arch::Stage2_regime::page_size;
  using Page = std::array<uint64_t, arch::Stage2_regime::entries_per_table>;
  uint64_t& slot(Paddr address) const {
    const uint64_t offset = address.value() - base;
    return pages_.at(offset / page_size).at(offset % page_size / sizeof(uint64_t));
  }
  mutable std::vector<Page> pages_;
};

}  // namespace

std::optional<abi::Object_sizes> kernel_object_sizes_of(const Elf_image& kernel, std::string& error) {
  const auto found = kernel.kestrel_sections.find(".kestrel.object_sizes");
  if (found == kernel.kestrel_sections.end()) {
    error = "has no .kestrel.object_sizes section (a kernel older than this kestrel-image?)";
    return std::nullopt;
  }
  abi::Object_sizes sizes{};
  if (found->second.size() != sizeof sizes) {
    error = "has a .kestrel.object_sizes section of " + std::to_string(found->second.size()) + " bytes, not " +
            std::to_string(sizeof sizes) + " (a kernel of another version?)";
    return std::nullopt;
  }
  std::memcpy(&sizes, found->second.data(), sizeof sizes);
  if (!abi::layout_kernel_objects(sizes, abi::Kernel_object_counts{}).ok) {
    error = "has a malformed object size table (.kestrel.object_sizes)";
    return std::nullopt;
  }
  return sizes;
}

unsigned stage2_input_bits(Span<const abi::Region_entry> regions, Span<const abi::Map_window_entry> windows) {
  constexpr uint64_t limit = uint64_t{1} << arch::Stage2_39_regime::input_bits;
  for (const abi::Region_entry& region : regions) {
    if (region.ipa >= limit || region.size > limit - region.ipa) return arch::Stage2_regime::input_bits;
  }
  for (const abi::Map_window_entry& window : windows) {
    if (window.ipa >= limit || window.pages > (limit - window.ipa) / arch::vmsa::page_size) {
      return arch::Stage2_regime::input_bits;
    }
  }
  return arch::Stage2_39_regime::input_bits;
}

namespace {

template <typename Regime>
std::optional<uint32_t> count_stage2_pages(Span<const abi::Region_entry> regions,
                                           Span<const abi::Map_window_entry> windows, uint32_t partition) {
  Counting_table_memory memory;
  auto created = arch::Stage2_table<Counting_table_memory, Regime>::create(memory);
  if (created.status != Map_status::ok) return std::nullopt;
  // Only where tables and blocks go matters for the count, not the
  // attributes: any valid ones do.
  constexpr Attributes any{Access::read_only, false, Memory_type::normal_write_back};
  for (const abi::Region_entry& region : regions) {
    if (created.table.map(Ipa{region.ipa}, Paddr{region.pa}, region.size, any) != Map_status::ok) return std::nullopt;
  }
  for (const abi::Map_window_entry& window : windows) {
    if (window.partition != partition) continue;
    if (window.pages > UINT64_MAX / Regime::page_size) return std::nullopt;
    if (created.table.reserve(Ipa{window.ipa}, window.pages * Regime::page_size) != Map_status::ok) return std::nullopt;
  }
  return static_cast<uint32_t>(memory.pages() - Regime::root_tables);
}

}  // namespace

std::optional<uint32_t> stage2_table_pages(Span<const abi::Region_entry> regions,
                                           Span<const abi::Map_window_entry> windows, uint32_t partition,
                                           unsigned input_bits) {
  return input_bits == arch::Stage2_39_regime::input_bits
             ? count_stage2_pages<arch::Stage2_39_regime>(regions, windows, partition)
             : count_stage2_pages<arch::Stage2_regime>(regions, windows, partition);
}

std::optional<uint32_t> kernel_table_pages(const Elf_image& kernel, Span<const abi::Memory_range> ram,
                                           Span<const abi::Pristine_entry> pristine) {
  // The linker script's bounds: text, read-only data and data+.bss each
  // start their own segment on a page, and the image ends on one. (A kernel
  // of fewer segments maps the rest read-write; the kernel checks at boot
  // that its map took exactly the pages counted here.)
  if (kernel.segments.empty()) return std::nullopt;
  constexpr uint64_t page = arch::vmsa::page_size;
  auto page_end = [&](const Elf_segment& segment) {
    return (segment.physical_address + segment.memory_size + page - 1) & ~(page - 1);
  };
  const auto& segments = kernel.segments;
  const uint64_t text_end = segments.size() > 1 ? segments[1].physical_address : page_end(segments[0]);
  const uint64_t rodata_end = segments.size() > 2 ? segments[2].physical_address : text_end;
  const arch::Kernel_image_bounds image{segments[0].physical_address, text_end, rodata_end,
                                        std::max(rodata_end, page_end(segments.back()))};
  Counting_table_memory memory;
  auto created = arch::Kernel_table<Counting_table_memory>::create(memory);
  if (created.status != Map_status::ok) return std::nullopt;
  if (!arch::map_kernel(created.table, image, ram, pristine).ok()) return std::nullopt;
  return static_cast<uint32_t>(memory.pages());
}

}  // namespace kestrel::sysimage
