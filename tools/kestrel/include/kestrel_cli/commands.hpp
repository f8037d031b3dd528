// SPDX-License-Identifier: Apache-2.0
// Commands: what each kestrel subcommand does. Each returns the exit status.
#pragma once

#include <kestrel_cli/arguments.hpp>

namespace kestrel_cli {

inline constexpr int exit_errors = 1;  // a bad policy, program or input
inline constexpr int exit_usage = 2;
inline constexpr int exit_output = 3;  // an output could not be written

int run_check(const Check_command& command);
int run_build(const Build_command& command);
int run_run(const Run_command& command);
int run_bench(const Bench_command& command);

}  // namespace kestrel_cli
