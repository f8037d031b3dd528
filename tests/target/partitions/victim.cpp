// SPDX-License-Identifier: Apache-2.0
// Victim: runs after the hostile partition's attacks (lower priority, and
// threads run to completion) and checks that its memory is exactly as the
// image loaded it.
#include <kestrel/syscall.hpp>

namespace {

constexpr uint64_t console_slot = 1;  // slot 0: waits on its notification
constexpr unsigned words = 512;

// .data: the image builder loads these, measured, at a fixed physical address.
struct Pattern {
  uint64_t word[words];
};
constexpr Pattern make_pattern() {
  Pattern pattern{};
  for (unsigned i = 0; i < words; ++i) pattern.word[i] = 0x5a5a'0000'0000'0000ULL | (uint64_t{i} * 0x10001ULL);
  return pattern;
}
volatile Pattern data = make_pattern();

}  // namespace

extern "C" int main() {
  const Pattern expected = make_pattern();
  bool intact = true;
  for (unsigned i = 0; i < words; ++i) intact = intact && data.word[i] == expected.word[i];
  kestrel::console_print(console_slot, intact ? "memory intact after the attacks\n" : "MEMORY CHANGED\n");
  kestrel::thread_exit();
}
