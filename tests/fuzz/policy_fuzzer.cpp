// SPDX-License-Identifier: Apache-2.0
// Policy-compiler fuzz target: each input is one policy file, compiled
// through the whole pipeline `kestrel-policy check` runs (load, resolve,
// validate, allocate, emit) and its diagnostics printed both ways.
//
// Built twice, once per input format (KESTREL_FUZZ_EXTENSION is ".json" or
// ".capnp"), so each format keeps its own corpus and dictionary and neither
// spends mutations on the other's syntax.
//
// Besides crashes, sanitizer reports, leaks and hangs, it checks what the
// check command and the kernel rely on: outputs exist exactly when there are
// no errors, and boot-info the compiler accepts is boot-info the kernel's own
// reader accepts.
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <kestrel/boot_info.hpp>
#include <kestrel/policy/compiler.hpp>
#include <kestrel/policy/diagnostics.hpp>

#ifndef KESTREL_FUZZ_EXTENSION
#error "KESTREL_FUZZ_EXTENSION must be the policy file's extension: \".json\" or \".capnp\""
#endif

namespace {

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "policy_fuzzer: %s\n", message.c_str());
  std::abort();
}

// The loader reads a file by path (the Cap'n Proto parser resolves imports
// from it and the format comes from its extension), as the check command
// does, so every input is written to the same file in a private directory.
class Policy_file {
 public:
  Policy_file() {
    std::string directory = (std::filesystem::temp_directory_path() / "kestrel-policy-fuzz-XXXXXX").string();
    if (mkdtemp(directory.data()) == nullptr) fail("cannot create a temporary directory");
    directory_ = directory;
    path_ = directory_ + "/policy" KESTREL_FUZZ_EXTENSION;
  }
  ~Policy_file() {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }
  Policy_file(const Policy_file&) = delete;
  Policy_file& operator=(const Policy_file&) = delete;

  const std::string& write(const uint8_t* data, size_t size) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.close();
    if (!out) fail("cannot write " + path_);
    return path_;
  }

 private:
  std::string directory_;
  std::string path_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Policy_file file;
  const std::string& path = file.write(data, size);

  const auto result = kestrel::policy::compile_policy(path, {});
  std::ostringstream printed;
  kestrel::policy::print_gcc(printed, result.diagnostics);
  kestrel::policy::print_json(printed, result.diagnostics);

  if (result.ok() == result.boot_info.empty()) {
    fail(result.ok() ? "no errors but no boot-info" : "errors but boot-info all the same");
  }
  if (result.ok() && (result.summary.empty() || !result.model)) fail("no errors but no summary or model");
  if (result.ok()) {
    const auto read = kestrel::read_boot_info(result.boot_info.data(), result.boot_info.size());
    if (!read.ok()) {
      fail(std::string("the kernel rejects boot-info the compiler accepted: ") +
           kestrel::to_string(read.problem().error) + " in " + kestrel::to_string(read.problem().section) + " entry " +
           std::to_string(read.problem().index));
    }
  }
  return 0;
}
