// SPDX-License-Identifier: Apache-2.0
// SHA-2's algorithm (FIPS 180-4 sections 4.1, 5.1 and 6.2/6.4) for any
// Parameters: included only by the files that instantiate Sha2 (sha256.cpp,
// sha512.cpp), so each hash is compiled where it is wanted and nowhere else.
#pragma once

#include <kestrel/sha2.hpp>

namespace kestrel::sha2 {

template <typename Word>
constexpr Word rotate_right(Word value, unsigned count) {
  return static_cast<Word>((value >> count) | (value << (8 * sizeof(Word) - count)));
}

// Two rotations and a third: a rotation for Σ (big sigma), a shift for σ (small sigma).
template <typename Word>
constexpr Word big_sigma(Word x, const unsigned (&amounts)[3]) {
  return rotate_right(x, amounts[0]) ^ rotate_right(x, amounts[1]) ^ rotate_right(x, amounts[2]);
}
template <typename Word>
constexpr Word small_sigma(Word x, const unsigned (&amounts)[3]) {
  return rotate_right(x, amounts[0]) ^ rotate_right(x, amounts[1]) ^ static_cast<Word>(x >> amounts[2]);
}

template <typename Word>
constexpr Word choose(Word x, Word y, Word z) {
  return (x & y) ^ (~x & z);
}
template <typename Word>
constexpr Word majority(Word x, Word y, Word z) {
  return (x & y) ^ (x & z) ^ (y & z);
}

// Byte by byte, so neither the alignment of the input nor the host's byte
// order matters (-mstrict-align forbids unaligned word loads). Unrolled:
// GCC -O2 otherwise keeps this a loop inside compress_portable()'s loop over the 16
// words, which costs SHA-256 7% and SHA-512 10% (host, 64 MiB).
template <typename Word>
Word load_big_endian(const uint8_t* bytes) {
  Word value = 0;
#pragma GCC unroll 8
  for (size_t i = 0; i < sizeof(Word); ++i) value = static_cast<Word>(value << 8 | bytes[i]);
  return value;
}

template <typename Word>
void store_big_endian(uint8_t* bytes, Word value) {
  for (size_t i = sizeof(Word); i-- > 0; value = static_cast<Word>(value >> 8)) bytes[i] = static_cast<uint8_t>(value);
}

// The message schedule is kept as a 16-word window (W[t] lives in
// schedule[t % 16]) rather than all 64 or 80 words: 64 or 128 bytes of
// kernel stack instead of 256 or 640.
template <typename Parameters, typename Word>
void extend_schedule(Word (&schedule)[16], size_t t) {
  schedule[t % 16] += small_sigma(schedule[(t - 2) % 16], Parameters::small_sigma1) + schedule[(t - 7) % 16] +
                      small_sigma(schedule[(t - 15) % 16], Parameters::small_sigma0);
}

// One round of section 6.2.2 / 6.4.2 step 3. Instead of shifting all eight
// working variables along, the caller rotates which variable plays which
// role, so a round only writes the two that change (d gains T1, h becomes
// the new a).
template <typename Parameters, typename Word>
inline void compression_round(Word a, Word b, Word c, Word& d, Word e, Word f, Word g, Word& h, Word round_constant,
                              Word word) {
  const Word t1 = h + big_sigma(e, Parameters::big_sigma1) + choose(e, f, g) + round_constant + word;
  const Word t2 = big_sigma(a, Parameters::big_sigma0) + majority(a, b, c);
  d += t1;
  h = t1 + t2;
}

// The portable compression of one block (section 6.2.2 / 6.4.2, steps 1 to 4).
template <typename Parameters, typename Word>
void compress_portable(Word (&state)[8], const uint8_t* block) {
  static_assert(Parameters::rounds % 8 == 0);
  Word schedule[16];
  for (size_t i = 0; i < 16; ++i) schedule[i] = load_big_endian<Word>(block + sizeof(Word) * i);

  Word a = state[0], b = state[1], c = state[2], d = state[3];
  Word e = state[4], f = state[5], g = state[6], h = state[7];
  // Eight rounds per iteration bring the roles back to where they started.
  for (size_t t = 0; t < Parameters::rounds; t += 8) {
    if (t >= 16) {
      for (size_t i = 0; i < 8; ++i) extend_schedule<Parameters>(schedule, t + i);
    }
    const Word* k = Parameters::round_constants + t;
    const Word* w = schedule + t % 16;
    compression_round<Parameters>(a, b, c, d, e, f, g, h, k[0], w[0]);
    compression_round<Parameters>(h, a, b, c, d, e, f, g, k[1], w[1]);
    compression_round<Parameters>(g, h, a, b, c, d, e, f, k[2], w[2]);
    compression_round<Parameters>(f, g, h, a, b, c, d, e, k[3], w[3]);
    compression_round<Parameters>(e, f, g, h, a, b, c, d, k[4], w[4]);
    compression_round<Parameters>(d, e, f, g, h, a, b, c, k[5], w[5]);
    compression_round<Parameters>(c, d, e, f, g, h, a, b, k[6], w[6]);
    compression_round<Parameters>(b, c, d, e, f, g, h, a, k[7], w[7]);
  }

  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

template <typename Parameters, typename Word>
void compress_blocks_portable(Word (&state)[8], const uint8_t* blocks, size_t count) {
  for (; count > 0; --count, blocks += 16 * sizeof(Word)) compress_portable<Parameters>(state, blocks);
}

}  // namespace kestrel::sha2

namespace kestrel {

template <typename Parameters>
void Sha2<Parameters>::update(const void* data, size_t size) {
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
    compress(buffer_, 1);
    buffered_ = 0;
  }

