// SPDX-License-Identifier: Apache-2.0
// Message bytes: text packed into message words, as the console protocol
// (console.hpp) carries it. No svc, so the host unit tests check it.
//
// Byte i goes into word i / 8 at bits 8 * (i % 8) (little-endian: the same
// bytes as the words' memory on AArch64); the unused bytes of the last word
// are 0.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kestrel {

constexpr size_t words_for_bytes(size_t bytes) { return (bytes + 7) / 8; }

// Writes words_for_bytes(n) words.
inline void pack_bytes(uint64_t* words, const char* bytes, size_t n) {
  for (size_t w = 0; w < words_for_bytes(n); ++w) words[w] = 0;
  for (size_t i = 0; i < n; ++i) {
    words[i / 8] |= uint64_t{static_cast<uint8_t>(bytes[i])} << (8 * (i % 8));
  }
}

// Reads n bytes from words_for_bytes(n) words.
inline void unpack_bytes(const uint64_t* words, char* bytes, size_t n) {
  for (size_t i = 0; i < n; ++i) bytes[i] = static_cast<char>(static_cast<uint8_t>(words[i / 8] >> (8 * (i % 8))));
}

}  // namespace kestrel
