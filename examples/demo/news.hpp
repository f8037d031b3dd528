// SPDX-License-Identifier: Apache-2.0
// News: what beta writes to alpha through the shared-memory channel "news"
// (where each sees it: kestrel::channels::news_address and news_size in its
// generated kestrel/slots.hpp, from demo.capnp).
#pragma once

#include <cstdint>

struct News {
  uint64_t item;
  uint64_t square;  // item * item, so the reader can check what it got
};
