// SPDX-License-Identifier: Apache-2.0
// Device tree internals: what the guest device-tree builder, its validation
// and the overlay code share (sysimage/src only).
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <kestrel/sysimage/device_tree.hpp>

namespace kestrel::sysimage::detail {

constexpr uint32_t first_ppi = 16;
constexpr uint32_t first_spi = 32;
constexpr size_t max_tree_size = 64U << 20;  // far beyond any guest tree; stops runaway growth

inline std::string hex(uint64_t value) {
  char digits[16];
  const auto end = std::to_chars(digits, digits + sizeof digits, value, 16).ptr;
  return "0x" + std::string(digits, end);
}

// Every problem in the description, one message each; empty if it is valid.
std::vector<std::string> guest_description_problems(const Guest_description& guest);

}  // namespace kestrel::sysimage::detail
