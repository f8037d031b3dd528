// SPDX-License-Identifier: Apache-2.0
// SHA-512 (FIPS 180-4): the hash inside Ed25519, which signs boot-info.
//
// Linked only into kernels built with a boot public key (and into the host
// tools and tests).
//
// Streaming use: Sha512 hasher; hasher.update(...)...; hasher.finish().
// One-shot: sha512(data, size).
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/sha2.hpp>

namespace kestrel {

// FIPS 180-4 sections 4.1.3, 4.2.3 and 5.3.5.
struct Sha512_parameters {
  using Word = uint64_t;
  static constexpr size_t rounds = 80;
  // Rotations of the Σ0 and Σ1 functions, rotations and shift of σ0 and σ1.
  static constexpr unsigned big_sigma0[3] = {28, 34, 39};
  static constexpr unsigned big_sigma1[3] = {14, 18, 41};
  static constexpr unsigned small_sigma0[3] = {1, 8, 7};
  static constexpr unsigned small_sigma1[3] = {19, 61, 6};
  static const Word initial_state[8];
  static const Word round_constants[rounds];
  // Always the portable code: Armv8.2's SHA-512 instructions (FEAT_SHA512)
  // are missing from the Cortex-A72 and A57, and SHA-512 only hashes
  // boot-info's signature (a few KiB), never a partition.
  static void compress_blocks(Word (&state)[8], const uint8_t* blocks, size_t count);
};

using Sha512 = Sha2<Sha512_parameters>;
extern template class Sha2<Sha512_parameters>;  // instantiated in trust/sha512.cpp
using Sha512_digest = Sha512::Digest;
static_assert(sizeof(Sha512_digest) == 64);

// The SHA-512 digest of `size` bytes at `data`, in one call.
[[nodiscard]] Sha512_digest sha512(const void* data, size_t size);

// 128 lowercase hex digits and a terminating NUL (format_hex in sha2.hpp).
inline constexpr size_t sha512_hex_buffer_size = 129;

}  // namespace kestrel
