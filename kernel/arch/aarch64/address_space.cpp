// SPDX-License-Identifier: Apache-2.0
// Address space: partitions' stage-2 translations and the hypervisor controls
// native threads run under.
#include <arch/frame_layout.h>
#include <arch/cpu_state.hpp>
#include <arch/exception.hpp>
#include <arch/fp.hpp>
#include <arch/page_table_format.hpp>
#include <arch/sysreg.hpp>
#include <arch/vcpu.hpp>
#include <arch/vgic.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/log.hpp>
#include <kestrel/partition.hpp>
#include <kestrel/table_pool.hpp>
#include <kestrel/thread.hpp>

extern "C" [[noreturn]] void enter_frame(kestrel::arch::Exception_frame* frame);

namespace kestrel::arch {
namespace {

// HCR_EL2 while a native thread runs.
using Hcr_vm = Bitflag<0>;    // stage 2 translation on
using Hcr_swio = Bitflag<1>;  // set/way invalidation becomes clean+invalidate
using Hcr_fmo = Bitflag<3>;   // FIQs, IRQs and SErrors go to EL2
using Hcr_imo = Bitflag<4>;
using Hcr_amo = Bitflag<5>;
using Hcr_dc = Bitflag<12>;   // stage 1 off with Normal write-back memory: VA = IPA
using Hcr_twi = Bitflag<13>;  // WFI and WFE trap, so a waiting thread gives up the CPU
using Hcr_twe = Bitflag<14>;
using Hcr_tsc = Bitflag<19>;  // SMC traps
using Hcr_tge = Bitflag<27>;  // EL0 exceptions go to EL2; there is no EL1
using Hcr_rw = Bitflag<31>;   // EL1 is AArch64 (for vCPUs later)
constexpr uint64_t hcr_native = Hcr_vm::bits(1) | Hcr_swio::bits(1) | Hcr_fmo::bits(1) | Hcr_imo::bits(1) |
                                Hcr_amo::bits(1) | Hcr_dc::bits(1) | Hcr_twi::bits(1) | Hcr_twe::bits(1) |
                                Hcr_tsc::bits(1) | Hcr_tge::bits(1) | Hcr_rw::bits(1);

Attributes attributes_of(const abi::Region_entry& region) {
  Attributes attributes{};
  attributes.access = (region.attributes & abi::region_write) != 0 ? Access::read_write : Access::read_only;
  attributes.executable = (region.attributes & abi::region_execute) != 0;
  attributes.memory = (region.attributes & abi::region_device) != 0          ? Memory_type::device_ngnre
                      : (region.attributes & abi::region_non_cacheable) != 0 ? Memory_type::normal_non_cacheable
                                                                             : Memory_type::normal_write_back;
  return attributes;
}

// Every partition's IPA size, from boot-info (the image builder picks 39
// bits, a one-page root, when all fit below 512 GiB). VTCR_EL2 holds it for
// every partition, so a partition switch writes only VTTBR_EL2.
unsigned stage2_input_bits = vmsa::Vtcr_el2::max_input_bits;

}  // namespace

bool select_stage2_input_bits(unsigned bits) {
  if (bits != vmsa::Vtcr_el2::min_input_bits && bits != vmsa::Vtcr_el2::max_input_bits) return false;
  stage2_input_bits = bits;
  return true;
}

// A partition's stage-2 tables come from its own slice of the kernel
// objects area, all built at boot: the image builder counted its pages with
// this same code (sysimage/src/kernel_memory.cpp), so it never runs short
// and never takes another partition's.
//
// One walker for both IPA sizes (a second would cost the kernel 1.3 KiB of
// text): both start at level 1, and the 40-bit walker indexes its root by
// IPA bits [39:30], which below 512 GiB are the 39-bit root's [38:30]. So
// with a 39-bit IPA the root is one page, and the walker never reaches the
// second page it would have, because boot-info's reader refuses a 39-bit
// system with a region at or above 512 GiB (check_kernel_memory).
bool build_address_space(Partition& partition, Span<const abi::Map_window_entry> windows) {
  Table_slice memory{partition.table_root, Stage2_regime::root_tables, partition.table_pages,
                     partition.table_page_count};
  auto created = Stage2_table<Table_slice>::create(memory);
  if (created.status != Map_status::ok) {
    log("partition {}: not started: {}\n", partition.name(), to_string(created.status));
    return false;
  }
  auto& table = created.table;
  for (const abi::Region_entry& region : partition.regions()) {
    const Map_status status = table.map(Ipa{region.ipa}, Paddr{region.pa}, region.size, attributes_of(region));
    if (status != Map_status::ok) {
      log("partition {}: not started: cannot map {:#x} to {:#x} ({:#x} bytes): {}\n", partition.name(), region.ipa,
          region.pa, region.size, to_string(status));
      return false;
    }
  }
  // Its map windows' tables, after its regions in the order the image
  // builder counted them: memory_map then writes entries, never tables.
  for (const abi::Map_window_entry& window : windows) {
    if (window.partition != partition.index()) continue;
    const Map_status status = table.reserve(Ipa{window.ipa}, window.pages * vmsa::page_size);
    if (status != Map_status::ok) {
      log("partition {}: not started: no tables for its map window at {:#x}: {}\n", partition.name(), window.ipa,
          to_string(status));
      return false;
    }
  }
  partition.translation_root = table.root().value();
  partition.translation_register =
      vmsa::Vttbr_el2::value(Paddr{partition.translation_root}, static_cast<uint16_t>(partition.vmid()));
  data_sync_barrier();  // the tables are complete before any walk can use them
  return true;
}

uint64_t hcr_for_guests();

void load_thread(Thread& thread) {
  if (thread.is_vcpu()) {
    restore_vcpu_registers(thread.vcpu_registers);
    vgic::restore(thread.vcpu_interrupts);
    asm volatile("msr hcr_el2, %0" : : "r"(hcr_for_guests()));
  } else {
    asm volatile("msr hcr_el2, %0" : : "r"(hcr_native));
  }
  asm volatile("msr vttbr_el2, %0" : : "r"(thread.partition().translation_register));
  switch_fp(thread);
  instruction_barrier();
}

void save_thread(Thread& thread) {
  if (!thread.is_vcpu()) return;
  save_vcpu_registers(thread.vcpu_registers);
  vgic::save(thread.vcpu_interrupts);
  // Whatever runs next: the EL1 state native threads depend on or can see
  // back to their values (cheap, and only after a vCPU ran).
  reset_el0_state_after_guest();
}

void prepare_native_threads() {
  prepare_cpu_state();
  asm volatile("msr vtcr_el2, %0" : : "r"(vmsa::Vtcr_el2::value(stage2_input_bits)));
  prepare_fp(current_cpu());
  asm volatile("msr hcr_el2, %0" : : "r"(hcr_native));
  // No stage-2 entries are cached yet for any VMID, but a firmware or a
  // previous kernel might have left some.
  asm volatile("tlbi alle1\n dsb sy" ::: "memory");
  instruction_barrier();
}

void enter_thread(Thread& thread) { enter_frame(&thread.context); }

}  // namespace kestrel::arch
