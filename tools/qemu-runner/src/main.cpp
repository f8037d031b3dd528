// SPDX-License-Identifier: Apache-2.0
// kestrel-qemu: boot an image under QEMU, stream its console, and (in test
// mode) judge the run.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <qemu_runner/judge.hpp>
#include <qemu_runner/options.hpp>
#include <qemu_runner/process.hpp>

namespace {

constexpr int exit_failed = 1;
constexpr int exit_usage = 2;
constexpr int exit_launch = 3;
constexpr int exit_timeout = 124;  // as timeout(1)

int run(const qemu_runner::Options& options) {
  if (access(options.image.c_str(), R_OK) != 0) {
    std::cerr << "kestrel-qemu: error: cannot read image '" << options.image << "'\n";
    return exit_usage;
  }
  const auto command = qemu_runner::qemu_command(options);
  if (options.print_command) {
    std::cout << "kestrel-qemu: running";
    for (const auto& argument : command) std::cout << ' ' << argument;
    std::cout << std::endl;
  }

  qemu_runner::Judge judge{options.checks};
  const qemu_runner::Process_options process{.inherit_stdin = !options.test_mode(),
                                             .timeout_seconds = options.effective_timeout()};
  const auto result = qemu_runner::run_process(command, process, [&](std::string_view line) {
    if (!options.quiet) std::cout << line << std::endl;
    judge.observe_line(line);
  });

  const std::string& name = options.checks.name;
  if (const auto* error = std::get_if<qemu_runner::Launch_error>(&result)) {
    std::cerr << "kestrel-qemu: error: " << error->message << "\n"
              << "kestrel-qemu: QEMU is needed to run images; scripts/install-deps installs it\n";
    if (options.test_mode()) std::cout << name << ": 0 passed, 1 failed" << std::endl;
    return exit_launch;
  }
  const auto& end = std::get<qemu_runner::Run_end>(result);
  if (!options.test_mode()) {
    switch (end.kind) {
      case qemu_runner::Run_end::Kind::exited:
        return end.code;
      case qemu_runner::Run_end::Kind::killed_by_signal:
        std::cerr << "kestrel-qemu: QEMU was killed by signal " << end.code << "\n";
        return exit_failed;
      case qemu_runner::Run_end::Kind::timed_out:
        std::cerr << "kestrel-qemu: timed out after " << end.timeout_seconds << " s; QEMU was killed\n";
        return exit_timeout;
    }
  }
  const auto verdict = judge.finish(end);
  for (const auto& message : verdict.messages) std::cout << message << "\n";
  std::cout << verdict.summary_line(name) << std::endl;
  return verdict.ok() ? 0 : exit_failed;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  const auto parsed = qemu_runner::parse_arguments(arguments);
  if (std::holds_alternative<qemu_runner::Help_requested>(parsed)) {
    std::cout << qemu_runner::usage_text();
    return 0;
  }
  if (const auto* error = std::get_if<qemu_runner::Usage_error>(&parsed)) {
    std::cerr << "kestrel-qemu: error: " << error->message << "\n(kestrel-qemu --help shows the options)\n";
    return exit_usage;
  }
  return run(std::get<qemu_runner::Options>(parsed));
}
