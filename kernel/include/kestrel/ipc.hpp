// SPDX-License-Identifier: Apache-2.0
// IPC: messages between threads through endpoints: call, send, receive and
// reply, and the kernel's own messages (VM exits, faults) to their handlers.
//
// Every function here is an invoke step: its arguments were decoded (checked)
// before, so it cannot fail. `frame` is the calling thread's live registers.
// Those a system call invokes return its Result (result.hpp): the status
// for x0, or that the caller blocked.
#pragma once

#include <arch/exception.hpp>
#include <kestrel/endpoint.hpp>
#include <kestrel/result.hpp>
#include <kestrel/thread.hpp>

namespace kestrel {

// call: hand the message to a waiting receiver (the caller then waits for
// the reply), or queue the caller.
Result ipc_call(Thread& caller, arch::Exception_frame& frame, Endpoint& endpoint, uint64_t badge);

// send: hand the message to a waiting receiver and continue, or queue the
// sender until one comes.
Result ipc_send(Thread& sender, arch::Exception_frame& frame, Endpoint& endpoint, uint64_t badge);

// nb_send: hand the message over if a receiver waits; would_block if none did.
Result ipc_send_if_received(Thread& sender, arch::Exception_frame& frame, Endpoint& endpoint, uint64_t badge);

// recv: take the oldest queued message, or the word of `also` (may be
// null) if it is non-zero, or wait for either. Refuses (would_deadlock) if
// another thread already waits on the endpoint or on `also`.
Result ipc_receive(Thread& receiver, arch::Exception_frame& frame, Endpoint& endpoint,
                   class Notification* also = nullptr);

// A thread waiting in recv stops waiting on its endpoint (a notification
// it also waited on ended its wait).
void stop_receiving(Thread& receiver);

// The reply half of reply_recv: answers the call received last, if any.
void ipc_reply(Thread& replier, const arch::Exception_frame& frame);

// A vCPU's exit or a thread's fault, already in sender.message, goes to the
// endpoint of its VMM or fault handler; the sender waits for the reply.
// If no thread of the handler's partition is left, the sender stops.
void ipc_send_kernel_message(Thread& sender, Endpoint& endpoint);

// The value a VMM or fault handler answers `sender`'s exit with, where its
// kind says: an MMIO or system-register read's destination register, a
// hypercall's x0; nothing for other kinds.
void write_exit_answer(Thread& sender, uint64_t value);

// `thread` stops for good (fault, exit, its VMM's or fault handler's word).
// No thread is left waiting on it: the caller it serves gets peer_stopped
// (a vCPU or faulted thread waiting for it as its VMM or fault handler
// stops too), and once its partition has no thread left, every thread
// queued to send to the partition's endpoints gets peer_stopped as well.
// A passive server's donated time goes back with the caller.
void stop_thread(Thread& thread);

// Signals the partition's stop notification, if the policy gave it one: its
// last thread stopped (stop_thread does this) or it was restarted.
void signal_stop(const Partition& partition);

// The partition that serves `endpoint` has no thread left that could
// receive (decode-time check for call, send and nb_send).
[[nodiscard]] bool endpoint_server_stopped(const Endpoint& endpoint);

}  // namespace kestrel
