// SPDX-License-Identifier: Apache-2.0
// kestrel: check a policy, build an image, run it under QEMU, run the IPC
// benchmark; one command for all four.
#include <iostream>
#include <string>
#include <vector>

#include <kestrel_cli/arguments.hpp>
#include <kestrel_cli/commands.hpp>

int main(int argc, char** argv) {
  using namespace kestrel_cli;
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  const auto parsed = parse_arguments(arguments);
  if (const auto* help = std::get_if<Help>(&parsed)) {
    std::cout << help->text;
    return 0;
  }
  if (const auto* error = std::get_if<Usage_error>(&parsed)) {
    const std::string help = error->subcommand.empty() ? "kestrel --help" : "kestrel " + error->subcommand + " --help";
    std::cerr << "kestrel: error: " << error->message << "\n(" << help << " shows the usage)\n";
    return exit_usage;
  }
  if (const auto* command = std::get_if<Check_command>(&parsed)) return run_check(*command);
  if (const auto* command = std::get_if<Build_command>(&parsed)) return run_build(*command);
  if (const auto* command = std::get_if<Run_command>(&parsed)) return run_run(*command);
  return run_bench(std::get<Bench_command>(parsed));
}
