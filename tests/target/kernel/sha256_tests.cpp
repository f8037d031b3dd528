// SPDX-License-Identifier: Apache-2.0
// SHA-256 tests on the target: the portable code and the SHA-2 instructions
// against the shared vectors (tests/vectors/sha256_vectors.hpp, which the
// host unit tests run too) and against each other, the choice between them
// from ID_AA64ISAR0_EL1, and that the instructions' wrapper leaves a
// thread's SIMD registers and the FP/SIMD trap as it found them.
#include "ktest.hpp"

#include <arch/fp.hpp>
#include <arch/sha256_instructions.hpp>
#include <arch/sysreg.hpp>
#include <kestrel/bitfield.hpp>
#include <kestrel/sha256.hpp>
#include <sha256_vectors.hpp>

using namespace kestrel;

namespace {

using Isar0_sha2 = Bitfield<12, 4>;

uint64_t read_isar0() {
  uint64_t isar0 = 0;
  asm volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
  return isar0;
}

bool same_text(const char* left, const char* right) {
  for (; *left != '\0' && *left == *right; ++left, ++right) {
  }
  return *left == *right;
}

// Every shared vector through `blocks`; how many gave the wrong digest.
unsigned vectors_failed_with(Sha256_block_function blocks) {
  use_sha256_blocks(blocks);
  unsigned failed = 0;
  for (const test_vectors::Sha256_vector& vector : test_vectors::sha256_vectors) {
    Sha256 hasher;
    for (size_t i = 0; i < vector.repeat; ++i) hasher.update(vector.piece, vector.piece_size);
    char text[sha256_hex_buffer_size];
    if (!same_text(format_hex(hasher.finish(), text), vector.digest)) {
      log("[ktest]   digest {} instead of {}\n", text, vector.digest);
      ++failed;
    }
  }
  use_sha256_blocks(sha256_blocks_portable);
  return failed;
}

uint8_t pseudo_random_bytes[4096 + 16];

void fill_pseudo_random_bytes() {
  uint32_t state = 2024;
  for (uint8_t& byte : pseudo_random_bytes) {
    state = state * 1'103'515'245U + 12'345U;
    byte = static_cast<uint8_t>(state >> 16);
  }
}

Sha256_digest digest_with(Sha256_block_function blocks, const uint8_t* data, size_t size) {
  use_sha256_blocks(blocks);
  const Sha256_digest digest = sha256(data, size);
  use_sha256_blocks(sha256_blocks_portable);
  return digest;
}

struct alignas(16) Simd_image {
  uint64_t words[64];  // V0-V31, two words each
};

// Only with CPTR_EL2.TFP clear: these are the kernel's own SIMD accesses.
void load_simd(const Simd_image& image) {
  uint64_t base = reinterpret_cast<uint64_t>(&image);
  asm volatile(
      ".arch_extension simd\n"
      "ld1 {v0.2d, v1.2d, v2.2d, v3.2d}, [%0], #64\n ld1 {v4.2d, v5.2d, v6.2d, v7.2d}, [%0], #64\n"
      "ld1 {v8.2d, v9.2d, v10.2d, v11.2d}, [%0], #64\n ld1 {v12.2d, v13.2d, v14.2d, v15.2d}, [%0], #64\n"
      "ld1 {v16.2d, v17.2d, v18.2d, v19.2d}, [%0], #64\n ld1 {v20.2d, v21.2d, v22.2d, v23.2d}, [%0], #64\n"
      "ld1 {v24.2d, v25.2d, v26.2d, v27.2d}, [%0], #64\n ld1 {v28.2d, v29.2d, v30.2d, v31.2d}, [%0], #64\n"
      : "+r"(base)
      :
      : "memory");
}

void store_simd(Simd_image& image) {
  uint64_t base = reinterpret_cast<uint64_t>(&image);
  asm volatile(
      ".arch_extension simd\n"
      "st1 {v0.2d, v1.2d, v2.2d, v3.2d}, [%0], #64\n st1 {v4.2d, v5.2d, v6.2d, v7.2d}, [%0], #64\n"
      "st1 {v8.2d, v9.2d, v10.2d, v11.2d}, [%0], #64\n st1 {v12.2d, v13.2d, v14.2d, v15.2d}, [%0], #64\n"
      "st1 {v16.2d, v17.2d, v18.2d, v19.2d}, [%0], #64\n st1 {v20.2d, v21.2d, v22.2d, v23.2d}, [%0], #64\n"
      "st1 {v24.2d, v25.2d, v26.2d, v27.2d}, [%0], #64\n st1 {v28.2d, v29.2d, v30.2d, v31.2d}, [%0], #64\n"
      : "+r"(base)
      :
      : "memory");
}

uint64_t read_cptr() {
  uint64_t value = 0;
  asm volatile("mrs %0, cptr_el2" : "=r"(value));
  return value;
}

}  // namespace

