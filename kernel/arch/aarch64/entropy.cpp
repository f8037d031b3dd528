// SPDX-License-Identifier: Apache-2.0
// Entropy the machine offers the kernel: FEAT_RNG's RNDR, and the device
// tree QEMU loads at the start of RAM.
#include <board/board.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/bitfield.hpp>

extern "C" char __kernel_start[];  // linker script: the kernel's first byte

namespace kestrel::arch {
namespace {

using Isar0_rndr = Bitfield<60, 4>;  // ID_AA64ISAR0_EL1.RNDR: non-zero with RNDR and RNDRRS

}  // namespace

bool hardware_random(uint64_t& value) {
  uint64_t isar0 = 0;
  asm volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
  if (Isar0_rndr::get(isar0) == 0) return false;
  // RNDR by its encoding (S3_3_C2_C4_0), so the assembler needs no +rng.
  // It sets NZCV to 0b0100 (Z) when it had no random number to give.
  uint64_t delivered = 0;
  asm volatile("mrs %0, s3_3_c2_c4_0\n cset %1, ne" : "=r"(value), "=r"(delivered) : : "cc");
  return delivered != 0;
}

Span<uint8_t> machine_device_tree() {
  // QEMU loads its tree at the start of RAM for an ELF kernel, if it fits
  // below the kernel's lowest address (board.cmake leaves it the 1 MiB it takes), and
  // nothing of Kestrel's lies there.
  const auto kernel_start = reinterpret_cast<uint64_t>(__kernel_start);
  return {reinterpret_cast<uint8_t*>(board::ram_base), kernel_start - board::ram_base};
}

}  // namespace kestrel::arch
