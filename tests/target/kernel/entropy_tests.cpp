// SPDX-License-Identifier: Apache-2.0
// Entropy tests: what the machine gives the kernel to seed its generator
// (kernel_random.cpp): QEMU's device tree below the kernel with its
// /chosen seeds, and RNDR exactly when the CPU says it has FEAT_RNG.
#include "ktest.hpp"

#include <kestrel/arch.hpp>
#include <kestrel/bitfield.hpp>
#include <kestrel/device_tree.hpp>

using namespace kestrel;

namespace {

bool all_zero(Span<uint8_t> bytes) {
  for (uint8_t byte : bytes) {
    if (byte != 0) return false;
  }
  return true;
}

}  // namespace

// QEMU loads its tree only if it fits below the kernel (board.cmake), and
// this kernel never wipes it (only seed_kernel_random does).
KTEST(entropy, machine_tree_below_the_kernel_has_seeds) {
  const Span<uint8_t> tree = arch::machine_device_tree();
  KEXPECT_EQ(fdt::read_be32(tree.data()), fdt::magic);
  const Span<uint8_t> rng_seed = fdt::find_chosen_property(tree.data(), tree.size(), "rng-seed");
  const Span<uint8_t> kaslr_seed = fdt::find_chosen_property(tree.data(), tree.size(), "kaslr-seed");
  KEXPECT_EQ(rng_seed.size(), 32u);
  KEXPECT_EQ(kaslr_seed.size(), 8u);
  KEXPECT_TRUE(!all_zero(rng_seed));
  KEXPECT_TRUE(rng_seed.data() > tree.data() && rng_seed.data() + rng_seed.size() <= tree.data() + tree.size());
}

KTEST(entropy, rndr_only_with_feat_rng) {
  uint64_t isar0 = 0;
  asm volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
  const bool has_rng = Bitfield<60, 4>::get(isar0) != 0;
  uint64_t first = 0;
  uint64_t second = 0;
  const bool delivered = arch::hardware_random(first) && arch::hardware_random(second);
  KEXPECT_EQ(delivered, has_rng);
  if (delivered) KEXPECT_TRUE(first != second);
}
