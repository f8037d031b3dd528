// SPDX-License-Identifier: Apache-2.0
// Validate util: small helpers shared by the validators.
#pragma once

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>

#include <kestrel/policy/diagnostics.hpp>
#include <kestrel/policy/model.hpp>
#include <kestrel/policy/text.hpp>

namespace kestrel::policy {

inline bool page_aligned(uint64_t value) { return value % page_size == 0; }

// Times are written in microseconds and reach the kernel in nanoseconds
// (times 1000, which must not wrap). The kernel turns them into ticks of a
// counter of at most 1 GHz (at most one tick per nanosecond), keeps a
// budget's remainder in a signed 64-bit count and adds periods and frames to
// the current time: 2^62 ns (about 146 years) leaves room for all of that.
inline constexpr uint64_t max_time_ns = uint64_t{1} << 62;
inline constexpr uint64_t nanoseconds_per_microsecond = 1000;
inline constexpr uint64_t max_time_us = max_time_ns / nanoseconds_per_microsecond;

// Reports KP0711 if `microseconds` is beyond what the kernel can count.
inline bool check_time(uint64_t microseconds, const Location& at, const std::string& what, Diagnostics& diagnostics) {
  if (microseconds <= max_time_us) return true;
  diagnostics.report(Code::time_too_long, at,
                     what + " is " + std::to_string(microseconds) + " us, longer than the kernel can count",
                     "use at most " + std::to_string(max_time_us) + " us (2^62 ns, about 146 years)");
  return false;
}

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
    case Region::Kind::guest_ram_view:
      return "the RAM of VM " + quoted(region.name);
    case Region::Kind::device_queue:
      return "device queue " + quoted(region.name);
  }
  return region.name;
}

}  // namespace kestrel::policy
