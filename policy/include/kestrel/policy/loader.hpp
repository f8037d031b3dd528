// SPDX-License-Identifier: Apache-2.0
// Loader: reads a policy file (.capnp or .json) into a System reader plus a
// source map, reporting problems as diagnostics.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <kestrel/policy/policy.capnp.h>
#include <kestrel/policy/diagnostics.hpp>
#include <kestrel/policy/source_map.hpp>

namespace kestrel::policy {

struct Load_options {
  std::vector<std::string> import_paths;  // searched for /kestrel/... imports, before the built-in schema
  std::string constant;                   // which System constant; empty: the only one
};

// Everything a System reader points into, kept alive together.
class Loaded_policy {
 public:
  Loaded_policy();
  ~Loaded_policy();
  Loaded_policy(const Loaded_policy&) = delete;
  Loaded_policy& operator=(const Loaded_policy&) = delete;

  schema::System::Reader system() const { return system_; }
  Source_ref root() const { return {file_.get(), root_node_.get(), root_offset_}; }

 private:
  friend class Loader;
  struct Storage;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<Source_file> file_;
  std::unique_ptr<Source_node> root_node_;
  uint32_t root_offset_ = 0;
  schema::System::Reader system_;
};

// Returns nullptr after reporting errors.
std::unique_ptr<Loaded_policy> load_policy(const std::string& path, const Load_options& options,
                                           Diagnostics& diagnostics);

// The directory holding kestrel/policy.capnp that this build uses.
std::string builtin_schema_directory();

}  // namespace kestrel::policy
