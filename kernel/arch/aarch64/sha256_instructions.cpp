// SPDX-License-Identifier: Apache-2.0
// SHA-256 blocks with the Armv8 Cryptographic Extension (SHA256H, SHA256H2,
// SHA256SU0, SHA256SU1), through the ACLE intrinsics of <arm_neon.h>.
//
// The one kernel file built without -mgeneral-regs-only (and with
// -march=armv8-a+crypto; kernel/CMakeLists.txt): the compiler may use any
// SIMD register here. So nothing may call this but sha256_select.cpp's
// wrapper, which opens FP/SIMD to EL2 and saves and restores every SIMD
// register around the call (a thread's values may be in them), and only
// where ID_AA64ISAR0_EL1.SHA2 says the instructions exist.
#include <arm_neon.h>

#include <arch/sha256_instructions.hpp>
#include <kestrel/sha256.hpp>

namespace kestrel::arch {

namespace {

// Loads and stores by LD1/ST1 of the element size in asm: under
// -mstrict-align GCC assembles vld1q_u8 and vld1q_u32 from byte or word
// loads through general registers (a 16-byte LDR Q must be aligned), which
// cost 150 instructions a block. LD1 only needs its elements aligned, so
// these work at any address, even with the MMU off (Device memory).
uint8x16_t load_bytes(const uint8_t* bytes) {
  uint8x16_t value;
  asm("ld1 {%0.16b}, [%1]" : "=w"(value) : "r"(bytes), "m"(*reinterpret_cast<const uint8_t(*)[16]>(bytes)));
  return value;
}

uint32x4_t load_words(const uint32_t* words) {
  uint32x4_t value;
  asm("ld1 {%0.4s}, [%1]" : "=w"(value) : "r"(words), "m"(*reinterpret_cast<const uint32_t(*)[4]>(words)));
  return value;
}

void store_words(uint32_t* words, uint32x4_t value) {
  asm("st1 {%1.4s}, [%2]" : "=m"(*reinterpret_cast<uint32_t(*)[4]>(words)) : "w"(value), "r"(words));
}

// Four of a block's 16 message words, big-endian in memory: a byte swap
// within each word.
uint32x4_t load_message_words(const uint8_t* bytes) { return vreinterpretq_u32_u8(vrev32q_u8(load_bytes(bytes))); }

}  // namespace

void sha256_blocks_with_simd_registers(uint32_t (&state)[8], const uint8_t* blocks, size_t count) {
  const uint32_t* const k = Sha256_parameters::round_constants;
  uint32x4_t abcd = load_words(state);
  uint32x4_t efgh = load_words(state + 4);
  for (; count > 0; --count, blocks += 64) {
    // W[4i .. 4i+3] of the current four-round group i lives in
    // message[i % 4]; once used (i < 12), it becomes W[4i+16 .. 4i+19].
    uint32x4_t message[4] = {load_message_words(blocks), load_message_words(blocks + 16),
                             load_message_words(blocks + 32), load_message_words(blocks + 48)};
    const uint32x4_t abcd_before = abcd;
    const uint32x4_t efgh_before = efgh;
#pragma GCC unroll 16
    for (unsigned i = 0; i < 16; ++i) {
      const uint32x4_t word_plus_constant = vaddq_u32(message[i % 4], load_words(k + 4 * i));
      const uint32x4_t abcd_of_group = abcd;
      // Four rounds: SHA256H gives the new a..d, SHA256H2 the new e..h
      // (it needs a..d as they were before the four rounds).
      abcd = vsha256hq_u32(abcd, efgh, word_plus_constant);
      efgh = vsha256h2q_u32(efgh, abcd_of_group, word_plus_constant);
      if (i < 12) {
        // W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], four at a time.
        message[i % 4] = vsha256su1q_u32(vsha256su0q_u32(message[i % 4], message[(i + 1) % 4]), message[(i + 2) % 4],
                                         message[(i + 3) % 4]);
      }
    }
    abcd = vaddq_u32(abcd, abcd_before);
    efgh = vaddq_u32(efgh, efgh_before);
  }
  store_words(state, abcd);
  store_words(state + 4, efgh);
}

}  // namespace kestrel::arch
