// SPDX-License-Identifier: Apache-2.0
// Tunnel bench: what the tunnel benchmark's programs share (alpha.cpp,
// beta.cpp, mapper.cpp): the spans they time with the cycle counter, the
// doorbell hand-over between the two ends, and the RESULT lines
// scripts/bench-tunnel reads (those of the IPC benchmark, ../ipc/bench.hpp:
// 16 warm-up rounds, then min, median and max of 200).
#pragma once

#include <kestrel/syscall.hpp>
#include <kestrel/tunnel.hpp>

#include "../ipc/bench.hpp"

namespace tunnel_bench {

namespace bench = kestrel::bench;

// The bytes of the throughput figures: the whole of the "large" tunnel.
inline constexpr uint64_t transfer_bytes = 0x10000;

// A span timed from the caller's side: read_cycles() before and after. Its
// overhead is two counter reads with nothing between them (the smallest of
// a few), subtracted from every sample.
inline uint64_t span_overhead() {
  uint64_t best = ~uint64_t{0};
  for (uint64_t i = 0; i < bench::overhead_runs; ++i) {
    const uint64_t start = bench::read_cycles();
    const uint64_t end = bench::read_cycles();
    if (end - start < best) best = end - start;
  }
  return best;
}

// The doorbell's bits of one tunnel so far, waiting until `bits` are among
// them; those are taken, the others kept. The IPCM's rings (open, accept,
// close) and the other end's may come in one wake.
struct Doorbell_bits {
  const kestrel::Tunnel_end& end;
  uint64_t rung = 0;

  // False if the wait itself failed.
  bool wait_for(uint64_t bits) {
    while ((rung & bits) == 0) {
      const kestrel::Doorbell doorbell = kestrel::tunnel::wait(end);
      if (doorbell.status != kestrel::abi::Status::ok) return false;
      rung |= doorbell.bits;
    }
    rung &= ~bits;
    return true;
  }
};

// Prints "FAILED: <what>" once for the first few failures; a run with any
// prints no figures, so scripts/bench-tunnel finds them missing.
struct Failures {
  uint64_t console;
  int count = 0;

  void check(bool good, const char* what) {
    if (good || count++ >= 4) return;
    bench::Line line;
    line.append("FAILED: ");
    line.append(what);
    line.append("\n");
    kestrel::console_write(console, line.text, line.length);
  }
};

inline void print_result(uint64_t console, const char* name, uint64_t* samples, uint64_t overhead) {
  const bench::Line line = bench::result_line(name, samples, overhead);
  kestrel::console_write(console, line.text, line.length);
}

}  // namespace tunnel_bench
