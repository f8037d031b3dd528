// SPDX-License-Identifier: Apache-2.0
// Map protocol: the two messages peer.cpp sends mapper.cpp in the
// kernel-call benchmark (map.capnp, map-4cpus.capnp).
#pragma once

#include <cstdint>

namespace map_bench {

inline constexpr uint64_t label_round = 1;   // time one round of maps and unmaps
inline constexpr uint64_t label_report = 2;  // print the figures
inline constexpr uint64_t window_pages = 16;

}  // namespace map_bench
