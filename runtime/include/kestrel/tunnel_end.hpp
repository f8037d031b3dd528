// SPDX-License-Identifier: Apache-2.0
// Tunnel end: a tunnel as one of its ends sees it (kestrel::Tunnel_end, which
// kestrel/slots.hpp gives for each tunnel the partition is an end of), and
// the parts of the tunnel client (tunnel.hpp) without system calls: the
// request it sends the IPCM, the checks on the IPCM's answer, and the
// doorbell's word. The host unit tests check these.
#pragma once

#include <cstdint>

#include <kestrel/abi/syscall.hpp>
#include <kestrel/ipcm/protocol.hpp>

namespace kestrel {

// "No slot": the partition has no such capability (a tunnel without a
// doorbell has neither doorbell slot).
inline constexpr uint64_t no_tunnel_slot = ~uint64_t{0};

// One tunnel from this end, as the policy compiled it.
struct Tunnel_end {
  uint64_t id = 0;                          // its position in the policy's tunnels: what requests name
  uint64_t ipcm = 0;                        // slot: this partition's call capability to the IPCM's endpoint
  uint64_t address = 0;                     // instance 0 in this partition's tunnel window; instance i at + i x size
  uint64_t size = 0;                        // bytes of one instance
  uint32_t max_open = 1;                    // instances that may be open at once
  bool writable = false;                    // this end may write (the tunnel's access)
  uint64_t wait_doorbell = no_tunnel_slot;  // slot: its own doorbell notification (receive)
  uint64_t ring_doorbell = no_tunnel_slot;  // slot: the other end's doorbell (signal)
};

// An instance of a tunnel as this end sees it: mapped at `address` from a
// successful open or accept until either end closes it.
struct Tunnel_view {
  uint64_t address = 0;
  uint64_t size = 0;
  uint64_t instance = 0;
  bool writable = false;

  uint8_t* bytes() const { return reinterpret_cast<uint8_t*>(address); }
};

// What an open, accept or close came to. `ipc` is the call itself (not ok:
// the IPCM could not be called, and status is bad_reply); `status` is the
// IPCM's answer, or bad_reply if that answer was not one this end can
// trust; `view` is set for an ok open or accept.
struct Tunnel_answer {
  abi::Status ipc = abi::Status::ok;
  ipcm::Status status = ipcm::Status::ok;
  Tunnel_view view;

  bool ok() const { return ipc == abi::Status::ok && status == ipcm::Status::ok; }
};

// A doorbell's word: the OR of the badges of every ring since the last wait.
struct Doorbell {
  abi::Status status = abi::Status::ok;
  uint64_t bits = 0;

  bool from_peer() const { return (bits & ipcm::doorbell_from_peer) != 0; }  // the other end rang
  bool from_ipcm() const { return (bits & ipcm::doorbell_from_ipcm) != 0; }  // asked for, opened or closed
};

namespace tunnel {

constexpr ipcm::Request request(ipcm::Operation operation, const Tunnel_end& end, uint64_t instance = 0) {
  return {static_cast<uint64_t>(operation), end.id, operation == ipcm::Operation::close ? instance : 0};
}

// The answer to `operation` on `end`, from the reply's status and its first
// `length` words. An ok open or accept must name the very place the policy
// gives that instance in this end's window and the tunnel's size; anything
// else is bad_reply, so that a wrong IPCM cannot make this end use some
// other memory of its own as the tunnel.
constexpr Tunnel_answer answer(ipcm::Operation operation, const Tunnel_end& end, abi::Status ipc, const uint64_t* words,
                               uint64_t length) {
  Tunnel_answer result;
  result.ipc = ipc;
  if (ipc != abi::Status::ok) {
    result.status = ipcm::Status::bad_reply;
    return result;
  }
  const ipcm::Reply reply = ipcm::decode_reply(words, length);
  result.status = reply.status;
  result.view.instance = reply.instance;
  if (reply.status != ipcm::Status::ok || operation == ipcm::Operation::close) return result;
  const bool in_place = reply.instance < end.max_open && reply.size == end.size &&
                        reply.address == end.address + reply.instance * end.size;
  if (!in_place) {
    result.status = ipcm::Status::bad_reply;
    return result;
  }
  result.view = {reply.address, reply.size, reply.instance, end.writable};
  return result;
}

}  // namespace tunnel
}  // namespace kestrel
