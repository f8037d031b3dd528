// SPDX-License-Identifier: Apache-2.0
// SHA-256: block compression, padding and hex formatting, per FIPS 180-4.
#include <kestrel/sha256.hpp>

namespace kestrel {
namespace {

// H(0) of FIPS 180-4 section 5.3.3: the first 32 bits of the fractional parts
// of the square roots of the first eight primes.
constexpr uint32_t initial_state[8] = {0x6a09'e667U, 0xbb67'ae85U, 0x3c6e'f372U, 0xa54f'f53aU,
                                       0x510e'527fU, 0x9b05'688cU, 0x1f83'd9abU, 0x5be0'cd19U};

// K of FIPS 180-4 section 4.2.2: the first 32 bits of the fractional parts
// of the cube roots of the first 64 primes.
constexpr uint32_t round_constants[64] = {
    0x428a'2f98U, 0x7137'4491U, 0xb5c0'fbcfU, 0xe9b5'dba5U, 0x3956'c25bU, 0x59f1'11f1U, 0x923f'82a4U, 0xab1c'5ed5U,
    0xd807'aa98U, 0x1283'5b01U, 0x2431'85beU, 0x550c'7dc3U, 0x72be'5d74U, 0x80de'b1feU, 0x9bdc'06a7U, 0xc19b'f174U,
    0xe49b'69c1U, 0xefbe'4786U, 0x0fc1'9dc6U, 0x240c'a1ccU, 0x2de9'2c6fU, 0x4a74'84aaU, 0x5cb0'a9dcU, 0x76f9'88daU,
    0x983e'5152U, 0xa831'c66dU, 0xb003'27c8U, 0xbf59'7fc7U, 0xc6e0'0bf3U, 0xd5a7'9147U, 0x06ca'6351U, 0x1429'2967U,
    0x27b7'0a85U, 0x2e1b'2138U, 0x4d2c'6dfcU, 0x5338'0d13U, 0x650a'7354U, 0x766a'0abbU, 0x81c2'c92eU, 0x9272'2c85U,
    0xa2bf'e8a1U, 0xa81a'664bU, 0xc24b'8b70U, 0xc76c'51a3U, 0xd192'e819U, 0xd699'0624U, 0xf40e'3585U, 0x106a'a070U,
    0x19a4'c116U, 0x1e37'6c08U, 0x2748'774cU, 0x34b0'bcb5U, 0x391c'0cb3U, 0x4ed8'aa4aU, 0x5b9c'ca4fU, 0x682e'6ff3U,
    0x748f'82eeU, 0x78a5'636fU, 0x84c8'7814U, 0x8cc7'0208U, 0x90be'fffaU, 0xa450'6cebU, 0xbef9'a3f7U, 0xc671'78f2U,
};

constexpr uint32_t rotate_right(uint32_t value, unsigned count) { return (value >> count) | (value << (32 - count)); }

// The functions of FIPS 180-4 section 4.1.2.
constexpr uint32_t choose(uint32_t x, uint32_t y, uint32_t z) { return (x & y) ^ (~x & z); }
constexpr uint32_t majority(uint32_t x, uint32_t y, uint32_t z) { return (x & y) ^ (x & z) ^ (y & z); }
constexpr uint32_t big_sigma0(uint32_t x) { return rotate_right(x, 2) ^ rotate_right(x, 13) ^ rotate_right(x, 22); }
constexpr uint32_t big_sigma1(uint32_t x) { return rotate_right(x, 6) ^ rotate_right(x, 11) ^ rotate_right(x, 25); }
constexpr uint32_t small_sigma0(uint32_t x) { return rotate_right(x, 7) ^ rotate_right(x, 18) ^ (x >> 3); }
constexpr uint32_t small_sigma1(uint32_t x) { return rotate_right(x, 17) ^ rotate_right(x, 19) ^ (x >> 10); }

// Byte by byte, so neither the alignment of the input nor the host's byte
// order matters (-mstrict-align forbids unaligned word loads).
uint32_t load_big_endian32(const uint8_t* bytes) {
  return static_cast<uint32_t>(bytes[0]) << 24 | static_cast<uint32_t>(bytes[1]) << 16 |
         static_cast<uint32_t>(bytes[2]) << 8 | static_cast<uint32_t>(bytes[3]);
}

void store_big_endian32(uint8_t* bytes, uint32_t value) {
  for (int i = 3; i >= 0; --i, value >>= 8) bytes[i] = static_cast<uint8_t>(value);
}

// The message schedule is kept as a 16-word window (W[t] lives in
// schedule[t % 16]) rather than all 64 words: 64 bytes of kernel stack instead of 256.
void extend_schedule(uint32_t (&schedule)[16], size_t t) {
  schedule[t % 16] +=
      small_sigma1(schedule[(t - 2) % 16]) + schedule[(t - 7) % 16] + small_sigma0(schedule[(t - 15) % 16]);
}

// Round t of section 6.2.2 step 3. Instead of shifting all eight working
// variables along, the caller rotates which variable plays which role, so a
// round only writes the two that change (d gains T1, h becomes the new a).
inline void compression_round(uint32_t a, uint32_t b, uint32_t c, uint32_t& d, uint32_t e, uint32_t f, uint32_t g,
                              uint32_t& h, uint32_t round_constant, uint32_t word) {
  const uint32_t t1 = h + big_sigma1(e) + choose(e, f, g) + round_constant + word;
  const uint32_t t2 = big_sigma0(a) + majority(a, b, c);
  d += t1;
  h = t1 + t2;
}

constexpr char hex_digits[] = "0123456789abcdef";

}  // namespace

void Sha256::compress(const uint8_t* block) {
  uint32_t schedule[16];
  for (size_t i = 0; i < 16; ++i) schedule[i] = load_big_endian32(block + 4 * i);

  uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3];
  uint32_t e = state_[4], f = state_[5], g = state_[6], h = state_[7];
  // Eight rounds per iteration bring the roles back to where they started.
  for (size_t t = 0; t < 64; t += 8) {
    if (t >= 16) {
      for (size_t i = 0; i < 8; ++i) extend_schedule(schedule, t + i);
    }
    const uint32_t* k = round_constants + t;
    const uint32_t* w = schedule + t % 16;
    compression_round(a, b, c, d, e, f, g, h, k[0], w[0]);
    compression_round(h, a, b, c, d, e, f, g, k[1], w[1]);
    compression_round(g, h, a, b, c, d, e, f, k[2], w[2]);
    compression_round(f, g, h, a, b, c, d, e, k[3], w[3]);
    compression_round(e, f, g, h, a, b, c, d, k[4], w[4]);
    compression_round(d, e, f, g, h, a, b, c, k[5], w[5]);
    compression_round(c, d, e, f, g, h, a, b, k[6], w[6]);
    compression_round(b, c, d, e, f, g, h, a, k[7], w[7]);
  }

