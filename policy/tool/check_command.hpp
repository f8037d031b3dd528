// SPDX-License-Identifier: Apache-2.0
// Check command: compile a policy, print its diagnostics, write its outputs.
// Shared by `kestrel-policy check` and `kestrel check`, so both print the
// same thing; header-only, so the kestrel tool needs no library of its own
// from this directory.
#pragma once

#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <string_view>

#include <kestrel/policy/compiler.hpp>
#include <kestrel/policy/output_file.hpp>

namespace kestrel::policy::tool {

inline constexpr int exit_policy_errors = 1;
inline constexpr int exit_usage = 2;
inline constexpr int exit_output = 3;

struct Check_options {
  std::string policy;
  std::string output;   // boot-info blob; empty: none
  std::string summary;  // '-': standard output; empty: none
  bool json = false;
  bool warnings_are_errors = false;
  Load_options load;
  // A further check of a policy that compiled (kestrel check: its program
  // sources exist, KP0413); what it reports is printed with the compiler's
  // diagnostics, in either format, and an error means nothing is written.
  std::function<void(const Model&, Diagnostics&)> check_model;
};

// A usage problem the options have (an output that would overwrite the
// policy), or an empty string.
inline std::string check_options_problem(const Check_options& options) {
  std::error_code error;
  for (const auto& output : {options.output, options.summary}) {
    if (!output.empty() && output != "-" && std::filesystem::equivalent(output, options.policy, error)) {
      return "output '" + output + "' would overwrite the policy";
    }
  }
  return {};
}

// Diagnostics as file:line:col (or JSON on standard output), then the
// outputs, all or none. Returns the exit status; `tool` prefixes messages.
inline int check_policy(const Check_options& options, std::string_view tool) {
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
    std::cerr << options.policy << ": " << result.diagnostics.error_count() << " error(s), "
              << result.diagnostics.warning_count() << " warning(s)\n";
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
