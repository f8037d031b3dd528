// SPDX-License-Identifier: Apache-2.0
// Cpu: what each CPU does with its threads: run the best ready one, switch
// when it blocks or a better one wakes, idle (and wake) when none is ready,
// and, if the policy says so, power the machine off once no thread on any
// CPU can ever run again.
//
// Everything here runs with the kernel lock held (kernel_lock.hpp).
#pragma once

#include <arch/exception.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/scheduler.hpp>
#include <kestrel/thread.hpp>

namespace kestrel {

// The executing CPU's scheduler (declared in scheduler.hpp, which host tests
// use without the arch layer).
inline Scheduler& this_cpu_scheduler() { return cpu_scheduler(arch::current_cpu()); }

// How many CPUs run threads (so that power-off waits for all of them): set
// by the boot CPU before it lets the others run.
void set_cpus_running_threads(unsigned count);

// What to do once no thread can ever run again (System.noThreadLeft):
// power off, or idle. Set by the boot CPU before threads run.
void set_power_off_when_no_thread_left(bool power_off);

// Runs this CPU's threads from now on; never returns.
[[noreturn]] void run_threads();

// Makes the best ready thread of this CPU its current thread (saving the
// hypervisor state of the one that ran, loading the next one's), or idles
// until one is ready. Registers need no copying: each thread's live in its
// own context.
void reschedule();

// After a kernel entry that did not block the current thread: if a thread
// of this CPU became ready meanwhile (make_ready) and is better than the
// current one, or the current one may no longer run, switches.
void preempt_if_better();

// An interrupt arrived while a thread ran: takes every pending interrupt,
// wakes sleeping threads whose time has come and switches if a better
// thread is now ready. `acknowledged`: one the exception entry took
// already (arch::take_interrupts).
void handle_interrupts(uint32_t acknowledged = arch::no_interrupt);

// `thread`, of any CPU, may run again: marks it ready and asks its CPU to
// look at its scheduler if that is another CPU.
void make_ready(Thread& thread);

// First generic code on a secondary CPU once its MMU is on.
extern "C" [[noreturn]] void secondary_cpu_main();

}  // namespace kestrel
