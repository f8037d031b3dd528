// SPDX-License-Identifier: Apache-2.0
// Bench: the IPC benchmark's figures, read from the RESULT lines its
// programs print, as a table and as JSON (the format docs/benchmarks.md and
// earlier runs of scripts/bench use).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kestrel_cli {

struct Figure {
  const char* name;
  const char* description;
  const char* sel4;  // seL4's figure, or "-"
};
// Every figure the benchmark must report, in table order.
const std::vector<Figure>& bench_figures();

struct Result {
  uint64_t min = 0, median = 0, max = 0, samples = 0, overhead = 0;
};

struct Bench_results {
  std::map<std::string, Result> results;
  std::vector<std::string> problems;  // malformed, repeated or missing figures
};

// Reads "... RESULT name min=N median=N max=N samples=N overhead=N" lines;
// other lines are ignored.
Bench_results parse_results(const std::vector<std::string>& lines);

// The table; needs every figure present.
std::string results_table(const Bench_results& results);

struct Bench_context {
  std::string date;  // YYYY-MM-DD, UTC
  std::string commit;
  bool local_changes = false;
  std::string qemu_version;
};
std::string results_json(const Bench_results& results, const Bench_context& context);

}  // namespace kestrel_cli
