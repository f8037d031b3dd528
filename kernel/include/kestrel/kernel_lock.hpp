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

#include <kestrel/arch.hpp>

namespace kestrel {

// Inline: every kernel entry takes it, and the IPC fast paths count every
// instruction. Both tickets share one 64-bit word, so that taking a ticket
// also reads the one being served: uncontended, the lock costs one
// exclusive read-modify-write and one compare.
class Kernel_lock final {
 public:
  void acquire() {
    // Acquire: if the ticket is served at once, this read orders this
    // CPU's kernel work after the previous holder's (whose release store
    // the read saw); otherwise the load in the loop does.
    const uint64_t before = __atomic_fetch_add(&tickets_.word, next_ticket_one, __ATOMIC_ACQUIRE);
    const auto ticket = static_cast<uint32_t>(before >> 32);
    if (static_cast<uint32_t>(before) != ticket) [[unlikely]]
      wait_for(ticket);
  }

  void release() {
    // Release: all this CPU did in the kernel is visible to the next
    // holder. Only the holder writes now_serving, so the plain read is its
    // own value. A 32-bit store into the word others update with 64-bit
    // exclusives: it clears their exclusive monitors, so a ticket taken
    // meanwhile is taken again (single-copy atomicity, Arm ARM B2.2).
    __atomic_store_n(&tickets_.halves.now_serving, tickets_.halves.now_serving + 1, __ATOMIC_RELEASE);
  }

 private:
  // Out of line: the uncontended path keeps no ticket for the loop.
  [[gnu::noinline, gnu::cold]] void wait_for(uint32_t ticket) {
    while (__atomic_load_n(&tickets_.halves.now_serving, __ATOMIC_ACQUIRE) != ticket) arch::spin_wait_hint();
  }

  static constexpr uint64_t next_ticket_one = uint64_t{1} << 32;
  union Tickets {
    uint64_t word;
    struct {
      uint32_t now_serving;  // the low half (little-endian)
      uint32_t next_ticket;
    } halves;
  };
  Tickets tickets_{.word = 0};
};

extern Kernel_lock the_kernel_lock;
inline Kernel_lock& kernel_lock() { return the_kernel_lock; }

}  // namespace kestrel
