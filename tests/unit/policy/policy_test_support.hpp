// SPDX-License-Identifier: Apache-2.0
// Policy test support: paths and small helpers shared by the policy tests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <kestrel/policy/diagnostics.hpp>

inline std::filesystem::path source_directory() { return KESTREL_SOURCE_DIR; }
inline std::filesystem::path cases_directory() { return source_directory() / "tests" / "unit" / "policy" / "cases"; }
inline std::filesystem::path examples_directory() { return source_directory() / "examples"; }
// Whole systems that are compiler input only (systems/README.md).
inline std::filesystem::path systems_directory() {
  return source_directory() / "tests" / "unit" / "policy" / "systems";
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

inline void write_file(const std::filesystem::path& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
}

inline std::string diagnostics_text(const kestrel::policy::Diagnostics& diagnostics) {
  std::ostringstream out;
  kestrel::policy::print_gcc(out, diagnostics);
  return out.str();
}

// A fresh directory under the system's temporary directory, removed with the
// object.
class Scratch_directory {
 public:
  Scratch_directory() {
    path_ = std::filesystem::temp_directory_path() /
            ("kestrel-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::create_directories(path_);
  }
  ~Scratch_directory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  static int& counter() {
    static int value = 0;
    return value;
  }
  std::filesystem::path path_;
};
