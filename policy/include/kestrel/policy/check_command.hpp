// SPDX-License-Identifier: Apache-2.0
// Check command: compile a policy, print its diagnostics, write its outputs.
// Shared by `kestrel-policy check` and `kestrel check`, so both print the
// same thing.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <kestrel/policy/loader.hpp>

namespace kestrel::policy {
struct Model;
}

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
std::string check_options_problem(const Check_options& options);

// Diagnostics as file:line:col (or JSON on standard output), then the
// outputs, all or none. Returns the exit status; `tool` prefixes messages.
int check_policy(const Check_options& options, std::string_view tool);

}  // namespace kestrel::policy::tool
