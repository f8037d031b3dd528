// SPDX-License-Identifier: Apache-2.0
// Text: how host tools' messages show names and numbers.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace kestrel::policy {

// "name", in double quotes. Call it qualified (policy::quoted) where
// <iomanip> is visible, or argument-dependent lookup may pick std::quoted.
inline std::string quoted(std::string_view name) { return "\"" + std::string(name) + "\""; }

// 0x1f: lowercase hexadecimal with a 0x prefix, no padding.
inline std::string hex(uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

}  // namespace kestrel::policy
