// SPDX-License-Identifier: Apache-2.0
// Kernel map: what the kernel's own EL2 stage-1 translation holds, an
// identity map that is W^X: text read-execute, read-only data read-only,
// data and .bss read-write, RAM read-write and never executable (the VMs'
// pristine copies read-only), the console UART and the GIC as device memory.
// A template over the table memory, so the image builder counts the pages
// with this same code (sysimage/src/kernel_memory.cpp) and the kernel maps
// itself into exactly that many (kernel_mmu.cpp).
#pragma once

#include <cstdint>

#include <arch/page_table_format.hpp>
#include <board/board.hpp>
#include <kestrel/abi/boot_info.hpp>
#include <kestrel/span.hpp>

namespace kestrel::arch {

// The kernel image's page-aligned section bounds (the linker script's
// __kernel_start, __text_end, __rodata_end, __kernel_end).
struct Kernel_image_bounds {
  uint64_t start;
  uint64_t text_end;
  uint64_t rodata_end;
  uint64_t end;
};

// The first range that could not be mapped, if any.
struct Kernel_map_result {
  Map_status status = Map_status::ok;
  const char* what = nullptr;
  uint64_t base = 0;
  uint64_t end = 0;
  bool ok() const { return status == Map_status::ok; }
};

template <typename Memory>
Kernel_map_result map_kernel(Kernel_table<Memory>& table, const Kernel_image_bounds& image,
                             Span<const abi::Memory_range> ram, Span<const abi::Pristine_entry> pristine) {
  constexpr Attributes text{Access::read_only, true, Memory_type::normal_write_back};
  constexpr Attributes read_only{Access::read_only, false, Memory_type::normal_write_back};
  constexpr Attributes read_write{Access::read_write, false, Memory_type::normal_write_back};
  constexpr Attributes device{Access::read_write, false, Memory_type::device_ngnre};
  Kernel_map_result result;
  auto map = [&](uint64_t base, uint64_t end, Attributes attributes, const char* what) {
    if (!result.ok() || end <= base) return;
    const Map_status status = table.map(Vaddr{base}, Paddr{base}, end - base, attributes);
    if (status != Map_status::ok) result = {status, what, base, end};
  };
  map(image.start, image.text_end, text, "kernel text");
  map(image.text_end, image.rodata_end, read_only, "kernel read-only data");
  map(image.rodata_end, image.end, read_write, "kernel data");
  map(board::uart_base, board::uart_base + 0x1000, device, "the console UART");
  map(board::gic_distributor_base, board::gic_distributor_base + board::gic_distributor_size, device,
      "the GIC distributor");
  map(board::gic_redistributor_base, board::gic_redistributor_base + board::max_cpus * board::gic_redistributor_stride,
      device, "the GIC redistributors");
  // The rest of RAM: boot-info, the kernel objects area, partitions' memory
  // (the kernel reads their buffers), never executable; the VMs' pristine
  // copies read-only, so that no kernel bug can change what a VM restarts
  // from.
  for (const abi::Memory_range& range : ram) {
    const uint64_t range_end = range.base + range.size;
    uint64_t next = range.base;  // mapped up to here
    auto map_hole = [&](uint64_t hole_begin, uint64_t hole_end, bool is_kernel) {
      if (hole_end <= next || hole_begin >= range_end) return;
      map(next, hole_begin, read_write, "RAM");
      if (!is_kernel) map(hole_begin, hole_end, read_only, "a pristine copy");
      next = hole_end;
    };
    bool kernel_done = false;
    // Sorted and page-aligned (boot-info's reader checks); adjacent copies
    // are mapped as one range, so only the ends need 4 KiB pages.
    for (uint32_t i = 0; i < pristine.size();) {
      const uint64_t begin = pristine[i].pa;
      uint64_t hole_end = (begin + pristine[i].size + 0xfff) & ~uint64_t{0xfff};
      for (++i; i < pristine.size() && pristine[i].pa == hole_end; ++i) {
        hole_end = (pristine[i].pa + pristine[i].size + 0xfff) & ~uint64_t{0xfff};
      }
      if (!kernel_done && image.start < begin) {
        map_hole(image.start, image.end, true);
        kernel_done = true;
      }
      map_hole(begin, hole_end, false);
    }
    if (!kernel_done) map_hole(image.start, image.end, true);
    if (next < range_end) map(next, range_end, read_write, "RAM");
  }
  return result;
}

}  // namespace kestrel::arch
