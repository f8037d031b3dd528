// SPDX-License-Identifier: Apache-2.0
// SHA-256 (FIPS 180-4): the digest the kernel checks each partition's memory against.
//
// The image builder on the host runs this same code to compute the digests
// it stores, so host and kernel cannot disagree about padding or byte order.
//
// Streaming use: Sha256 hasher; hasher.update(...)...; hasher.finish().
// One-shot: sha256(data, size).
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/sha2.hpp>

namespace kestrel {

// FIPS 180-4 sections 4.1.2, 4.2.2 and 5.3.3.
struct Sha256_parameters {
  using Word = uint32_t;
  static constexpr size_t rounds = 64;
  // Rotations of the Σ0 and Σ1 functions, rotations and shift of σ0 and σ1.
  static constexpr unsigned big_sigma0[3] = {2, 13, 22};
  static constexpr unsigned big_sigma1[3] = {6, 11, 25};
  static constexpr unsigned small_sigma0[3] = {7, 18, 3};
  static constexpr unsigned small_sigma1[3] = {17, 19, 10};
  static const Word initial_state[8];
  static const Word round_constants[rounds];
  // Through the block function in use (use_sha256_blocks, below).
  static void compress_blocks(Word (&state)[8], const uint8_t* blocks, size_t count);
};

// Compresses `count` consecutive 64-byte blocks into `state` (FIPS 180-4
// section 6.2.2, steps 1 to 4, once per block). Blocks need no alignment.
using Sha256_block_function = void (*)(uint32_t (&state)[8], const uint8_t* blocks, size_t count);

// The portable block function: plain C++, general registers only.
void sha256_blocks_portable(uint32_t (&state)[8], const uint8_t* blocks, size_t count);

// Makes every Sha256 compress with `function` from now on. Until then, and
// on the host always, it is sha256_blocks_portable; the kernel picks the
// Armv8 SHA-2 instructions at boot where the CPU has them (kernel/arch/
// aarch64/sha256_select.cpp). The two must give the same digests (both run
// the same vectors: tests/vectors/sha256_vectors.hpp).
void use_sha256_blocks(Sha256_block_function function);

using Sha256 = Sha2<Sha256_parameters>;
extern template class Sha2<Sha256_parameters>;  // instantiated in trust/sha256.cpp
using Sha256_digest = Sha256::Digest;
static_assert(sizeof(Sha256_digest) == 32);

// The SHA-256 digest of `size` bytes at `data`, in one call.
[[nodiscard]] Sha256_digest sha256(const void* data, size_t size);

// 64 lowercase hex digits and a terminating NUL (format_hex in sha2.hpp).
inline constexpr size_t sha256_hex_buffer_size = 65;

}  // namespace kestrel
