// SPDX-License-Identifier: Apache-2.0
// Native switch: load_thread for a switch between two native threads, inline
// because every IPC fast path ends with it. Only the stage-2 translation
// changes, and only if they are in different partitions, and whether
// FP/SIMD traps.
#pragma once

#include <arch/fp.hpp>
#include <arch/page_table_format.hpp>
#include <kestrel/partition.hpp>
#include <kestrel/thread.hpp>

namespace kestrel::arch {

inline void switch_native_threads(const Thread& from, const Thread& to) {
  switch_fp(from, to);
  const Partition& partition = to.partition();
  if (&from.partition() == &partition) return;
  const uint64_t vttbr =
      vmsa::Vttbr_el2::value(Paddr{partition.translation_root}, static_cast<uint16_t>(partition.vmid()));
  // No barrier: the exception return to the thread synchronises the context.
  asm volatile("msr vttbr_el2, %0" : : "r"(vttbr));
}

}  // namespace kestrel::arch
