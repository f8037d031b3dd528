// SPDX-License-Identifier: Apache-2.0
// Bench: the IPC benchmark's figures, read from the RESULT lines its
// programs print, as a table and as JSON (the format docs/benchmarks.md and
// earlier runs of scripts/bench use).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kestrel_cli {

// Where a peer kernel's figure comes from: what a reader needs to judge
// whether it compares with ours. A field nobody wrote down says "not
// recorded"; none is filled in by guessing.
struct Peer_source {
  const char* project;        // "seL4"
  const char* version;        // the peer kernel's version
  const char* benchmark;      // the program that measured it, and its version
  const char* configuration;  // how the peer kernel was built
  const char* platform;       // board or QEMU machine
  const char* cpu;            // CPU model (QEMU -cpu, or the hardware's)
  const char* emulator;       // "QEMU 7.2", or "none (hardware)"
  const char* mode;           // what the counter counted, and which statistic
  const char* provenance;     // where this repository got the figure, and what is missing
};
// The seL4 figures beside Kestrel's (docs/benchmarks.md, "IPC latency").
const Peer_source& sel4_source();
// One line naming every field of the source.
std::string describe(const Peer_source& source);

struct Peer_figure {
  const char* value;  // as recorded, digits only
  const Peer_source* source;
  const char* derivation = "";  // how it was computed from other figures, if it was
};

struct Figure {
  const char* name;
  const char* description;
  std::optional<Peer_figure> sel4;  // seL4's figure, if there is one
};
// Every figure the benchmark must report, in table order.
const std::vector<Figure>& bench_figures();
// seL4's Call + ReplyRecv round trip, beside the sum of Kestrel's medians.
const Peer_figure& sel4_round_trip();

struct Result {
  uint64_t min = 0, median = 0, max = 0, samples = 0, overhead = 0;
};

struct Bench_results {
  std::map<std::string, Result> results;
  std::vector<std::string> problems;  // malformed, repeated or missing figures
};

// Reads "... RESULT name min=N median=N max=N samples=N overhead=N" lines;
// other lines are ignored. A malformed or repeated line is a problem.
Bench_results read_results(const std::vector<std::string>& lines);
// Adds a problem naming the figures of `names` that have no result.
void require_figures(Bench_results& results, const std::vector<std::string>& names);
// read_results, then require_figures for every figure of bench_figures().
Bench_results parse_results(const std::vector<std::string>& lines);

// The table of a run on QEMU CPU model `cpu`, with a footnote per peer
// source its figures cite; needs every figure present.
std::string results_table(const Bench_results& results, const std::string& cpu);

struct Bench_context {
  std::string date;  // YYYY-MM-DD, UTC
  std::string commit;
  bool local_changes = false;
  std::string qemu_version;
  std::string cpu;  // QEMU -cpu of the run
};
std::string results_json(const Bench_results& results, const Bench_context& context);

}  // namespace kestrel_cli
