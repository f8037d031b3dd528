// SPDX-License-Identifier: Apache-2.0
// SHA-256 select: whether the kernel hashes with the SHA-2 instructions
// (ID_AA64ISAR0_EL1, read once at boot), and the wrapper that makes them
// safe to use from a kernel built with -mgeneral-regs-only.
//
// The FP/SIMD registers may hold a thread's values whenever the kernel
// runs (lazy switching, arch/fp.hpp), and CPTR_EL2.TFP may trap the
// kernel's own FP/SIMD accesses: vm_restart measures a VM again while other
// threads run. So the wrapper does not rely on booting: it clears TFP for the
// call and saves and restores all of V0-V31 around it (with FPCR and FPSR,
// by fp.cpp's save_fp_registers), whoever owns them.
#include <arch/fp.hpp>
#include <arch/sha256_instructions.hpp>
#include <arch/sysreg.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/bitfield.hpp>

namespace kestrel::arch {
namespace {

// ID_AA64ISAR0_EL1.SHA2: 0 none, 1 SHA-256 instructions, 2 SHA-512 too.
using Isar0_sha2 = Bitfield<12, 4>;

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
  Fp_registers saved;  // a thread's values may be in the registers (arch/fp.hpp)
  save_fp_registers(saved);
  sha256_blocks_with_simd_registers(state, blocks, count);
  load_fp_registers(saved);
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
