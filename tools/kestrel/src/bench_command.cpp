// SPDX-License-Identifier: Apache-2.0
// kestrel bench: builds the IPC benchmark's image, boots it under QEMU with
// -icount on each CPU model asked for, and prints and saves its figures
// (read by bench.cpp, which holds the pure part: RESULT lines to a table and
// JSON).
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <kestrel/policy/diagnostics.hpp>
#include <kestrel/policy/output_file.hpp>
#include <kestrel/sysimage/image.hpp>
#include <kestrel/sysimage/write_outputs.hpp>
#include <kestrel_cli/bench.hpp>
#include <kestrel_cli/bench_scale.hpp>
#include <kestrel_cli/commands.hpp>
#include <kestrel_cli/config.hpp>
#include <qemu_runner/options.hpp>
#include <qemu_runner/process.hpp>

#include "command_errors.hpp"

namespace kestrel_cli {
namespace {

namespace fs = std::filesystem;

std::string first_line_of(const std::vector<std::string>& command, bool& ok) {
  std::string first;
  bool any = false;
  const auto result = qemu_runner::run_process(command, {}, [&](std::string_view line) {
    if (!any) first = line;
    any = true;
  });
  const auto* end = std::get_if<qemu_runner::Run_end>(&result);
  ok = end != nullptr && end->kind == qemu_runner::Run_end::Kind::exited && end->code == 0;
  return first;
}

Bench_context bench_context(const std::string& qemu, const std::string& cpu) {
  Bench_context context;
  context.cpu = cpu;
  char date[16] = "unknown";
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  if (gmtime_r(&now, &utc) != nullptr) std::strftime(date, sizeof date, "%Y-%m-%d", &utc);
  context.date = date;
  bool ok = false;
  context.commit = first_line_of({"git", "-C", config::source_directory, "rev-parse", "HEAD"}, ok);
  if (!ok || context.commit.empty()) context.commit = "unknown";
  const std::string changes = first_line_of({"git", "-C", config::source_directory, "status", "--porcelain"}, ok);
  context.local_changes = ok && !changes.empty();
  std::string version = first_line_of({qemu, "--version"}, ok);
  std::erase_if(version, [](char c) { return c == '"' || c == '\\'; });
  context.qemu_version = ok ? version : "unknown";
  return context;
}

// One run of the benchmark image on QEMU CPU model `cpu`: its console to
// OUT/ipc-CPU.log, its table to standard output, its figures to OUT/ipc-CPU.json.
int bench_on(const std::string& cpu, const std::string& qemu, const fs::path& image, const fs::path& out) {
  const fs::path json = out / ("ipc-" + cpu + ".json");
  const fs::path log_path = out / ("ipc-" + cpu + ".log");
  std::cerr << tool << ": booting " << image.string() << " under QEMU with -icount (1 CPU, " << cpu << "); console in "
            << log_path.string() << std::endl;
  qemu_runner::Options options;
  options.image = image.string();
  options.qemu = qemu;
  options.cpu = cpu;
  options.icount = true;
  options.timeout_seconds = 300;
  std::ofstream log(log_path, std::ios::trunc);
  std::vector<std::string> lines;
  const auto run = qemu_runner::run_process(qemu_runner::qemu_command(options), {.timeout_seconds = 300},
                                            [&](std::string_view line) {
                                              log << line << '\n';
                                              lines.emplace_back(line);
                                            });
  log.close();
  std::string failure;
  if (const auto* launch = std::get_if<qemu_runner::Launch_error>(&run)) {
    failure = launch->message + "; QEMU is needed (scripts/install-deps installs it)";
  } else if (const auto& end = std::get<qemu_runner::Run_end>(run); end.kind == qemu_runner::Run_end::Kind::timed_out) {
    failure = "timed out after 300 s";
  } else if (end.kind == qemu_runner::Run_end::Kind::killed_by_signal) {
    failure = "QEMU was killed by signal " + std::to_string(end.code);
  } else if (end.code != 0) {
    failure = "QEMU exit status " + std::to_string(end.code);
  }
  if (!failure.empty()) {
    for (size_t i = lines.size() > 20 ? lines.size() - 20 : 0; i < lines.size(); ++i) std::cerr << lines[i] << '\n';
    return fail("the benchmark run on " + cpu + " failed (" + failure + "); console in " + log_path.string());
  }
  bool reported_failure = false;
  for (const auto& line : lines) {
    if (line.find("FAILED") != std::string::npos || line.find("kernel panic") != std::string::npos) {
      std::cerr << line << '\n';
      reported_failure = true;
    }
  }
  if (reported_failure) return fail("a benchmark program reported a failure; console in " + log_path.string());

  const auto results = parse_results(lines);
  if (!results.problems.empty()) {
    for (const auto& problem : results.problems) std::cerr << tool << ": " << problem << '\n';
    return fail("the figures are incomplete; console in " + log_path.string());
  }
  std::cout << results_table(results, cpu) << std::flush;
  const std::string text = results_json(results, bench_context(qemu, cpu));
  if (!kestrel::policy::write_file_atomically(json.string(), text.data(), text.size())) {
    std::cerr << tool << ": error: cannot write " << json.string() << '\n';
    return exit_output;
  }
  std::cout << "\n" << tool << ": figures in " << json.string() << std::endl;
  return 0;
}

}  // namespace

int run_bench(const Bench_command& command) {
  const fs::path build_directory = command.build_directory.empty() ? config::build_directory : command.build_directory;
  const std::string qemu = command.qemu.empty() ? config::qemu : command.qemu;
  if (std::string_view(config::bench_kernel).empty()) {
    return fail(
        "this kestrel was built without the AArch64 side (KESTREL_BUILD_TARGET=OFF), which the benchmark needs");
  }
  if (command.build) {
    std::cerr << tool << ": building the target side in " << build_directory.string() << '\n';
    const auto result =
        qemu_runner::run_process({config::cmake, "--build", build_directory.string(), "--target", "kestrel_target"}, {},
                                 [](std::string_view line) { std::cerr << line << '\n'; });
    const auto* end = std::get_if<qemu_runner::Run_end>(&result);
    if (end == nullptr || end->kind != qemu_runner::Run_end::Kind::exited || end->code != 0) {
      return fail("could not build the target side in " + build_directory.string());
    }
  }
  if (command.scale) return run_bench_scale(command, build_directory.string(), qemu);
  const fs::path out = build_directory / "bench";
  const fs::path image = out / "ipc-bench.elf";
  std::error_code error;
  // A failed run must not leave the figures of an earlier one looking
  // current, whichever CPU model it was on (ipc.json: before --cpu).
  fs::remove(out / "ipc.json", error);
  for (const auto& cpu : qemu_runner::supported_cpus()) fs::remove(out / ("ipc-" + cpu + ".json"), error);
  fs::create_directories(out, error);
  if (error) return fail("cannot create " + out.string() + ": " + error.message());

  const fs::path kernel = build_directory / config::bench_kernel;
  const fs::path programs = build_directory / config::bench_programs;
  if (!fs::is_regular_file(kernel)) {
    return fail("the benchmark kernel " + kernel.string() + " is not built (build " + build_directory.string() +
                ", or leave out --no-build)");
  }
  kestrel::sysimage::Image_inputs inputs;
  inputs.policy_path = (fs::path(config::source_directory) / "benchmarks" / "ipc" / "ipc-bench.capnp").string();
  inputs.kernel_path = kernel.string();
  inputs.search_directories = {programs.string()};
  auto result = kestrel::sysimage::build_image(inputs);
  kestrel::policy::print_gcc(std::cerr, result.diagnostics);
  for (const auto& problem : result.errors) std::cerr << tool << ": error: " << problem << '\n';
  if (!result.ok()) return fail("could not build the benchmark image " + image.string());
  if (kestrel::sysimage::tool::write_image_outputs(*result.image, {image.string(), "", "", ""}, tool) != 0) {
    return fail("could not write the benchmark image " + image.string());
  }

  for (const auto& cpu : command.cpus) {
    if (const int status = bench_on(cpu, qemu, image, out); status != 0) return status;
  }
  return 0;
}

}  // namespace kestrel_cli
