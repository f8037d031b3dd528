// SPDX-License-Identifier: Apache-2.0
// Kernel lock: the one instance (the ticket lock itself is inline, in
// kernel_lock.hpp).
#include <kestrel/kernel_lock.hpp>

namespace kestrel {

Kernel_lock the_kernel_lock;  // constant-initialised: no constructor runs

}  // namespace kestrel
