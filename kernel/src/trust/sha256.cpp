// SPDX-License-Identifier: Apache-2.0
// SHA-256: FIPS 180-4's constants for it, its instantiation of Sha2 (the
// digest of measured boot) and the seam to the block function in use.
#include <kestrel/sha256.hpp>

#include "sha2_algorithm.hpp"

namespace kestrel {

// H(0) of FIPS 180-4 section 5.3.3: the first 32 bits of the fractional parts
// of the square roots of the first eight primes.
const uint32_t Sha256_parameters::initial_state[8] = {0x6a09'e667U, 0xbb67'ae85U, 0x3c6e'f372U, 0xa54f'f53aU,
                                                      0x510e'527fU, 0x9b05'688cU, 0x1f83'd9abU, 0x5be0'cd19U};

// K of FIPS 180-4 section 4.2.2: the first 32 bits of the fractional parts
// of the cube roots of the first 64 primes.
const uint32_t Sha256_parameters::round_constants[64] = {
    0x428a'2f98U, 0x7137'4491U, 0xb5c0'fbcfU, 0xe9b5'dba5U, 0x3956'c25bU, 0x59f1'11f1U, 0x923f'82a4U, 0xab1c'5ed5U,
    0xd807'aa98U, 0x1283'5b01U, 0x2431'85beU, 0x550c'7dc3U, 0x72be'5d74U, 0x80de'b1feU, 0x9bdc'06a7U, 0xc19b'f174U,
    0xe49b'69c1U, 0xefbe'4786U, 0x0fc1'9dc6U, 0x240c'a1ccU, 0x2de9'2c6fU, 0x4a74'84aaU, 0x5cb0'a9dcU, 0x76f9'88daU,
    0x983e'5152U, 0xa831'c66dU, 0xb003'27c8U, 0xbf59'7fc7U, 0xc6e0'0bf3U, 0xd5a7'9147U, 0x06ca'6351U, 0x1429'2967U,
    0x27b7'0a85U, 0x2e1b'2138U, 0x4d2c'6dfcU, 0x5338'0d13U, 0x650a'7354U, 0x766a'0abbU, 0x81c2'c92eU, 0x9272'2c85U,
    0xa2bf'e8a1U, 0xa81a'664bU, 0xc24b'8b70U, 0xc76c'51a3U, 0xd192'e819U, 0xd699'0624U, 0xf40e'3585U, 0x106a'a070U,
    0x19a4'c116U, 0x1e37'6c08U, 0x2748'774cU, 0x34b0'bcb5U, 0x391c'0cb3U, 0x4ed8'aa4aU, 0x5b9c'ca4fU, 0x682e'6ff3U,
    0x748f'82eeU, 0x78a5'636fU, 0x84c8'7814U, 0x8cc7'0208U, 0x90be'fffaU, 0xa450'6cebU, 0xbef9'a3f7U, 0xc671'78f2U,
};

void sha256_blocks_portable(uint32_t (&state)[8], const uint8_t* blocks, size_t count) {
  sha2::compress_blocks_portable<Sha256_parameters>(state, blocks, count);
}

namespace {
// Written once, at boot, before anything is hashed (the kernel's selection
// runs before partitions are measured).
Sha256_block_function block_function = sha256_blocks_portable;
}  // namespace

void use_sha256_blocks(Sha256_block_function function) { block_function = function; }

void Sha256_parameters::compress_blocks(uint32_t (&state)[8], const uint8_t* blocks, size_t count) {
  block_function(state, blocks, count);
}

template class Sha2<Sha256_parameters>;
template const char* format_hex(const Sha256_digest&, char (&)[sha256_hex_buffer_size]);

Sha256_digest sha256(const void* data, size_t size) {
  Sha256 hasher;
  hasher.update(data, size);
  return hasher.finish();
}

}  // namespace kestrel
