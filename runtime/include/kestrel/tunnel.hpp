// SPDX-License-Identifier: Apache-2.0
// Tunnel: the client of the IPCM for native partitions (docs/ipcm.md,
// "Using a tunnel from a partition"). A tunnel end opens or accepts an
// instance of a tunnel the policy lists, uses its memory, rings the other
// end's doorbell, and closes it:
//
//   #include <kestrel/slots.hpp>  // kestrel::tunnels::data_tunnel, a Tunnel_end
//
//   const auto& data = kestrel::tunnels::data_tunnel;
//   const kestrel::Tunnel_answer opened = kestrel::tunnel::open(data);
//   if (!opened.ok()) ...;                        // opened.status says why
//   opened.view.bytes()[0] = 42;                  // the tunnel's memory
//   kestrel::tunnel::ring(data);                  // the other end wakes
//   kestrel::tunnel::close(data, opened.view);    // gone from both ends
//
// Memory written before ring() is seen by the other end once its wait()
// returns: both are system calls, and the kernel orders the doorbell's
// word with a lock, which orders every access before it (and the compiler
// cannot move accesses across the calls' memory clobber).
#pragma once

#include <cstdint>

#include <kestrel/ipcm/protocol.hpp>
#include <kestrel/message.hpp>
#include <kestrel/syscall.hpp>
#include <kestrel/tunnel_end.hpp>

namespace kestrel::tunnel {

// One request to the IPCM and its checked answer.
inline Tunnel_answer ask(ipcm::Operation operation, const Tunnel_end& end, uint64_t instance = 0) {
  uint64_t words[ipcm::request_words];
  ipcm::encode(request(operation, end, instance), words);
  Outgoing message(ipcm::message_label);
  for (const uint64_t word : words) message.add(word);
  const Incoming reply = call(end.ipcm, message);
  uint64_t reply_words[ipcm::reply_words];
  for (uint64_t i = 0; i < ipcm::reply_words; ++i) reply_words[i] = reply.word(i);
  const uint64_t length = reply.length() < ipcm::reply_words ? reply.length() : ipcm::reply_words;
  return answer(operation, end, reply.status(), reply_words, length);
}

// A new instance of the tunnel, mapped here at once; the other end's
// doorbell rings (from_ipcm) so that it can accept.
inline Tunnel_answer open(const Tunnel_end& end) { return ask(ipcm::Operation::open, end); }

// The oldest instance the other end opened and this end has not accepted
// (nothing_to_accept if none); the opener's doorbell rings.
inline Tunnel_answer accept(const Tunnel_end& end) { return ask(ipcm::Operation::accept, end); }

// Closes the instance, from either end: unmapped from both, its memory
// zeroed before any reuse; the other end's doorbell rings. The view's
// memory must not be touched afterwards (a contained fault).
inline Tunnel_answer close(const Tunnel_end& end, const Tunnel_view& view) {
  return ask(ipcm::Operation::close, end, view.instance);
}

// Rings the other end's doorbell (from_peer there). A tunnel without a
// doorbell has nothing to ring: invalid_capability.
inline abi::Status ring(const Tunnel_end& end) {
  if (end.ring_doorbell == no_tunnel_slot) return abi::Status::invalid_capability;
  return signal(end.ring_doorbell);
}

// Waits until this end's doorbell has rung, and takes its word.
inline Doorbell wait(const Tunnel_end& end) {
  if (end.wait_doorbell == no_tunnel_slot) return {abi::Status::invalid_capability, 0};
  const Syscall_result word = kestrel::wait(end.wait_doorbell);
  return {word.status, word.value};
}

// Takes the doorbell's word without waiting (0 if it has not rung).
inline Doorbell poll(const Tunnel_end& end) {
  if (end.wait_doorbell == no_tunnel_slot) return {abi::Status::invalid_capability, 0};
  const Syscall_result word = kestrel::poll(end.wait_doorbell);
  return {word.status, word.value};
}

// An end's doorbell bits as they arrive. One wake may bring several (the
// IPCM's ring that the other end accepted, and that end's own ring), so
// wait_for(bits) returns once one of `bits` has rung, takes those and
// keeps the others for a later wait_for.
class Doorbell_bits {
 public:
  explicit constexpr Doorbell_bits(const Tunnel_end& end) : end_{end} {}

  // ok, or why the wait failed (the bits so far are kept).
  abi::Status wait_for(uint64_t bits) {
    while ((rung_ & bits) == 0) {
      const Doorbell doorbell = wait(end_);
      if (doorbell.status != abi::Status::ok) return doorbell.status;
      rung_ |= doorbell.bits;
    }
    rung_ &= ~bits;
    return abi::Status::ok;
  }

  // Forgets every bit so far, and any that rang since the last wait.
  void forget() {
    rung_ = 0;
    (void)poll(end_);
  }

 private:
  const Tunnel_end& end_;
  uint64_t rung_ = 0;
};

}  // namespace kestrel::tunnel
