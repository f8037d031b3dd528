// SPDX-License-Identifier: Apache-2.0
// Syscall: the kernel's system-call handler.
#pragma once

#include <arch/exception.hpp>
#include <kestrel/thread.hpp>

namespace kestrel {

// Handles the system call `thread` made with `frame` (its live registers).
// True if the CPU must pick the next thread: the caller blocked, stopped or
// yielded. (A thread it made ready is the caller's preemption check.)
bool handle_syscall(Thread& thread, arch::Exception_frame& frame);

}  // namespace kestrel