// Every CPU model of QEMU 7.2 (cortex-a53/a57/a72, max) has them; the test
// runs on cortex-a72, so the instruction path below is really taken.
KTEST(sha256, cpu_has_the_sha2_instructions) { KEXPECT_TRUE(Isar0_sha2::get(read_isar0()) != 0); }

KTEST(sha256, choice_follows_isar0) {
  const uint64_t isar0 = read_isar0();
  KEXPECT_TRUE(arch::sha256_blocks_for(Isar0_sha2::set(isar0, 0)) == sha256_blocks_portable);
  KEXPECT_TRUE(arch::sha256_blocks_for(Isar0_sha2::set(isar0, 1)) == arch::sha256_blocks_with_instructions);
  KEXPECT_TRUE(arch::sha256_blocks_for(Isar0_sha2::set(isar0, 2)) == arch::sha256_blocks_with_instructions);
}

KTEST(sha256, portable_code_gives_the_vectors_digests) { KEXPECT_EQ(vectors_failed_with(sha256_blocks_portable), 0u); }

KTEST(sha256, instructions_give_the_vectors_digests) {
  KEXPECT_EQ(vectors_failed_with(arch::sha256_blocks_with_instructions), 0u);
}

// Every length up to 300 bytes (every padding case, 0 to 5 whole blocks in
// one call), then 4 KiB at every start within 16 bytes: both agree.
KTEST(sha256, instructions_agree_with_the_portable_code) {
  fill_pseudo_random_bytes();
  unsigned disagreements = 0;
  for (size_t size = 0; size <= 300; ++size) {
    const bool same = digest_with(sha256_blocks_portable, pseudo_random_bytes, size) ==
                      digest_with(arch::sha256_blocks_with_instructions, pseudo_random_bytes, size);
    if (!same) log("[ktest]   the two disagree on {} bytes\n", size);
    disagreements += same ? 0 : 1;
  }
  for (size_t start = 0; start < 16; ++start) {
    const bool same = digest_with(sha256_blocks_portable, pseudo_random_bytes + start, 4096) ==
                      digest_with(arch::sha256_blocks_with_instructions, pseudo_random_bytes + start, 4096);
    if (!same) log("[ktest]   the two disagree on 4096 bytes from byte {}\n", start);
    disagreements += same ? 0 : 1;
  }
  KEXPECT_EQ(disagreements, 0u);
}

// As vm_restart would find them: a thread's values in V0-V31, FP/SIMD
// trapping (another thread runs). The hash leaves both as they were.
KTEST(sha256, instructions_keep_simd_registers_and_the_fp_trap) {
  const uint64_t cptr_before = read_cptr();
  Simd_image pattern;
  for (uint64_t i = 0; i < 64; ++i) pattern.words[i] = 0x0123'4567'89ab'cdefULL * (i + 1);
  arch::write_cptr(false);
  arch::instruction_barrier();
  load_simd(pattern);
  arch::write_cptr(true);
  arch::instruction_barrier();

  fill_pseudo_random_bytes();
  const Sha256_digest with_instructions = digest_with(arch::sha256_blocks_with_instructions, pseudo_random_bytes, 1000);
  const bool still_trapping = arch::Cptr_tfp::get(read_cptr()) != 0;

  arch::write_cptr(false);
  arch::instruction_barrier();
  Simd_image after;
  store_simd(after);
  asm volatile("msr cptr_el2, %0\n isb" : : "r"(cptr_before));

  KEXPECT_TRUE(with_instructions == digest_with(sha256_blocks_portable, pseudo_random_bytes, 1000));
  KEXPECT_TRUE(still_trapping);
  unsigned changed = 0;
  for (size_t i = 0; i < 64; ++i) changed += after.words[i] == pattern.words[i] ? 0 : 1;
  KEXPECT_EQ(changed, 0u);
}
