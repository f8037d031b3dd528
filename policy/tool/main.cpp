// SPDX-License-Identifier: Apache-2.0
// kestrel-policy: check a partition policy and compile it into boot-info.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <kestrel/policy/codes.hpp>
#include <kestrel/policy/compiler.hpp>
#include <kestrel/policy/output_file.hpp>

namespace {

using namespace kestrel::policy;

constexpr int exit_policy_errors = 1;
constexpr int exit_usage = 2;
constexpr int exit_output = 3;

constexpr const char* usage = R"(usage: kestrel-policy check POLICY [options]
       kestrel-policy codes

check   Compile POLICY (.capnp or .json) and print every diagnostic as
        file:line:col: error: KPxxxx: message. Writes outputs only if there
        are no errors; never leaves a partial file behind.
codes   List every diagnostic code with its meaning.

options:
  -o, --output FILE    write the boot-info blob to FILE
  --summary FILE       write a readable summary (memory map, capabilities,
                       threads, schedule) to FILE; '-' for standard output
  --format gcc|json    how to print diagnostics (default gcc)
  -I, --import DIR     search DIR for /kestrel/... imports first
  --constant NAME      the System constant to compile, if there are several
  --werror             treat warnings as errors
  -h, --help           this text

exit status: 0 compiled (maybe with warnings), 1 the policy has errors,
2 bad usage, 3 an output file could not be written.
)";

struct Options {
  std::string policy;
  std::string output;
  std::string summary;
  bool json = false;
  bool warnings_are_errors = false;
  Load_options load;
};

int usage_error(const std::string& message) {
  std::cerr << "kestrel-policy: error: " << message << "\n(kestrel-policy --help shows the usage)\n";
  return exit_usage;
}

int list_codes() {
  for (const auto& info : all_codes()) {
    std::cout << code_text(info.code) << "  " << (info.severity == Severity::error ? "error  " : "warning") << "  "
              << info.summary << '\n';
  }
  return 0;
}

int check(const Options& options) {
  auto result = compile_policy(options.policy, options.load);
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
    std::cerr << "kestrel-policy: error: cannot write " << options.output << '\n';
    return exit_output;
  }
  if (options.summary == "-") {
    std::cout << result.summary;
  } else if (!options.summary.empty() &&
             !write_file_atomically(options.summary, result.summary.data(), result.summary.size())) {
    if (!options.output.empty()) std::remove(options.output.c_str());  // all outputs or none
    std::cerr << "kestrel-policy: error: cannot write " << options.summary << '\n';
    return exit_output;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  if (arguments.empty()) return usage_error("no command given");
  for (const auto& argument : arguments) {
    if (argument == "-h" || argument == "--help") {
      std::cout << usage;
      return 0;
    }
  }
  if (arguments[0] == "codes") return arguments.size() == 1 ? list_codes() : usage_error("codes takes no arguments");
  if (arguments[0] != "check") return usage_error("unknown command '" + arguments[0] + "'");

  Options options;
  for (size_t i = 1; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= arguments.size()) return false;
      out = arguments[++i];
      return true;
    };
    std::string format;
    if (argument == "-o" || argument == "--output") {
      if (!value(options.output)) return usage_error(argument + " needs a file name");
    } else if (argument == "--summary") {
      if (!value(options.summary)) return usage_error("--summary needs a file name or '-'");
    } else if (argument == "--format") {
      if (!value(format) || (format != "gcc" && format != "json")) return usage_error("--format must be gcc or json");
      options.json = format == "json";
    } else if (argument == "-I" || argument == "--import") {
      std::string directory;
      if (!value(directory)) return usage_error(argument + " needs a directory");
      options.load.import_paths.push_back(directory);
    } else if (argument == "--constant") {
      if (!value(options.load.constant)) return usage_error("--constant needs a name");
    } else if (argument == "--werror") {
      options.warnings_are_errors = true;
    } else if (!argument.empty() && argument[0] == '-') {
      return usage_error("unknown option '" + argument + "'");
    } else if (options.policy.empty()) {
      options.policy = argument;
    } else {
      return usage_error("more than one policy given: '" + argument + "'");
    }
  }
  if (options.policy.empty()) return usage_error("check needs a policy file");
  std::error_code error;
  for (const auto& output : {options.output, options.summary}) {
    if (!output.empty() && output != "-" && std::filesystem::equivalent(output, options.policy, error)) {
      return usage_error("output '" + output + "' would overwrite the policy");
    }
  }
  return check(options);
}
