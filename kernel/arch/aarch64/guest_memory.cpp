// SPDX-License-Identifier: Apache-2.0
// Guest memory: the cache and TLB maintenance a VM restart needs once the
// kernel has rewritten the VM's RAM (vm_restart.cpp).
//
// The kernel writes through its own Normal write-back map, so the new bytes
// may sit in the data caches. A guest starts with its MMU off: its data
// accesses are then Device and its instruction fetches Normal
// non-cacheable (stage 1 off), which stage 2 cannot make cacheable, so it
// reads memory, not the caches: every line the kernel wrote must be cleaned
// to the point of coherency (DC CVAC) first, or the guest would see its old
// RAM under the new. QEMU models no caches, so there the clean changes
// nothing; the architecture still asks for it. The instruction caches and
// TLBs may hold the previous run's code and translations (stage 1 entries
// are tagged with the VMID and the guest's ASIDs, which a new run reuses),
// so they are invalidated on every CPU (the inner-shareable forms).
#include <arch/page_table_format.hpp>
#include <arch/sysreg.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/partition.hpp>

namespace kestrel::arch {
namespace {

// The smallest data cache line of any cache the clean goes through:
// CTR_EL0.DminLine, log2 of its size in 4-byte words.
uint64_t data_cache_line_size() {
  uint64_t ctr = 0;
  asm volatile("mrs %0, ctr_el0" : "=r"(ctr));
  return uint64_t{4} << ((ctr >> 16) & 0xf);
}

}  // namespace

void clean_data_cache_to_poc(uint64_t pa, uint64_t size) {
  const uint64_t line = data_cache_line_size();
  for (uint64_t address = pa & ~(line - 1); address < pa + size; address += line) {
    asm volatile("dc cvac, %0" : : "r"(address) : "memory");
  }
  asm volatile("dsb sy" ::: "memory");
}

void forget_guest_translations(const Partition& vm) {
  // TLBI VMALLS12E1IS acts on the VMID in VTTBR_EL2: the VM's for a moment,
  // then the calling thread's again.
  uint64_t current = 0;
  asm volatile("mrs %0, vttbr_el2" : "=r"(current));
  asm volatile("msr vttbr_el2, %0\n isb" : : "r"(vm.translation_register));
  asm volatile("tlbi vmalls12e1is\n dsb ish\n ic ialluis\n dsb ish" ::: "memory");
  asm volatile("msr vttbr_el2, %0\n isb" : : "r"(current) : "memory");
}

}  // namespace kestrel::arch
