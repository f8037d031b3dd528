// SPDX-License-Identifier: Apache-2.0
// The kernel's system-call handler (the partition side is runtime/include/kestrel/syscall.hpp).
#pragma once

#include <arch/exception.hpp>
#include <kestrel/thread.hpp>

namespace kestrel {

// Handles the system call `thread` made with `frame` (its live registers):
// decodes it from its argument view (syscall_arguments.hpp), invokes it, and
// puts its Result's status in x0 unless the caller waits for it.
// True if the CPU must pick the next thread: the caller blocked, stopped or
// yielded. (A thread it made ready is the caller's preemption check.)
[[nodiscard]] bool handle_syscall(Thread& thread, arch::Exception_frame& frame);

}  // namespace kestrel
