// SPDX-License-Identifier: Apache-2.0
// Validate util: small helpers shared by the validators.
#pragma once

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>

#include <kestrel/policy/model.hpp>
#include <kestrel/policy/text.hpp>

namespace kestrel::policy {

inline bool page_aligned(uint64_t value) { return value % page_size == 0; }

inline std::string range_text(uint64_t base, uint64_t size) {
  const unsigned __int128 end = static_cast<unsigned __int128>(base) + size;
  const std::string end_text = end <= UINT64_MAX                                       ? hex(static_cast<uint64_t>(end))
                               : end == static_cast<unsigned __int128>(UINT64_MAX) + 1 ? "0x10000000000000000"
                                                                                       : "beyond 2^64";
  return "[" + hex(base) + ", " + end_text + ")";
}

inline const std::string& partition_name(const Model& model, uint32_t index) {
  static const std::string unknown = "?";
  return index < model.partitions.size() ? model.partitions[index].name : unknown;
}

// "region \"stack\"", "device \"uart0\"", ... for messages about mappings.
inline std::string describe(const Region& region) {
  switch (region.kind) {
    case Region::Kind::memory:
      return "memory region " + quoted(region.name);
    case Region::Kind::device:
      return "device " + quoted(region.name);
    case Region::Kind::channel:
      return "channel " + quoted(region.name);
    case Region::Kind::guest_ram:
      return "guest RAM";
  }
  return region.name;
}

}  // namespace kestrel::policy
