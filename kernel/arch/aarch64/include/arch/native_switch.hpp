// SPDX-License-Identifier: Apache-2.0
// Native switch: load_thread for a switch between two native threads, inline
// because every IPC fast path ends with it. Only the stage-2 translation
// changes, and only if they are in different partitions, and whether
// FP/SIMD traps.
#pragma once

#include <arch/fp.hpp>
#include <kestrel/partition.hpp>
#include <kestrel/thread.hpp>

namespace kestrel::arch {

inline void switch_native_threads(const Thread& from, const Thread& to) {
  switch_fp(from, to);
  const Partition& partition = to.partition();
  if (&from.partition() == &partition) return;
  // No barrier: the exception return to the thread synchronises the context.
  asm volatile("msr vttbr_el2, %0" : : "r"(partition.translation_register));
}

}  // namespace kestrel::arch
