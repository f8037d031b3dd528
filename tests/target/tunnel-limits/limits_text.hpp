// SPDX-License-Identifier: Apache-2.0
// What the programs of tests/target/tunnel-limits share: the flooder's
// count and alpha's stop word, as they lie in their channels.
#pragma once

#include <cstdint>

namespace tunnel_limits {

struct Flood_count {
  volatile uint64_t answered;  // flooder requests the IPCM has answered
  volatile uint64_t started;   // 1 once the flooder holds its quota and floods
};

struct Flood_stop {
  volatile uint64_t stop;  // 1: alpha is done, the flooder stops
};

}  // namespace tunnel_limits
