// SPDX-License-Identifier: Apache-2.0
// Compiler: the whole pipeline on one policy file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <kestrel/policy/diagnostics.hpp>
#include <kestrel/policy/loader.hpp>

namespace kestrel::policy {

struct Model;

struct Compile_result {
  Diagnostics diagnostics;         // sorted by location
  std::vector<uint8_t> boot_info;  // empty if there were errors
  std::string summary;
  // The IPCM's tunnel table (kestrel/abi/tunnel_table.hpp); empty without
  // an IPCM or with errors. For the image builder to give the IPCM
  // (docs/ipcm.md, "How the table reaches the IPCM").
  std::vector<uint8_t> tunnel_table;
  // The allocated model, for the image builder; set when there are no errors.
  // It points into `policy`, which is kept alive with it.
  std::shared_ptr<Loaded_policy> policy;
  std::shared_ptr<Model> model;
  bool ok() const { return !diagnostics.has_errors(); }
};

// Never throws for bad input: every problem is a diagnostic.
Compile_result compile_policy(const std::string& path, const Load_options& options);

// How many times compile_policy has run in this process: `kestrel build`
// compiles its policy once, and its test checks that with this.
uint64_t policies_compiled();

}  // namespace kestrel::policy
