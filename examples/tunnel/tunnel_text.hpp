// SPDX-License-Identifier: Apache-2.0
// Tunnel text: how alpha and beta put text into the tunnel and take it out.
// Alpha writes at the start of the tunnel, beta in its second half, so
// neither overwrites what the other has not read yet.
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/tunnel_end.hpp>

namespace tunnel_example {

inline constexpr size_t alpha_offset = 0;
inline constexpr size_t beta_offset = 0x1000;
inline constexpr size_t text_max = 64;

// `text` with its terminating zero at `offset`.
inline void put(const kestrel::Tunnel_view& view, size_t offset, const char* text) {
  uint8_t* bytes = view.bytes() + offset;
  size_t i = 0;
  for (; text[i] != '\0' && i + 1 < text_max; ++i) bytes[i] = static_cast<uint8_t>(text[i]);
  bytes[i] = 0;
}

// The text at `offset`, cut at text_max - 1 characters: the other end
// decides what is there, so nothing is read past the limit.
inline void take(const kestrel::Tunnel_view& view, size_t offset, char (&out)[text_max]) {
  const uint8_t* bytes = view.bytes() + offset;
  size_t i = 0;
  for (; i + 1 < text_max && bytes[i] != 0; ++i) out[i] = static_cast<char>(bytes[i]);
  out[i] = '\0';
}

inline bool same(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) ++a, ++b;
  return *a == *b;
}

}  // namespace tunnel_example
