// SPDX-License-Identifier: Apache-2.0
// kestrel-policy: check a partition policy and compile it into boot-info.
#include <iostream>
#include <string>
#include <vector>

#include <kestrel/policy/check_command.hpp>
#include <kestrel/policy/codes.hpp>
#include <kestrel/policy/suggest.hpp>

namespace {

using namespace kestrel::policy;
using namespace kestrel::policy::tool;

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
  if (arguments[0] != "check") return usage_error(unknown_argument("command", arguments[0], {"check", "codes"}));

  Check_options options;
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
      return usage_error(unknown_argument(
          "option", argument, {"-o", "--output", "--summary", "--format", "-I", "--import", "--constant", "--werror"}));
    } else if (options.policy.empty()) {
      options.policy = argument;
    } else {
      return usage_error("more than one policy given: '" + argument + "'");
    }
  }
  if (options.policy.empty()) return usage_error("check needs a policy file");
  if (const auto problem = check_options_problem(options); !problem.empty()) return usage_error(problem);
  return check_policy(options, "kestrel-policy");
}
