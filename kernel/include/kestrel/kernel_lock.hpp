// SPDX-License-Identifier: Apache-2.0
// Kernel lock: the one lock of the kernel (a "big kernel lock"), held for
// the whole of every kernel entry from a partition.
//
// Kernel entries are short and bounded (no loop depends on what a partition
// asks), so one lock costs little on four CPUs and leaves nothing to order:
// there is no other lock. docs/smp.md explains the choice. A ticket lock, so
// CPUs get the kernel in the order they asked for it.
#pragma once

#include <cstdint>

namespace kestrel {

class Kernel_lock final {
 public:
  void acquire();
  void release();

 private:
  uint32_t next_ticket_ = 0;
  uint32_t now_serving_ = 0;
};

extern Kernel_lock the_kernel_lock;
inline Kernel_lock& kernel_lock() { return the_kernel_lock; }

}  // namespace kestrel
