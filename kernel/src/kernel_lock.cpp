// SPDX-License-Identifier: Apache-2.0
// Kernel lock: the ticket lock.
#include <kestrel/arch.hpp>
#include <kestrel/kernel_lock.hpp>

namespace kestrel {

void Kernel_lock::acquire() {
  // Relaxed: taking a ticket publishes nothing; the acquire load below orders
  // this CPU's kernel work after the previous holder's.
  const uint32_t ticket = __atomic_fetch_add(&next_ticket_, 1, __ATOMIC_RELAXED);
  while (__atomic_load_n(&now_serving_, __ATOMIC_ACQUIRE) != ticket) arch::spin_wait_hint();
}

void Kernel_lock::release() {
  // Release: all this CPU did in the kernel is visible to the next holder.
  // Only the holder writes now_serving_, so the plain read is its own value.
  __atomic_store_n(&now_serving_, now_serving_ + 1, __ATOMIC_RELEASE);
}

Kernel_lock the_kernel_lock;  // constant-initialised: no constructor runs

}  // namespace kestrel
