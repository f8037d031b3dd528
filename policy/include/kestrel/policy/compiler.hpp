// SPDX-License-Identifier: Apache-2.0
// Compiler: the whole pipeline on one policy file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <kestrel/policy/diagnostics.hpp>
#include <kestrel/policy/loader.hpp>

namespace kestrel::policy {

struct Compile_result {
  Diagnostics diagnostics;         // sorted by location
  std::vector<uint8_t> boot_info;  // empty if there were errors
  std::string summary;
  bool ok() const { return !diagnostics.has_errors(); }
};

// Never throws for bad input: every problem is a diagnostic.
Compile_result compile_policy(const std::string& path, const Load_options& options);

}  // namespace kestrel::policy
