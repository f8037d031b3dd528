// SPDX-License-Identifier: Apache-2.0
// SHA-256 instructions: the block functions of the Armv8 Cryptographic
// Extension and the choice between them and the portable code
// (sha256_select.cpp, sha256_instructions.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/sha256.hpp>

namespace kestrel::arch {

// The block function for a CPU whose ID_AA64ISAR0_EL1 reads `isar0`:
// sha256_blocks_with_instructions where its SHA2 field says the SHA-256
// instructions exist, sha256_blocks_portable where not. (A function of the
// value, so that the kernel tests can ask for a CPU without them: every
// CPU model of QEMU 7.2 has them.)
[[nodiscard]] Sha256_block_function sha256_blocks_for(uint64_t isar0);

// SHA-256 blocks with SHA256H, SHA256H2, SHA256SU0 and SHA256SU1. Callable
// anywhere in the kernel: it opens FP/SIMD to EL2 for the call (CPTR_EL2.TFP)
// and leaves every SIMD register and CPTR_EL2 as it found them.
void sha256_blocks_with_instructions(uint32_t (&state)[8], const uint8_t* blocks, size_t count);

// The compression itself, in sha256_instructions.cpp: it uses SIMD
// registers freely, so only sha256_blocks_with_instructions calls it.
void sha256_blocks_with_simd_registers(uint32_t (&state)[8], const uint8_t* blocks, size_t count);

}  // namespace kestrel::arch
