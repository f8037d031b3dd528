// SPDX-License-Identifier: Apache-2.0
// Check command: what `kestrel-policy check` and `kestrel check` do.
#include <kestrel/policy/check_command.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include <kestrel/policy/compiler.hpp>
#include <kestrel/policy/output_file.hpp>

namespace kestrel::policy::tool {

std::string check_options_problem(const Check_options& options) {
  std::error_code error;
  for (const auto& output : {options.output, options.summary}) {
    if (!output.empty() && output != "-" && std::filesystem::equivalent(output, options.policy, error)) {
      return "output '" + output + "' would overwrite the policy";
    }
  }
  return {};
}

int check_policy(const Check_options& options, std::string_view tool) {
  auto result = compile_policy(options.policy, options.load);
  if (result.ok() && options.check_model) {
    options.check_model(*result.model, result.diagnostics);
    result.diagnostics.sort();
  }
  if (options.json) {
    print_json(std::cout, result.diagnostics);
  } else {
    print_gcc(std::cerr, result.diagnostics);
  }
  const bool failed = !result.ok() || (options.warnings_are_errors && result.diagnostics.warning_count() > 0);
  if (!options.json && (result.diagnostics.error_count() > 0 || result.diagnostics.warning_count() > 0)) {
    print_counts(std::cerr, options.policy, result.diagnostics);
  }
  if (failed) return exit_policy_errors;
  if (!options.output.empty() &&
      !write_file_atomically(options.output, result.boot_info.data(), result.boot_info.size())) {
    std::cerr << tool << ": error: cannot write " << options.output << '\n';
    return exit_output;
  }
  if (options.summary == "-") {
    std::cout << result.summary;
  } else if (!options.summary.empty() &&
             !write_file_atomically(options.summary, result.summary.data(), result.summary.size())) {
    if (!options.output.empty()) std::remove(options.output.c_str());  // all outputs or none
    std::cerr << tool << ": error: cannot write " << options.summary << '\n';
    return exit_output;
  }
  return 0;
}

}  // namespace kestrel::policy::tool
