// SPDX-License-Identifier: Apache-2.0
// Fast path: call and reply_recv between native threads of one CPU when the
// other side waits and the message arrives whole (in registers, or through
// both threads' IPC buffers); send, signal and a device interrupt to a
// waiting thread that preempts the running one; a VM exit to its waiting
// VMM and the answer back: handled without the general system-call
// machinery.
//
// Each function checks every condition first and changes nothing unless all
// hold; otherwise it returns nullptr and the slow path (syscall.cpp, ipc.cpp)
// handles the call with the same result. The outcome is always exactly what
// the slow path would produce.
#pragma once

#include <kestrel/thread.hpp>

namespace kestrel {

// `caller` made a call: if its endpoint's receiver waits and is the best
// thread to run once the caller blocks (this CPU, a native thread, in the
// window), hand the message over, block the caller for the reply and return
// the receiver as the thread to resume.
[[nodiscard]] Thread* fastpath_call(Thread& caller);

// `replier` made a reply_recv: if it answers a native caller of this CPU
// that is the best thread to run once the replier blocks, and no message is
// queued for it, hand the reply over, block the replier in receive and
// return the caller as the thread to resume.
[[nodiscard]] Thread* fastpath_reply_recv(Thread& replier);

// The same two for the exception vectors, which take them without any other
// dispatch (vectors.S, thread_sync): under the kernel lock, which they
// release either way. nullptr: the general path's, which takes the lock
// again.
extern "C" Thread* call_fastpath_locked(Thread* caller);
extern "C" Thread* reply_recv_fastpath_locked(Thread* replier);

// `sender` made a send: if its endpoint's receiver waits (a native thread
// of this CPU, the message arriving whole) and is better than the sender,
// hand the message over and return the receiver as the thread to resume;
// the sender stays ready, first of its priority.
[[nodiscard]] Thread* fastpath_send(Thread& sender);

// Device interrupt `intid` (acknowledged, not yet priority-dropped) came
// while native thread `current` ran: if a native thread of this CPU with
// time of its own waits (in `wait`) on the notification bound to it and is
// better than `current`, hand it the word and return it as the thread to
// resume (the interrupt stays active until its owner acknowledges it, as
// on the general path). Other interrupts stay pending and are taken once
// the thread resumed runs.
[[nodiscard]] Thread* fastpath_interrupt(Thread& current, uint32_t intid);

// `signaller` made a signal: if a thread of this CPU waits (in `wait`) on
// the notification and is better than the signaller, hand it the word and
// return it as the thread to resume; the signaller stays ready. If a
// native, non-passive thread of another CPU waits, hand it the word, queue
// it there and kick its CPU, and return the signaller (a doorbell).
[[nodiscard]] Thread* fastpath_signal(Thread& signaller);

// `vcpu` trapped with an exit for its VMM, already decoded into
// vcpu.message (MMIO with a valid syndrome, or a hypercall): if a passive
// VMM thread of this CPU, of at least the vCPU's priority, waits on the
// VM's exit endpoint, hand it the exit, block the vCPU for the answer and
// return the VMM thread as the thread to resume. fastpath_reply_recv is the
// way back: a plain resume of a vCPU of the replier's CPU.
[[nodiscard]] Thread* fastpath_vm_exit(Thread& vcpu);

// Kernels built with KESTREL_COUNT_FASTPATHS (kestrel-counting.elf) count
// the fast paths taken; this logs the counts ("boot: fast paths taken:
// call N, reply_recv N, send N, signal N, interrupt N, vm_exit N,
// exit_answer N"). A no-op in every other kernel.
void log_fastpath_counts();

}  // namespace kestrel
