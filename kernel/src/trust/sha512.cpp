// SPDX-License-Identifier: Apache-2.0
// SHA-512: FIPS 180-4's constants for it and its instantiation of Sha2 (the hash inside Ed25519).
#include <kestrel/sha512.hpp>

#include "sha2_algorithm.hpp"

namespace kestrel {

// H(0) of FIPS 180-4 section 5.3.5: the first 64 bits of the fractional parts
// of the square roots of the first eight primes.
const uint64_t Sha512_parameters::initial_state[8] = {
    0x6a09'e667'f3bc'c908U, 0xbb67'ae85'84ca'a73bU, 0x3c6e'f372'fe94'f82bU, 0xa54f'f53a'5f1d'36f1U,
    0x510e'527f'ade6'82d1U, 0x9b05'688c'2b3e'6c1fU, 0x1f83'd9ab'fb41'bd6bU, 0x5be0'cd19'137e'2179U,
};

// K of FIPS 180-4 section 4.2.3: the first 64 bits of the fractional parts
// of the cube roots of the first 80 primes.
const uint64_t Sha512_parameters::round_constants[80] = {
    0x428a'2f98'd728'ae22U, 0x7137'4491'23ef'65cdU, 0xb5c0'fbcf'ec4d'3b2fU, 0xe9b5'dba5'8189'dbbcU,
    0x3956'c25b'f348'b538U, 0x59f1'11f1'b605'd019U, 0x923f'82a4'af19'4f9bU, 0xab1c'5ed5'da6d'8118U,
    0xd807'aa98'a303'0242U, 0x1283'5b01'4570'6fbeU, 0x2431'85be'4ee4'b28cU, 0x550c'7dc3'd5ff'b4e2U,
    0x72be'5d74'f27b'896fU, 0x80de'b1fe'3b16'96b1U, 0x9bdc'06a7'25c7'1235U, 0xc19b'f174'cf69'2694U,
    0xe49b'69c1'9ef1'4ad2U, 0xefbe'4786'384f'25e3U, 0x0fc1'9dc6'8b8c'd5b5U, 0x240c'a1cc'77ac'9c65U,
    0x2de9'2c6f'592b'0275U, 0x4a74'84aa'6ea6'e483U, 0x5cb0'a9dc'bd41'fbd4U, 0x76f9'88da'8311'53b5U,
    0x983e'5152'ee66'dfabU, 0xa831'c66d'2db4'3210U, 0xb003'27c8'98fb'213fU, 0xbf59'7fc7'beef'0ee4U,
    0xc6e0'0bf3'3da8'8fc2U, 0xd5a7'9147'930a'a725U, 0x06ca'6351'e003'826fU, 0x1429'2967'0a0e'6e70U,
    0x27b7'0a85'46d2'2ffcU, 0x2e1b'2138'5c26'c926U, 0x4d2c'6dfc'5ac4'2aedU, 0x5338'0d13'9d95'b3dfU,
    0x650a'7354'8baf'63deU, 0x766a'0abb'3c77'b2a8U, 0x81c2'c92e'47ed'aee6U, 0x9272'2c85'1482'353bU,
    0xa2bf'e8a1'4cf1'0364U, 0xa81a'664b'bc42'3001U, 0xc24b'8b70'd0f8'9791U, 0xc76c'51a3'0654'be30U,
    0xd192'e819'd6ef'5218U, 0xd699'0624'5565'a910U, 0xf40e'3585'5771'202aU, 0x106a'a070'32bb'd1b8U,
    0x19a4'c116'b8d2'd0c8U, 0x1e37'6c08'5141'ab53U, 0x2748'774c'df8e'eb99U, 0x34b0'bcb5'e19b'48a8U,
    0x391c'0cb3'c5c9'5a63U, 0x4ed8'aa4a'e341'8acbU, 0x5b9c'ca4f'7763'e373U, 0x682e'6ff3'd6b2'b8a3U,
    0x748f'82ee'5def'b2fcU, 0x78a5'636f'4317'2f60U, 0x84c8'7814'a1f0'ab72U, 0x8cc7'0208'1a64'39ecU,
    0x90be'fffa'2363'1e28U, 0xa450'6ceb'de82'bde9U, 0xbef9'a3f7'b2c6'7915U, 0xc671'78f2'e372'532bU,
    0xca27'3ece'ea26'619cU, 0xd186'b8c7'21c0'c207U, 0xeada'7dd6'cde0'eb1eU, 0xf57d'4f7f'ee6e'd178U,
    0x06f0'67aa'7217'6fbaU, 0x0a63'7dc5'a2c8'98a6U, 0x113f'9804'bef9'0daeU, 0x1b71'0b35'131c'471bU,
    0x28db'77f5'2304'7d84U, 0x32ca'ab7b'40c7'2493U, 0x3c9e'be0a'15c9'bebcU, 0x431d'67c4'9c10'0d4cU,
    0x4cc5'd4be'cb3e'42b6U, 0x597f'299c'fc65'7e2aU, 0x5fcb'6fab'3ad6'faecU, 0x6c44'198c'4a47'5817U,
};

void Sha512_parameters::compress_blocks(uint64_t (&state)[8], const uint8_t* blocks, size_t count) {
  sha2::compress_blocks_portable<Sha512_parameters>(state, blocks, count);
}

template class Sha2<Sha512_parameters>;
template const char* format_hex(const Sha512_digest&, char (&)[sha512_hex_buffer_size]);

Sha512_digest sha512(const void* data, size_t size) {
  Sha512 hasher;
  hasher.update(data, size);
  return hasher.finish();
}

}  // namespace kestrel
