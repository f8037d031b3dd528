// SPDX-License-Identifier: Apache-2.0
// The disk pattern of the device tests: what every 512-byte sector of the
// test disk holds before the run. The host tool (tests/tools/disk_slices.cpp)
// writes it and afterwards checks that no sector outside a writer's slice
// changed; the native block client checks that its read-only slice reads back
// as exactly this. Word w of sector s depends on both, so a sector read from
// the wrong place or a shifted buffer is caught. Freestanding (target and host).
#pragma once

#include <cstdint>

namespace kestrel::test_disk {

inline constexpr uint64_t sector_bytes = 512;
inline constexpr uint64_t words_per_sector = sector_bytes / 8;

constexpr uint64_t pattern_word(uint64_t sector, uint64_t word) {
  uint64_t x = (sector << 6 | word) * 0x9e3779b97f4a7c15ULL;
  x ^= x >> 29;
  return x ^ 0x6b657374726c6469ULL;  // "kestrldi"
}

// The index of the first word of `sector` that `words` does not match; words_per_sector if all do.
inline uint64_t first_wrong_word(const uint64_t* words, uint64_t sector) {
  for (uint64_t w = 0; w < words_per_sector; ++w) {
    if (words[w] != pattern_word(sector, w)) return w;
  }
  return words_per_sector;
}

}  // namespace kestrel::test_disk