  state_[0] += a;
  state_[1] += b;
  state_[2] += c;
  state_[3] += d;
  state_[4] += e;
  state_[5] += f;
  state_[6] += g;
  state_[7] += h;
}

void Sha256::update(const void* data, size_t size) {
  const auto* bytes = static_cast<const uint8_t*>(data);
  total_bytes_ += size;

  if (buffered_ > 0) {
    const size_t room = block_size - buffered_;
    const size_t taken = size < room ? size : room;
    for (size_t i = 0; i < taken; ++i) buffer_[buffered_ + i] = bytes[i];
    buffered_ += taken;
    bytes += taken;
    size -= taken;
    if (buffered_ < block_size) return;
    compress(buffer_);
    buffered_ = 0;
  }

  for (; size >= block_size; bytes += block_size, size -= block_size) compress(bytes);

  for (size_t i = 0; i < size; ++i) buffer_[i] = bytes[i];
  buffered_ = size;
}

Sha256_digest Sha256::finish() {
  // Section 5.1.1: a 1 bit, zeros up to 56 bytes into a block, then the
  // message length in bits as a 64-bit big-endian number.
  constexpr size_t length_offset = block_size - 8;
  const uint64_t bit_length = total_bytes_ << 3;

  buffer_[buffered_++] = 0x80;
  if (buffered_ > length_offset) {
    while (buffered_ < block_size) buffer_[buffered_++] = 0;
    compress(buffer_);
    buffered_ = 0;
  }
  while (buffered_ < length_offset) buffer_[buffered_++] = 0;
  store_big_endian32(buffer_ + length_offset, static_cast<uint32_t>(bit_length >> 32));
  store_big_endian32(buffer_ + length_offset + 4, static_cast<uint32_t>(bit_length));
  compress(buffer_);

  Sha256_digest digest;
  for (size_t i = 0; i < 8; ++i) store_big_endian32(digest.bytes + 4 * i, state_[i]);
  reset();
  return digest;
}

Sha256::Sha256() { reset(); }

void Sha256::reset() {
  for (size_t i = 0; i < 8; ++i) state_[i] = initial_state[i];
  buffered_ = 0;
  total_bytes_ = 0;
}

Sha256_digest sha256(const void* data, size_t size) {
  Sha256 hasher;
  hasher.update(data, size);
  return hasher.finish();
}

const char* format_hex(const Sha256_digest& digest, char (&text)[sha256_hex_buffer_size]) {
  for (size_t i = 0; i < sizeof(digest.bytes); ++i) {
    text[2 * i] = hex_digits[digest.bytes[i] >> 4];
    text[2 * i + 1] = hex_digits[digest.bytes[i] & 0xf];
  }
  text[sha256_hex_buffer_size - 1] = '\0';
  return text;
}

}  // namespace kestrel
