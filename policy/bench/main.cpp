// SPDX-License-Identifier: Apache-2.0
// kestrel-policy-bench: how long the policy compiler takes on large
// generated systems (a benchmark, not a test: it prints figures).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <kestrel/policy/compiler.hpp>

#include "generate.hpp"

namespace {

constexpr const char* usage = R"(usage: kestrel-policy-bench [--emit N] [--repeat R] [SIZE...]

Without --emit: for each SIZE (default 64 128 256) generates a policy with
that many partitions, compiles it R times (default 5) and prints the
fastest and median wall-clock times.
--emit N   print the generated N-partition policy instead.
)";

bool parse_count(const std::string& text, unsigned& out) {
  try {
    size_t used = 0;
    const unsigned long value = std::stoul(text, &used);
    if (used != text.size() || value == 0 || value > 100000) return false;
    out = static_cast<unsigned>(value);
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<unsigned> sizes;
  unsigned repeat = 5;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    unsigned value = 0;
    if (argument == "-h" || argument == "--help") {
      std::cout << usage;
      return 0;
    }
    if (argument == "--emit" && i + 1 < argc && parse_count(argv[i + 1], value)) {
      std::cout << kestrel::policy::generate_policy(value);
      return 0;
    }
    if (argument == "--repeat" && i + 1 < argc && parse_count(argv[++i], repeat)) continue;
    if (!parse_count(argument, value)) {
      std::cerr << "kestrel-policy-bench: error: bad argument '" << argument << "'\n" << usage;
      return 2;
    }
    sizes.push_back(value);
  }
  if (sizes.empty()) sizes = {64, 128, 256};

  const auto directory = std::filesystem::temp_directory_path() / ("kestrel-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(directory);
  std::printf("%10s  %10s  %10s  %12s  %s\n", "partitions", "best ms", "median ms", "boot-info B", "result");
  int status = 0;
  for (const unsigned size : sizes) {
    const auto path = directory / ("generated-" + std::to_string(size) + ".capnp");
    std::ofstream(path) << kestrel::policy::generate_policy(size);
    std::vector<double> milliseconds;
    size_t blob_size = 0;
    std::string verdict = "ok";
    for (unsigned run = 0; run < repeat; ++run) {
      const auto start = std::chrono::steady_clock::now();
      const auto result = kestrel::policy::compile_policy(path.string(), {});
      milliseconds.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
      blob_size = result.boot_info.size();
      if (!result.ok()) {
        verdict = std::to_string(result.diagnostics.error_count()) + " errors";
        status = 1;
      }
    }
    std::sort(milliseconds.begin(), milliseconds.end());
    std::printf("%10u  %10.1f  %10.1f  %12zu  %s\n", size, milliseconds.front(), milliseconds[milliseconds.size() / 2],
                blob_size, verdict.c_str());
  }
  std::filesystem::remove_all(directory);
  return status;
}
