// SPDX-License-Identifier: Apache-2.0
// SHA-512 (FIPS 180-4): the hash inside Ed25519, which signs boot-info.
//
// Same shape and constraints as Sha256: freestanding (no heap, no libc
// calls), no unaligned loads (it may run with the MMU off), general
// registers only, and built unchanged for the host's unit tests.
//
// Streaming use: Sha512 hasher; hasher.update(...)...; hasher.finish().
// One-shot: sha512(data, size).
#pragma once

#include <cstddef>
#include <cstdint>

namespace kestrel {

struct Sha512_digest {
  uint8_t bytes[64];

  // A plain loop rather than a defaulted comparison, which the compiler may
  // lower to a memcmp call.
  [[nodiscard]] friend constexpr bool operator==(const Sha512_digest& left, const Sha512_digest& right) {
    uint8_t difference = 0;
    for (size_t i = 0; i < sizeof(left.bytes); ++i) difference |= static_cast<uint8_t>(left.bytes[i] ^ right.bytes[i]);
    return difference == 0;
  }
};

class Sha512 {
 public:
  Sha512();

  // Hashes `size` more bytes at `data` (which may be null if size is 0).
  // Whole 128-byte blocks are compressed straight from `data`; only a
  // partial block at either end is copied into the object.
  void update(const void* data, size_t size);

  // The digest of everything passed to update() since construction, the last
  // finish() or reset(). Leaves the object reset, ready for a new message.
  [[nodiscard]] Sha512_digest finish();

  // Discards any message in progress.
  void reset();

 private:
  void compress(const uint8_t* block);

  static constexpr size_t block_size = 128;

  uint64_t state_[8];  // the intermediate hash value H(i)
  // Only the first buffered_ bytes are meaningful; left uninitialised so that
  // a hasher on the stack costs no 128-byte clear.
  uint8_t buffer_[block_size];
  size_t buffered_;
  // Bytes hashed so far. The standard allows messages below 2^128 bits; a
  // 64-bit byte count covers everything this code can be handed.
  uint64_t total_bytes_;
};

// The SHA-512 digest of `size` bytes at `data`, in one call.
[[nodiscard]] Sha512_digest sha512(const void* data, size_t size);

// 128 lowercase hex digits and a terminating NUL.
inline constexpr size_t sha512_hex_buffer_size = 129;

// Writes the digest as NUL-terminated lowercase hex into `text`, and returns
// `text` so a log call can take it directly.
const char* format_hex(const Sha512_digest& digest, char (&text)[sha512_hex_buffer_size]);

}  // namespace kestrel
