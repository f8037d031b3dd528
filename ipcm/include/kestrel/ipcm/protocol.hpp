// SPDX-License-Identifier: Apache-2.0
// Protocol: the messages tunnel ends exchange with the IPCM over its
// endpoint (docs/ipcm.md, "Protocol"). Every message fits in registers.
//
// Request words: [0] operation, [1] tunnel id (its index in the policy's
// tunnels), [2] instance (close only). The IPCM knows the caller by its
// badge, never by anything in the message.
// Reply words: [0] status, then for ok: [1] the tunnel's address in the
// caller's window, [2] its size in bytes, [3] the instance. Both directions
// carry message_label; the encoders and decoders below are the only place
// that knows which word is which, for the client library and the IPCM alike.
#pragma once

#include <cstdint>

namespace kestrel::ipcm {

enum class Operation : uint64_t {
  open = 1,    // ask for a new instance of a tunnel; mapped into the caller at once
  accept = 2,  // take the oldest instance the other end asked for; mapped into the caller
  close = 3,   // close an instance (asked for or open) from either end
  // The IPCM's own watcher only (its badge): word 1 has bit i set for each
  // table client i that stopped or restarted; their tunnels close. The
  // reply's word 3 is how many instances closed.
  ends_stopped = 4,
};

enum class Status : uint64_t {
  ok = 0,
  bad_operation = 1,      // word 0 is no Operation (or ends_stopped from a caller that is not the watcher)
  unknown_client = 2,     // the badge is no tunnel end's
  unknown_tunnel = 3,     // no tunnel has that id
  not_an_end = 4,         // the caller is not an end of that tunnel
  already_open = 5,       // the caller already asked for this tunnel and the other end has not accepted
  max_open_reached = 6,   // every instance the policy allows is in use
  quota_exceeded = 7,     // the caller holds maxOpenPerEnd tunnels already
  pool_exhausted = 8,     // no run of free pool pages is long enough
  nothing_to_accept = 9,  // the other end has not asked
  not_open = 10,          // close of an instance that is closed, or out of range
  map_failed = 11,        // the kernel refused a map; nothing stays mapped
  unmap_failed = 12,      // the kernel refused an unmap; the pages stay out of use until a close succeeds
  // Never sent by the IPCM: the client library's verdict on an ok reply that
  // names a place other than the tunnel's in the caller's window (a wrong
  // or compromised IPCM must not make a client write into its own memory).
  bad_reply = 13,
};

inline constexpr uint32_t request_words = 3;
inline constexpr uint32_t reply_words = 4;

struct Request {
  uint64_t operation = 0;  // raw: the IPCM decodes it
  uint64_t tunnel = 0;
  uint64_t instance = 0;
};

struct Reply {
  Status status = Status::ok;
  uint64_t address = 0;
  uint64_t size = 0;
  uint64_t instance = 0;
};

inline constexpr uint64_t message_label = 0;

// The words of a request, in order.
constexpr void encode(const Request& request, uint64_t (&words)[request_words]) {
  words[0] = request.operation;
  words[1] = request.tunnel;
  words[2] = request.instance;
}

// A request from the first `length` words; words it lacks are 0, so a short
// message decodes to operation 0, which no operation has.
constexpr Request decode_request(const uint64_t* words, uint64_t length) {
  auto word = [&](uint64_t index) { return index < length ? words[index] : 0; };
  return {word(0), word(1), word(2)};
}

constexpr void encode(const Reply& reply, uint64_t (&words)[reply_words]) {
  words[0] = static_cast<uint64_t>(reply.status);
  words[1] = reply.address;
  words[2] = reply.size;
  words[3] = reply.instance;
}

// A reply from the first `length` words; one too short to hold a status is
// bad_reply, and so is any status the protocol does not have.
constexpr Reply decode_reply(const uint64_t* words, uint64_t length) {
  auto word = [&](uint64_t index) { return index < length ? words[index] : 0; };
  if (length == 0 || words[0] >= static_cast<uint64_t>(Status::bad_reply)) return {Status::bad_reply, 0, 0, 0};
  return {static_cast<Status>(word(0)), word(1), word(2), word(3)};
}

// Badges the doorbell notification of a tunnel end receives.
inline constexpr uint64_t doorbell_from_peer = 1;  // the other end rang
inline constexpr uint64_t doorbell_from_ipcm = 2;  // the tunnel was asked for, opened or closed

}  // namespace kestrel::ipcm
