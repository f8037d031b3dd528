// SPDX-License-Identifier: Apache-2.0
// kestrel bench --scale: generates the scale systems (bench_scale.hpp) into
// DIR/bench/scale, builds each image on the benchmark kernel, boots it under
// QEMU with -icount, and prints a table per part (also saved in
// DIR/bench/scale/scale-CPU.txt, to paste into docs/benchmarks.md).
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <kestrel/policy/diagnostics.hpp>
#include <kestrel/policy/output_file.hpp>
#include <kestrel/sysimage/image.hpp>
#include <kestrel/sysimage/write_outputs.hpp>
#include <kestrel_cli/bench_scale.hpp>
#include <kestrel_cli/commands.hpp>
#include <kestrel_cli/config.hpp>
#include <qemu_runner/options.hpp>
#include <qemu_runner/process.hpp>

#include "command_errors.hpp"

namespace kestrel_cli {
namespace {

namespace fs = std::filesystem;

struct Setup {
  fs::path out;
  fs::path kernel;
  std::vector<std::string> programs;
  std::string qemu;
  std::string cpu;
};

bool write_text(const fs::path& path, const std::string& text) {
  if (kestrel::policy::write_file_atomically(path.string(), text.data(), text.size())) return true;
  std::cerr << tool << ": error: cannot write " << path.string() << '\n';
  return false;
}

// Writes policy `text` to OUT/NAME.capnp and builds OUT/NAME.elf from it;
// the image's size in bytes, or 0 after saying why not.
uint64_t build_image(const Setup& setup, const std::string& name, const std::string& text) {
  const fs::path policy = setup.out / (name + ".capnp");
  const fs::path image = setup.out / (name + ".elf");
  if (!write_text(policy, text)) return 0;
  kestrel::sysimage::Image_inputs inputs;
  inputs.policy_path = policy.string();
  inputs.kernel_path = setup.kernel.string();
  inputs.search_directories = setup.programs;
  auto result = kestrel::sysimage::build_image(inputs);
  kestrel::policy::print_gcc(std::cerr, result.diagnostics);
  for (const auto& problem : result.errors) std::cerr << tool << ": error: " << problem << '\n';
  if (!result.ok() ||
      kestrel::sysimage::tool::write_image_outputs(*result.image, {image.string(), "", "", ""}, tool) != 0) {
    std::cerr << tool << ": error: could not build " << image.string() << " from " << policy.string() << '\n';
    return 0;
  }
  std::error_code error;
  const auto size = fs::file_size(image, error);
  return error ? 1 : size;
}

struct Boot {
  std::vector<std::string> lines;
  bool ok = false;
};

// Boots OUT/NAME.elf; its console to OUT/NAME.log. Not ok (after saying
// why) if QEMU fails, times out, or a program or the kernel reports a
// failure.
Boot boot(const Setup& setup, const std::string& name, unsigned smp, const std::string& cpu,
          const std::string& memory = "512M") {
  const fs::path image = setup.out / (name + ".elf");
  const fs::path log_path = setup.out / (name + ".log");
  std::cerr << tool << ": booting " << image.string() << " (" << smp << " CPU" << (smp == 1 ? "" : "s") << ", " << cpu
            << ", -icount); console in " << log_path.string() << std::endl;
  qemu_runner::Options options;
  options.image = image.string();
  options.qemu = setup.qemu;
  options.cpu = cpu;
  options.smp = smp;
  options.memory = memory;
  options.icount = true;
  constexpr int timeout = 600;
  Boot result;
  std::ofstream log(log_path, std::ios::trunc);
  const auto run = qemu_runner::run_process(qemu_runner::qemu_command(options), {.timeout_seconds = timeout},
                                            [&](std::string_view line) {
                                              log << line << '\n';
                                              result.lines.emplace_back(line);
                                            });
  log.close();
  std::string failure;
  if (const auto* launch = std::get_if<qemu_runner::Launch_error>(&run)) {
    failure = launch->message;
  } else if (const auto& end = std::get<qemu_runner::Run_end>(run); end.kind == qemu_runner::Run_end::Kind::timed_out) {
    failure = "timed out after " + std::to_string(timeout) + " s";
  } else if (end.kind == qemu_runner::Run_end::Kind::killed_by_signal) {
    failure = "QEMU was killed by signal " + std::to_string(end.code);
  } else if (end.code != 0) {
    failure = "QEMU exit status " + std::to_string(end.code);
  }
  for (const auto& line : result.lines) {
    if (line.find("FAILED") != std::string::npos || line.find("kernel panic") != std::string::npos) {
      std::cerr << line << '\n';
      if (failure.empty()) failure = "a program or the kernel reported a failure";
    }
  }
  if (!failure.empty()) {
    // Why the kernel left partitions out, which the tail may not show.
    unsigned refusals = 0;
    for (const auto& line : result.lines) {
      if (line.find("not started") != std::string::npos && ++refusals <= 3) std::cerr << line << '\n';
    }
    if (refusals > 3) std::cerr << "(" << refusals << " partitions not started in all)\n";
    const size_t from = result.lines.size() > 20 ? result.lines.size() - 20 : 0;
    for (size_t i = from; i < result.lines.size(); ++i) std::cerr << result.lines[i] << '\n';
    std::cerr << tool << ": error: " << name << ": " << failure << "; console in " << log_path.string() << '\n';
    return result;
  }
  result.ok = true;
  return result;
}

// The figures `names` of a boot, or nullopt after saying which are missing.
std::optional<Bench_results> figures(const Boot& run, const std::vector<std::string>& names, const std::string& name) {
  Bench_results results = read_results(run.lines);
  require_figures(results, names);
  if (results.problems.empty()) return results;
  for (const auto& problem : results.problems) std::cerr << tool << ": " << name << ": " << problem << '\n';
  return std::nullopt;
}

std::optional<std::string> part_threads(const Setup& setup) {
  std::ifstream in(fs::path(config::source_directory) / "benchmarks" / "ipc" / "ipc-bench.capnp");
  std::stringstream benchmark;
  benchmark << in.rdbuf();
  std::map<unsigned, Bench_results> by_threads;
  for (const unsigned threads : {8u, 64u, 256u}) {
    const auto generated = scale::threads_policy(benchmark.str(), threads);
    if (!generated.error.empty()) {
      std::cerr << tool << ": error: " << generated.error << '\n';
      return std::nullopt;
    }
    const std::string name = "threads-" + std::to_string(threads);
    if (build_image(setup, name, generated.text) == 0) return std::nullopt;
    const Boot run = boot(setup, name, 1, setup.cpu);
    if (!run.ok) return std::nullopt;
    auto results = figures(run, scale::threads_figures(), name);
    if (!results) return std::nullopt;
    by_threads[threads] = *results;
  }
  return scale::threads_table(by_threads, setup.cpu);
}

std::optional<std::string> part_cpus(const Setup& setup) {
  std::map<unsigned, Bench_results> by_cpus;
  for (const unsigned cpus : {1u, 2u, 4u, 8u}) {
    const std::string name = "cpus-" + std::to_string(cpus);
    if (build_image(setup, name, scale::cpus_policy(cpus)) == 0) return std::nullopt;
    const Boot run = boot(setup, name, cpus, setup.cpu);
    if (!run.ok) return std::nullopt;
    auto results = figures(run, scale::cpus_figures(cpus), name);
    if (!results) return std::nullopt;
    by_cpus[cpus] = *results;
  }
  return scale::cpus_table(by_cpus, setup.cpu);
}

std::optional<std::string> part_cross(const Setup& setup) {
  Bench_results all;
  for (const auto pair : {scale::Cross_pair::calls, scale::Cross_pair::signals}) {
    const std::string name = pair == scale::Cross_pair::calls ? "cross-cpu-calls" : "cross-cpu-signals";
    if (build_image(setup, name, scale::cross_cpu_policy(pair)) == 0) return std::nullopt;
    const Boot run = boot(setup, name, 2, setup.cpu);
    if (!run.ok) return std::nullopt;
    auto results = figures(run, scale::cross_cpu_figures(pair), name);
    if (!results) return std::nullopt;
    all.results.insert(results->results.begin(), results->results.end());
  }
  return scale::cross_cpu_table(all, setup.cpu);
}

// More than 255 partitions need 16-bit VMIDs, which QEMU's Cortex-A72 and
// A57 lack: part d runs on -cpu max.
constexpr const char* partitions_cpu = "max";

std::optional<std::string> part_partitions(const Setup& setup) {
  // Both images first, so that their build times are known even if a boot
  // fails.
  std::vector<scale::Partitions_row> rows;
  for (const unsigned partitions : {256u, 1024u}) {
    scale::Partitions_row row;
    row.partitions = partitions;
    const auto start = std::chrono::steady_clock::now();
    row.image_bytes =
        build_image(setup, "partitions-" + std::to_string(partitions), scale::partitions_policy(partitions));
    row.build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (row.image_bytes == 0) return std::nullopt;
    std::cerr << tool << ": " << partitions << " partitions: policy compiled and image built in " << row.build_seconds
              << " s (wall)\n";
    rows.push_back(row);
  }
  for (auto& row : rows) {
    const std::string name = "partitions-" + std::to_string(row.partitions);
    const Boot run = boot(setup, name, scale::max_cpus, partitions_cpu, "1G");
    if (!run.ok) return std::nullopt;
    row.run = scale::read_partitions_run(run.lines, row.partitions);
    if (!row.run.problems.empty()) {
      for (const auto& problem : row.run.problems) std::cerr << tool << ": " << name << ": " << problem << '\n';
      return std::nullopt;
    }
  }
  return scale::partitions_table(rows, partitions_cpu);
}

}  // namespace

int run_bench_scale(const Bench_command& command, const std::string& build_directory_name, const std::string& qemu) {
  const fs::path build_directory = build_directory_name;
  Setup setup;
  setup.out = build_directory / "bench" / "scale";
  setup.kernel = build_directory / config::bench_kernel;
  const fs::path programs = build_directory / config::bench_programs;
  setup.programs = {programs.string(), (programs.parent_path() / "scale").string()};
  setup.qemu = qemu;
  setup.cpu = command.cpus.front();
  std::error_code error;
  fs::create_directories(setup.out, error);
  if (error) return fail("cannot create " + setup.out.string() + ": " + error.message());
  const fs::path tables = setup.out / ("scale-" + setup.cpu + ".txt");
  fs::remove(tables, error);  // a failed run must not leave an earlier one's tables looking current
  if (!fs::is_regular_file(setup.kernel))
    return fail("the benchmark kernel " + setup.kernel.string() + " is not built");

  using Part = std::optional<std::string> (*)(const Setup&);
  const std::vector<std::pair<std::string, Part>> parts = {
      {"threads", part_threads}, {"cpus", part_cpus}, {"cross", part_cross}, {"partitions", part_partitions}};
  std::string all;
  for (const auto& [name, run] : parts) {
    if (!command.scale_parts.empty() &&
        std::find(command.scale_parts.begin(), command.scale_parts.end(), name) == command.scale_parts.end()) {
      continue;
    }
    const auto table = run(setup);
    if (!table) {
      return fail("the scale benchmark's part '" + name + "' failed; its files are in " + setup.out.string() +
                  (all.empty() ? "" : "; the tables of the parts before it are in " + tables.string()));
    }
    std::cout << *table << std::flush;
    all += *table;
    // After every part, so that a part that fails leaves the earlier ones'.
    if (!write_text(tables, all)) return exit_output;
  }
  std::cout << "\n" << tool << ": tables in " << tables.string() << std::endl;
  return 0;
}

}  // namespace kestrel_cli
