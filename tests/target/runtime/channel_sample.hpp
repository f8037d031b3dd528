// SPDX-License-Identifier: Apache-2.0
// Channel sample: the message the channel test's writer and reader
// (channel_writer.cpp, channel_reader.cpp) share, and their phases.
#pragma once

#include <cstdint>

namespace channel_test {

// Four words with a padded end; `check` and `square` make a torn copy show.
struct Sample {
  uint64_t number;
  uint64_t check;  // number * 3 + 1
  uint64_t square;
  uint32_t phase;
};

inline Sample sample(uint64_t number, uint32_t phase) { return {number, number * 3 + 1, number * number, phase}; }

inline bool whole(const Sample& s) { return s.check == s.number * 3 + 1 && s.square == s.number * s.number; }

constexpr uintptr_t writer_address = 0x200'0000;
constexpr uintptr_t reader_address = 0x300'0000;
constexpr uint64_t size = 0x1000;
constexpr uint64_t slots = (size - 128) / 40;  // channel_ring.hpp's layout

constexpr uint64_t first_phase = 10;         // rung one by one, none lost
constexpr uint64_t overrun = 3 * slots + 7;  // written before the reader looks
constexpr uint64_t race = 200'000;           // written while the reader reads
constexpr uint64_t total = first_phase + overrun + race;

}  // namespace channel_test
