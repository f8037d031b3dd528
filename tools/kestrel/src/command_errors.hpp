// SPDX-License-Identifier: Apache-2.0
// Command errors: how the kestrel commands (commands.cpp, bench_command.cpp)
// name themselves in messages and report a failure.
#pragma once

#include <iostream>
#include <string>

#include <kestrel_cli/commands.hpp>

namespace kestrel_cli {

inline constexpr const char* tool = "kestrel";

// "kestrel: error: MESSAGE" on standard error; the exit status for it.
inline int fail(const std::string& message) {
  std::cerr << tool << ": error: " << message << '\n';
  return exit_errors;
}

}  // namespace kestrel_cli
