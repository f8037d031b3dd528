// SPDX-License-Identifier: Apache-2.0
// Process: runs QEMU with its output captured line by line and a time limit.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <qemu_runner/judge.hpp>

namespace qemu_runner {

struct Launch_error {
  std::string message;
};

// Bytes typed into the process once a line containing `after` has come.
struct Input_step {
  std::string after;
  std::string bytes;
};

struct Process_options {
  bool inherit_stdin = false;  // otherwise stdin is /dev/null (or `inputs`)
  int timeout_seconds = 0;     // 0: no limit
  // When on_line returns true (end this run), the process gets this many
  // more milliseconds to print or exit, then is killed; the run then ends
  // as Run_end::Kind::ended_as_asked unless it exited by itself.
  int grace_milliseconds = 1000;
  // If any: stdin is a socket the runner holds open for the whole run, and
  // the steps are typed in order, each once its line has come (after the
  // step before it; one line may trigger several steps in a row).
  std::vector<Input_step> inputs = {};
  // Nothing is typed before a line containing each of these has come (at
  // any moment of the run): a step whose line came earlier waits for them.
  // For input whose effect must not come before another partition's line
  // that races with the one the input answers.
  std::vector<std::string> hold_input_until = {};
};

// Runs `command`, calling `on_line` with each line of its standard output and
// standard error (merged, line endings stripped). On timeout kills the
// process it started (and nothing else); if this process dies, the kernel
// kills the child too (PR_SET_PDEATHSIG).
std::variant<Run_end, Launch_error> run_process(const std::vector<std::string>& command, const Process_options& options,
                                                const std::function<void(std::string_view)>& on_line);

// The same, but `on_line` returns true to end the run on purpose
// (Process_options::grace_milliseconds).
std::variant<Run_end, Launch_error> run_process_until(const std::vector<std::string>& command,
                                                      const Process_options& options,
                                                      const std::function<bool(std::string_view)>& on_line);

}  // namespace qemu_runner
