// SPDX-License-Identifier: Apache-2.0
// Run: starts QEMU, streams its console, turns how it ended into an exit
// status (and, in test mode, a verdict).
#include <qemu_runner/run.hpp>

#include <unistd.h>

#include <iostream>
#include <string>

#include <qemu_runner/judge.hpp>
#include <qemu_runner/process.hpp>

namespace qemu_runner {

int run_qemu(const Options& options, std::string_view tool) {
  if (access(options.image.c_str(), R_OK) != 0) {
    std::cerr << tool << ": error: cannot read image '" << options.image << "'\n";
    return exit_usage;
  }
  const auto command = qemu_command(options);
  if (options.print_command) {
    std::cout << tool << ": running";
    for (const auto& argument : command) std::cout << ' ' << argument;
    std::cout << std::endl;
  }

  Judge judge{options.checks};
  const Process_options process{.inherit_stdin = !options.test_mode(),
                                .timeout_seconds = options.effective_timeout(),
                                .inputs = options.inputs,
                                .hold_input_until = options.hold_input_until};
  const auto result = run_process_until(command, process, [&](std::string_view line) {
    if (!options.quiet) std::cout << line << std::endl;
    judge.observe_line(line);
    if (options.test_mode() && judge.saw_forbidden_line()) return true;
    return !options.end_after.empty() && line.find(options.end_after) != std::string_view::npos;
  });

  const std::string& name = options.checks.name;
  if (const auto* error = std::get_if<Launch_error>(&result)) {
    std::cerr << tool << ": error: " << error->message << "\n"
              << tool << ": QEMU is needed to run images; scripts/install-deps installs it\n";
    if (options.test_mode()) std::cout << name << ": 0 passed, 1 failed" << std::endl;
    return exit_launch;
  }
  const auto& end = std::get<Run_end>(result);
  if (!options.test_mode()) {
    switch (end.kind) {
      case Run_end::Kind::exited:
        return end.code;
      case Run_end::Kind::killed_by_signal:
        std::cerr << tool << ": QEMU was killed by signal " << end.code << "\n";
        return exit_failed;
      case Run_end::Kind::timed_out:
        std::cerr << tool << ": timed out after " << end.timeout_seconds << " s; QEMU was killed\n";
        return exit_timeout;
      case Run_end::Kind::ended_as_asked:
        std::cerr << tool << ": \"" << options.end_after << "\" seen; QEMU was stopped\n";
        return 0;
    }
  }
  if (end.kind == Run_end::Kind::ended_as_asked && judge.saw_forbidden_line()) {
    std::cerr << tool << ": a forbidden line was printed; QEMU was stopped\n";
  }
  const auto verdict = judge.finish(end);
  for (const auto& message : verdict.messages) std::cout << message << "\n";
  std::cout << verdict.summary_line(name) << std::endl;
  return verdict.ok() ? 0 : exit_failed;
}

}  // namespace qemu_runner
