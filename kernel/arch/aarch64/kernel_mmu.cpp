// SPDX-License-Identifier: Apache-2.0
// Kernel MMU: turns on the kernel's own EL2 stage-1 translation (what it
// maps: arch/kernel_map.hpp). Anything unmapped faults, which catches wild
// kernel pointers. The tables are pages of the kernel objects area, as many
// as the image builder counted with the same code.
#include <arch/kernel_map.hpp>
#include <arch/page_table_format.hpp>
#include <arch/sysreg.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/log.hpp>
#include <kestrel/table_pool.hpp>

extern "C" char __kernel_start[], __text_end[], __rodata_end[], __kernel_end[];

namespace kestrel::arch {
namespace {

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

// The root first (one page: stage 1 cannot concatenate), then single pages.
using Kernel_translation = Kernel_table<Table_slice>;
static_assert(El2_regime::root_tables == 1);

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

}  // namespace

uint32_t enable_kernel_mmu(Span<const abi::Memory_range> ram, Span<const abi::Pristine_entry> pristine,
                           uint8_t* table_pages, uint32_t page_count) {
  if (page_count == 0) {
    log("boot: no pages for the kernel's own tables\n");
    return 0;
  }
  Table_slice memory{table_pages, 1, table_pages + vmsa::page_size, page_count - 1};
  auto created = Kernel_translation::create(memory);
  if (created.status != Map_status::ok) return 0;
  const Kernel_image_bounds image{address_of(__kernel_start), address_of(__text_end), address_of(__rodata_end),
                                  address_of(__kernel_end)};
  const Kernel_map_result mapped = map_kernel(created.table, image, ram, pristine);
  if (!mapped.ok()) {
    log("boot: cannot map {} [{:#x}, {:#x}): {} ({} table pages)\n", mapped.what, mapped.base, mapped.end,
        to_string(mapped.status), page_count);
    return 0;
  }
  // Written while this CPU's MMU (and so its data cache) is still off, so
  // secondary CPUs, whose MMUs are off too, read the value from memory.
  kernel_translation_root = created.table.root().value();
  turn_mmu_on();
  return static_cast<uint32_t>(page_count - memory.free_pages());
}

// A secondary CPU's, before it checks in: the same tables, if the boot CPU
// has built them (the in-kernel tests start CPUs without).
void enable_kernel_mmu_this_cpu() {
  if (kernel_translation_root != 0) turn_mmu_on();
}

}  // namespace kestrel::arch
