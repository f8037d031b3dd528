// SPDX-License-Identifier: Apache-2.0
// SHA-2 (FIPS 180-4): the one streaming hasher behind Sha256 and Sha512.
//
// The two differ only in their word size, round count, constants and
// rotation amounts (a Parameters struct, see sha256.hpp and sha512.hpp);
// buffering, padding and the round structure are the same code. Each
// parameter set is instantiated in its own file (trust/sha256.cpp,
// trust/sha512.cpp), so a kernel links only the hashes it calls.
// Freestanding: no heap, no libc calls, no unaligned loads (early boot may
// hash with the MMU off), general registers only. Blocks are compressed by
// Parameters::compress_blocks, where SHA-256 may use the CPU's SHA-2
// instructions instead (sha256.hpp).
#pragma once

#include <cstddef>
#include <cstdint>

namespace kestrel {

template <size_t Size>
struct Sha2_digest {
  uint8_t bytes[Size];

  // A plain loop rather than a defaulted comparison, which the compiler may
  // lower to a memcmp call that the kernel does not have.
  [[nodiscard]] friend constexpr bool operator==(const Sha2_digest& left, const Sha2_digest& right) {
    uint8_t difference = 0;
    for (size_t i = 0; i < Size; ++i) difference |= static_cast<uint8_t>(left.bytes[i] ^ right.bytes[i]);
    return difference == 0;
  }
};

template <typename Parameters>
class Sha2 {
 public:
  using Word = typename Parameters::Word;
  // SHA-256 and SHA-512 output their whole state (no truncated variants here).
  using Digest = Sha2_digest<8 * sizeof(Word)>;

  Sha2() { reset(); }

  // Hashes `size` more bytes at `data` (which may be null if size is 0).
  // Whole blocks are compressed straight from `data`; only a partial block
  // at either end is copied into the object.
  void update(const void* data, size_t size);

  // The digest of everything passed to update() since construction, the last
  // finish() or reset(). Leaves the object reset, ready for a new message.
  [[nodiscard]] Digest finish();

  // Discards any message in progress.
  void reset();

 private:
  // `count` whole blocks into state_, through Parameters::compress_blocks.
  void compress(const uint8_t* blocks, size_t count) { Parameters::compress_blocks(state_, blocks, count); }

  static constexpr size_t block_size = 16 * sizeof(Word);

  Word state_[8];  // the intermediate hash value H(i)
  // Only the first buffered_ bytes are meaningful; left uninitialised so that
  // a hasher on the stack costs no clear of a block.
  uint8_t buffer_[block_size];
  size_t buffered_;
  // Bytes hashed so far. Padding encodes the length in bits, as 64 bits
  // (SHA-256) or 128 bits (SHA-512); a 64-bit byte count covers everything
  // this code can be handed.
  uint64_t total_bytes_;
};

// Writes the digest as NUL-terminated lowercase hex into `text`, and returns
// `text` so a log call can take it directly. Instantiated with each hash
// (out of line: the kernel logs digests in several places).
template <size_t Size>
const char* format_hex(const Sha2_digest<Size>& digest, char (&text)[2 * Size + 1]);

}  // namespace kestrel
