// SPDX-License-Identifier: Apache-2.0
// Kernel MMU: the kernel's own EL2 stage-1 translation, an identity map that
// is W^X: text read-execute, read-only data read-only, data and .bss
// read-write, RAM read-write and never executable, the console UART as
// device memory. Anything unmapped faults, which catches wild kernel
// pointers.
#include <arch/page_table_format.hpp>
#include <arch/sysreg.hpp>
#include <board/board.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/log.hpp>
#include <kestrel/table_pool.hpp>

extern "C" char __kernel_start[], __text_end[], __rodata_end[], __kernel_end[];

namespace kestrel::arch {
namespace {

// The identity map of 1 GiB of RAM around the kernel with 4 KiB pages at its
// edges needs a root, a level-2 table and two level-3 tables; room to spare
// for a few more RAM ranges.
constexpr size_t kernel_table_pages = 16;
Static_table_pool<kernel_table_pages> kernel_table_pool;

// SCTLR_EL2 (non-VHE): RES1 bits, then M (MMU), C (data cache), SA (stack
// alignment check), I (instruction cache) and WXN (writable means never
// executable, a second line of defence behind the tables themselves).
constexpr uint64_t sctlr_res1 = 0x30c5'0830;
using Sctlr_m = Bitflag<0>;
using Sctlr_c = Bitflag<2>;
using Sctlr_sa = Bitflag<3>;
using Sctlr_i = Bitflag<12>;
using Sctlr_wxn = Bitflag<19>;
constexpr uint64_t sctlr_el2_mmu_on =
    sctlr_res1 | Sctlr_m::bits(1) | Sctlr_c::bits(1) | Sctlr_sa::bits(1) | Sctlr_i::bits(1) | Sctlr_wxn::bits(1);

uint64_t address_of(const char* symbol) { return reinterpret_cast<uint64_t>(symbol); }

using Kernel_translation = Kernel_table<Static_table_pool<kernel_table_pages>>;

// The root of the kernel's translation, shared by every CPU.
uint64_t kernel_translation_root = 0;

void turn_mmu_on() {
  asm volatile("msr mair_el2, %0" : : "r"(vmsa::Mair_el2::value));
  asm volatile("msr tcr_el2, %0" : : "r"(vmsa::Tcr_el2::value));
  asm volatile("msr ttbr0_el2, %0" : : "r"(vmsa::Ttbr0_el2::value(Paddr{kernel_translation_root})));
  // The tables were written with the MMU (and so the data cache) off; no
  // stale translations may survive from before.
  asm volatile("dsb sy\n tlbi alle2\n dsb sy\n ic iallu\n dsb sy\n isb" ::: "memory");
  asm volatile("msr sctlr_el2, %0\n isb" : : "r"(sctlr_el2_mmu_on) : "memory");
}

bool map(Kernel_translation& table, uint64_t base, uint64_t end, Attributes attributes, const char* what) {
  if (end <= base) return true;
  const Map_status status = table.map(Vaddr{base}, Paddr{base}, end - base, attributes);
  if (status != Map_status::ok) {
    log("boot: cannot map {} [{:#x}, {:#x}): {}\n", what, base, end, to_string(status));
    return false;
  }
  return true;
}

}  // namespace

bool enable_kernel_mmu(Span<const abi::Memory_range> ram, Span<const abi::Pristine_entry> pristine) {
  auto created = Kernel_translation::create(kernel_table_pool);
  if (created.status != Map_status::ok) return false;
  auto& table = created.table;
  const uint64_t start = address_of(__kernel_start);
  const uint64_t end = address_of(__kernel_end);
  constexpr Attributes text{Access::read_only, true, Memory_type::normal_write_back};
  constexpr Attributes read_only{Access::read_only, false, Memory_type::normal_write_back};
  constexpr Attributes read_write{Access::read_write, false, Memory_type::normal_write_back};
  constexpr Attributes device{Access::read_write, false, Memory_type::device_ngnre};
  bool ok = map(table, start, address_of(__text_end), text, "kernel text") &&
            map(table, address_of(__text_end), address_of(__rodata_end), read_only, "kernel read-only data") &&
            map(table, address_of(__rodata_end), end, read_write, "kernel data") &&
            map(table, board::uart_base, board::uart_base + 0x1000, device, "the console UART") &&
            map(table, board::gic_distributor_base, board::gic_distributor_base + board::gic_distributor_size, device,
                "the GIC distributor") &&
            map(table, board::gic_redistributor_base,
                board::gic_redistributor_base + board::max_cpus * board::gic_redistributor_stride, device,
                "the GIC redistributors");
  // The rest of RAM: boot-info, partitions' memory (the kernel reads their
  // buffers), never executable; the VMs' pristine copies read-only, so that
  // no kernel bug can change what a VM restarts from.
  for (const abi::Memory_range& range : ram) {
    const uint64_t range_end = range.base + range.size;
    uint64_t next = range.base;  // mapped up to here
    auto map_hole = [&](uint64_t hole_begin, uint64_t hole_end, bool is_kernel) {
      if (hole_end <= next || hole_begin >= range_end) return;
      ok = ok && map(table, next, hole_begin, read_write, "RAM");
      if (!is_kernel) ok = ok && map(table, hole_begin, hole_end, read_only, "a pristine copy");
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
      if (!kernel_done && start < begin) {
        map_hole(start, end, true);
        kernel_done = true;
      }
      map_hole(begin, hole_end, false);
    }
    if (!kernel_done) map_hole(start, end, true);
    if (next < range_end) ok = ok && map(table, next, range_end, read_write, "RAM");
  }
  if (!ok) return false;

  // Written while this CPU's MMU (and so its data cache) is still off, so
  // secondary CPUs, whose MMUs are off too, read the value from memory.
  kernel_translation_root = table.root().value();
  turn_mmu_on();
  return true;
}

void enable_kernel_mmu_this_cpu() { turn_mmu_on(); }

}  // namespace kestrel::arch
