// SPDX-License-Identifier: Apache-2.0
// Guest seeds: filling or removing a VM's seed placeholders.
#include <kestrel/device_tree.hpp>
#include <kestrel/guest_seeds.hpp>

namespace kestrel {

Seed_fill fill_seed_placeholder(uint8_t* property, uint32_t size, Hmac_drbg* random) {
  uint8_t* const value = property + abi::guest_seed_header_size;
  // Only what the image builder made: an FDT_PROP of this length whose
  // value is zeros (as measured). Anything else is not the kernel's to touch.
  bool placeholder = fdt::read_be32(property) == fdt::property && fdt::read_be32(property + 4) == size;
  for (uint32_t i = 0; i < size && placeholder; ++i) placeholder = value[i] == 0;
  if (!placeholder) return Seed_fill::not_a_placeholder;
  if (random != nullptr && random->instantiated()) {
    random->generate({value, size});
    return Seed_fill::filled;
  }
  const uint64_t words = abi::guest_seed_property_size({0, size, 0}) / 4;
  for (uint64_t word = 0; word < words; ++word) fdt::write_be32(property + 4 * word, fdt::nop);
  return Seed_fill::removed;
}

Seed_counts fill_guest_seeds(const Boot_info& info, uint32_t vm, Hmac_drbg* random, Physical_writer writable) {
  Seed_counts counts;
  for (const abi::Guest_seed_entry& seed : info.guest_seeds()) {
    if (seed.partition != vm) continue;
    uint8_t* property = writable(seed.pa, abi::guest_seed_property_size(seed));
    const Seed_fill outcome =
        property == nullptr ? Seed_fill::not_a_placeholder : fill_seed_placeholder(property, seed.size, random);
    switch (outcome) {
      case Seed_fill::filled:
        ++counts.filled;
        break;
      case Seed_fill::removed:
        ++counts.removed;
        break;
      case Seed_fill::not_a_placeholder:
        ++counts.not_placeholders;
        break;
    }
  }
  return counts;
}

}  // namespace kestrel