  // Every whole block in one call: a block function that uses the SHA-2
  // instructions loads its constants and saves the SIMD registers once.
  if (const size_t whole_blocks = size / block_size; whole_blocks > 0) {
    compress(bytes, whole_blocks);
    bytes += whole_blocks * block_size;
    size -= whole_blocks * block_size;
  }

  for (size_t i = 0; i < size; ++i) buffer_[i] = bytes[i];
  buffered_ = size;
}

template <typename Parameters>
auto Sha2<Parameters>::finish() -> Digest {
  using namespace sha2;
  // Sections 5.1.1 and 5.1.2: a 1 bit, zeros, then the message length in
  // bits as a big-endian number of two words (64 or 128 bits). Its upper
  // 64 bits (SHA-512 only) hold the three bits shifted out of the byte count.
  constexpr size_t length_offset = block_size - 2 * sizeof(Word);
  buffer_[buffered_++] = 0x80;
  if (buffered_ > length_offset) {
    while (buffered_ < block_size) buffer_[buffered_++] = 0;
    compress(buffer_, 1);
    buffered_ = 0;
  }
  while (buffered_ < block_size - 8) buffer_[buffered_++] = 0;
  if constexpr (sizeof(Word) == 8) store_big_endian<uint64_t>(buffer_ + length_offset, total_bytes_ >> 61);
  store_big_endian<uint64_t>(buffer_ + block_size - 8, total_bytes_ << 3);
  compress(buffer_, 1);

  Digest digest;
  for (size_t i = 0; i < 8; ++i) store_big_endian<Word>(digest.bytes + sizeof(Word) * i, state_[i]);
  reset();
  return digest;
}

template <typename Parameters>
void Sha2<Parameters>::reset() {
  for (size_t i = 0; i < 8; ++i) state_[i] = Parameters::initial_state[i];
  buffered_ = 0;
  total_bytes_ = 0;
}

template <size_t Size>
const char* format_hex(const Sha2_digest<Size>& digest, char (&text)[2 * Size + 1]) {
  static constexpr char hex_digits[] = "0123456789abcdef";
  for (size_t i = 0; i < Size; ++i) {
    text[2 * i] = hex_digits[digest.bytes[i] >> 4];
    text[2 * i + 1] = hex_digits[digest.bytes[i] & 0xf];
  }
  text[2 * Size] = '\0';
  return text;
}

}  // namespace kestrel
