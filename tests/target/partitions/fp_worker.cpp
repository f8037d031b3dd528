// SPDX-License-Identifier: Apache-2.0
// FP worker: lazy FP/SIMD switching seen from a native thread. Copies of
// different seeds run in partitions of their own on one CPU, in 1 ms
// windows (tests/target/images/fp.capnp). Each first checks that its
// FP/SIMD registers start as zero (the first copy's markers are in the
// registers by then), then, round after round, holds its own markers in
// all of them across a window boundary, while the other copy uses its own,
// and adds a slice of a series in double precision whose exact bit pattern
// it prints at the end.
#include "fp_check.hpp"
#include "time_check.hpp"

#ifndef FP_WORKER_SEED
#error "FP_WORKER_SEED: which worker this is (1, 2, ...)"
#endif

namespace {

constexpr uint64_t console = 0;
constexpr uint64_t seed = FP_WORKER_SEED;
constexpr uint64_t rounds = 12;
constexpr uint64_t terms = 240'000;  // tests/target/CMakeLists.txt has each seed's sum
// Longer than a window (1 ms), so every hold spans a window boundary.
constexpr uint64_t hold_microseconds = 1'500;

fp_check::Registers expected;
fp_check::Registers seen;

}  // namespace

extern "C" int main() {
  fp_check::read(seen);  // the thread's first FP/SIMD access
  if (!fp_check::all_zero(seen)) {
    kestrel::console_print_line(console, "FAILED: FP/SIMD registers at first use not zero, V0 low word ", seen.v[0]);
  }
  bool markers_kept = true;
  double sum = 0.0;
  for (uint64_t round = 0; round < rounds; ++round) {
    fp_check::markers(seed, round, expected);
    fp_check::hold(expected, seen, time_check::now() + hold_microseconds * time_check::ticks_per_microsecond());
    if (!fp_check::same(expected, seen)) {
      markers_kept = false;
      kestrel::console_print_line(console, "FAILED: markers changed across a switch in round ", round);
      kestrel::console_print_line(console, "  V0 low word ", seen.v[0]);
      kestrel::console_print_line(console, "  FPCR ", seen.fpcr);
      kestrel::console_print_line(console, "  FPSR ", seen.fpsr);
    }
    const uint64_t first = round * (terms / rounds) + 1;
    sum = fp_check::add_terms(sum, seed, first, first + terms / rounds - 1);
  }
  if (markers_kept) kestrel::console_print(console, "markers kept in every round\n");
  kestrel::console_print_line(console, "sum of 1/(1000 seed + i) for i = 1..240000: ", fp_check::bits_of(sum));
  kestrel::thread_exit();
}
