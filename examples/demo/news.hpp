// SPDX-License-Identifier: Apache-2.0
// News: what beta writes to alpha through the shared-memory channel "news"
// (both see it at the same address, demo.capnp).
#pragma once

#include <cstdint>

struct News {
  uint64_t item;
  uint64_t square;  // item * item, so the reader can check what it got
};

inline constexpr uint64_t news_address = 0x60'0000;
inline constexpr uint64_t news_size = 0x1000;
