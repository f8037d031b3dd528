// SPDX-License-Identifier: Apache-2.0
// Flattened device trees (DTB, Devicetree Specification 5): the little the
// kernel reads and writes in one. It reads a property of /chosen in the
// tree the machine hands it (the boot seeds QEMU's virt puts there), and
// fills or removes a seed placeholder in a guest's tree
// (abi::Guest_seed_entry).
//
// The kernel has no other use for device trees (boot-info describes the
// machine), so this is a bounded walk of the structure block rather than a
// library. Every read is checked against the tree's own sizes; all loads
// are single bytes, so it works on any alignment and with the MMU off.
// Portable: built for the host and unit-tested there.
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/span.hpp>

namespace kestrel::fdt {

inline constexpr uint32_t magic = 0xd00d'feed;

// Structure block tokens (big-endian 32-bit words).
enum Token : uint32_t {
  begin_node = 1,
  end_node = 2,
  property = 3,
  nop = 4,
  end = 9,
};

// The value of /chosen/`name` in the tree at `tree`, of which at most
// `available` bytes may be read, or an empty span if the tree is not a
// well-formed DTB (as far as the walk goes) or has no such property.
[[nodiscard]] Span<uint8_t> find_chosen_property(uint8_t* tree, size_t available, const char* name);

uint32_t read_be32(const uint8_t* bytes);
void write_be32(uint8_t* bytes, uint32_t value);

}  // namespace kestrel::fdt
