// SPDX-License-Identifier: Apache-2.0
// SHA-256 select: whether the kernel hashes with the SHA-2 instructions
// (ID_AA64ISAR0_EL1, read once at boot), and the wrapper that makes them
// safe to use from a kernel built with -mgeneral-regs-only.
//
// The FP/SIMD registers may hold a thread's values whenever the kernel
// runs (lazy switching, arch/fp.hpp), and CPTR_EL2.TFP may trap the
// kernel's own FP/SIMD accesses: vm_restart measures a VM again while other
// threads run. So the wrapper does not rely on booting: it clears TFP for the
// call and saves and restores all of V0-V31 around it, whoever owns them.
// FPCR and FPSR are left alone: SHA256H/H2/SU0/SU1, vector ADD, REV32 and
// the loads and stores neither read nor write them.
#include <arch/fp.hpp>
#include <arch/sha256_instructions.hpp>
#include <arch/sysreg.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/bitfield.hpp>

namespace kestrel::arch {
namespace {

// ID_AA64ISAR0_EL1.SHA2: 0 none, 1 SHA-256 instructions, 2 SHA-512 too.
using Isar0_sha2 = Bitfield<12, 4>;

struct alignas(16) Simd_registers {
  uint8_t v[32][16];
};

void save_simd_registers(Simd_registers& registers) {
  uint64_t base = reinterpret_cast<uint64_t>(&registers);
  asm volatile(
      ".arch_extension simd\n"
      "st1 {v0.2d, v1.2d, v2.2d, v3.2d}, [%[base]], #64\n"
      "st1 {v4.2d, v5.2d, v6.2d, v7.2d}, [%[base]], #64\n"
      "st1 {v8.2d, v9.2d, v10.2d, v11.2d}, [%[base]], #64\n"
      "st1 {v12.2d, v13.2d, v14.2d, v15.2d}, [%[base]], #64\n"
      "st1 {v16.2d, v17.2d, v18.2d, v19.2d}, [%[base]], #64\n"
      "st1 {v20.2d, v21.2d, v22.2d, v23.2d}, [%[base]], #64\n"
      "st1 {v24.2d, v25.2d, v26.2d, v27.2d}, [%[base]], #64\n"
      "st1 {v28.2d, v29.2d, v30.2d, v31.2d}, [%[base]], #64\n"
      : [base] "+r"(base)
      :
      : "memory");
}

void load_simd_registers(const Simd_registers& registers) {
  uint64_t base = reinterpret_cast<uint64_t>(&registers);
  asm volatile(
      ".arch_extension simd\n"
      "ld1 {v0.2d, v1.2d, v2.2d, v3.2d}, [%[base]], #64\n"
      "ld1 {v4.2d, v5.2d, v6.2d, v7.2d}, [%[base]], #64\n"
      "ld1 {v8.2d, v9.2d, v10.2d, v11.2d}, [%[base]], #64\n"
      "ld1 {v12.2d, v13.2d, v14.2d, v15.2d}, [%[base]], #64\n"
      "ld1 {v16.2d, v17.2d, v18.2d, v19.2d}, [%[base]], #64\n"
      "ld1 {v20.2d, v21.2d, v22.2d, v23.2d}, [%[base]], #64\n"
      "ld1 {v24.2d, v25.2d, v26.2d, v27.2d}, [%[base]], #64\n"
      "ld1 {v28.2d, v29.2d, v30.2d, v31.2d}, [%[base]], #64\n"
      : [base] "+r"(base)
      :
      : "memory");
}

}  // namespace

Sha256_block_function sha256_blocks_for(uint64_t isar0) {
  return Isar0_sha2::get(isar0) != 0 ? sha256_blocks_with_instructions : sha256_blocks_portable;
}

void sha256_blocks_with_instructions(uint32_t (&state)[8], const uint8_t* blocks, size_t count) {
  uint64_t cptr = 0;
  asm volatile("mrs %0, cptr_el2" : "=r"(cptr));
  const bool trapping = Cptr_tfp::get(cptr) != 0;
  if (trapping) {
    write_cptr(false);
    instruction_barrier();  // before the first FP/SIMD access below
  }
  Simd_registers saved;
  save_simd_registers(saved);
  sha256_blocks_with_simd_registers(state, blocks, count);
  load_simd_registers(saved);
  // No ISB: the kernel's next FP/SIMD access is the next call here, and the
  // return to a thread is a context synchronization event (arch/fp.hpp).
  if (trapping) asm volatile("msr cptr_el2, %0" : : "r"(cptr));
}

bool select_sha256_blocks() {
  uint64_t isar0 = 0;
  asm volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
  const Sha256_block_function blocks = sha256_blocks_for(isar0);
  use_sha256_blocks(blocks);
  return blocks != sha256_blocks_portable;
}

}  // namespace kestrel::arch
