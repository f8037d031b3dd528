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

struct Process_options {
  bool inherit_stdin = false;  // otherwise stdin is /dev/null
  int timeout_seconds = 0;     // 0: no limit
  // When on_line returns true (end this run), the process gets this many
  // more milliseconds to print or exit, then is killed; the run then ends
  // as Run_end::Kind::ended_as_asked unless it exited by itself.
  int grace_milliseconds = 1000;
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
