// SPDX-License-Identifier: Apache-2.0
// SHA-256 (FIPS 180-4): the digest the kernel checks each partition's memory against.
//
// The image builder on the host runs this same code to compute the digests
// it stores, so host and kernel cannot disagree about padding or byte order.
// Freestanding: no heap, no libc calls, no unaligned loads (early boot may
// hash with the MMU off), general registers only.
//
// Streaming use: Sha256 hasher; hasher.update(...)...; hasher.finish().
// One-shot: sha256(data, size).
#pragma once

#include <cstddef>
#include <cstdint>

namespace kestrel {

struct Sha256_digest {
  uint8_t bytes[32];

  // A plain loop rather than a defaulted comparison, which the compiler may
  // lower to a memcmp call that the kernel does not have.
  [[nodiscard]] friend constexpr bool operator==(const Sha256_digest& left, const Sha256_digest& right) {
    uint8_t difference = 0;
    for (size_t i = 0; i < sizeof(left.bytes); ++i) difference |= static_cast<uint8_t>(left.bytes[i] ^ right.bytes[i]);
    return difference == 0;
  }
};

class Sha256 {
 public:
  Sha256();

  // Hashes `size` more bytes at `data` (which may be null if size is 0).
  // Whole 64-byte blocks are compressed straight from `data`; only a partial
  // block at either end is copied into the object.
  void update(const void* data, size_t size);

  // The digest of everything passed to update() since construction, the last
  // finish() or reset(). Leaves the object reset, ready for a new message.
  [[nodiscard]] Sha256_digest finish();

  // Discards any message in progress.
  void reset();

 private:
  void compress(const uint8_t* block);

  static constexpr size_t block_size = 64;

  uint32_t state_[8];  // the intermediate hash value H(i)
  // Only the first buffered_ bytes are meaningful; left uninitialised so that
  // a hasher on the stack costs no 64-byte clear.
  uint8_t buffer_[block_size];
  size_t buffered_;
  // Bytes hashed so far: padding encodes the message length in bits, which
  // the standard limits to below 2^64.
  uint64_t total_bytes_;
};

// The SHA-256 digest of `size` bytes at `data`, in one call.
[[nodiscard]] Sha256_digest sha256(const void* data, size_t size);

// 64 lowercase hex digits and a terminating NUL.
inline constexpr size_t sha256_hex_buffer_size = 65;

// Writes the digest as NUL-terminated lowercase hex into `text`, and returns
// `text` so a log call can take it directly.
const char* format_hex(const Sha256_digest& digest, char (&text)[sha256_hex_buffer_size]);

}  // namespace kestrel
