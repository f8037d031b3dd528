// SPDX-License-Identifier: Apache-2.0
// Arguments: parsing of the kestrel command line and its help texts.
#include <kestrel_cli/arguments.hpp>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <string_view>

#include <kestrel/policy/suggest.hpp>
#include <kestrel/version.hpp>
#include <qemu_runner/options.hpp>

namespace kestrel_cli {
namespace {

constexpr unsigned max_cpus = 8;  // the kernel's limit on QEMU virt

constexpr const char* top_usage = R"(usage: kestrel COMMAND [options]

commands:
  check POLICY           check a policy and print its diagnostics
  build POLICY -o IMAGE  compile the policy, build the partition programs it
                         names as C++ source, write the image, its report
                         and its picture
  run IMAGE|POLICY       boot an image under QEMU (building a policy first)
  bench                  build and run the IPC benchmark, print its figures
  version, --version     print the version (as the kernel's boot banner)

`kestrel COMMAND --help` describes each command; docs/kestrel.md is the
reference.

exit status: 0 success; 1 errors in the policy, a program or another input;
2 bad usage; 3 an output could not be written. kestrel run exits with
QEMU's status (0 when the system powered off).
)";

constexpr const char* check_usage = R"(usage: kestrel check POLICY [options]

Compiles POLICY (.capnp or .json) and prints every diagnostic as
file:line:col: error: KPxxxx: message, as kestrel-policy check does, then
checks that the program sources it names (program = "hello.cpp") exist.
Writes outputs only if there are no errors; then prints
"POLICY: ok: N partitions, ..." on standard error.

options:
  --format gcc|json    how to print diagnostics (default gcc; json goes to
                       standard output)
  --summary FILE|-     write the readable summary (memory map, capability
                       slots, threads, schedule); '-' for standard output
  -o, --output FILE    write the boot-info blob to FILE
  -I, --import DIR     search DIR for /kestrel/... imports first
  --constant NAME      the System constant to compile, if there are several
  --werror             treat warnings as errors
  -h, --help           this text

exit status: 0 compiled (maybe with warnings), 1 the policy has errors or
names a missing program source, 2 bad usage, 3 an output could not be
written.
)";

constexpr const char* build_usage = R"(usage: kestrel build POLICY -o IMAGE [options]

Compiles POLICY, compiles every partition program it names as C++ source
(program = "hello.cpp", relative to the policy's directory) with the
Kestrel package's recipe (a CMake project of kestrel_add_partition calls,
as the target build compiles its own programs), and writes IMAGE, its
report (IMAGE with .report for its extension) and its picture (.svg).
Programs compiled from source go to IMAGE with .programs for its extension,
as <stem>.elf; CMake compiles each again only when its source, its
generated kestrel/slots.hpp or anything else it was built from changed.
Nothing is written unless everything succeeds.

Each such program can #include <kestrel/slots.hpp>: its partition's
capability slots as constants in namespace kestrel::slots (serve_E, call_E,
wait_N, signal_N, irq_D, vcpu_V_I, kernel_console) and partition_name, and
where it sees its memory regions and channels (kestrel::memory::R_address,
R_size; kestrel::channels::C_address, C_size, C_writable).

options:
  -o, --output IMAGE  the image to write
  --kernel ELF        the kernel (default: the build tree's kestrel.elf)
  -P, --path DIR      also look for programs and payloads in DIR
                      (repeatable; after the policy's directory)
  -I, --import DIR    search DIR for /kestrel/... schema imports first
  --constant NAME     the System constant to compile, if there are several
  --sign KEY          sign boot-info with this Ed25519 secret key
  --debug             compile the programs without optimisation (-O0 -g),
                      for stepping through them with gdb
  -v, --verbose       print every compiler command
  -h, --help          this text

exit status: 0 written, 1 errors in the policy, a program or another input,
2 bad usage, 3 an output could not be written.
)";

constexpr const char* run_usage = R"(usage: kestrel run IMAGE|POLICY [options] [-- QEMU-ARGS...]

Boots IMAGE under qemu-system-aarch64 (virt, EL2, GICv3, Cortex-A72) with
the serial console on this terminal, as kestrel-qemu does. Given a policy
(.capnp or .json) instead, builds it first, as kestrel build does, into
the build tree's kestrel-run/ directory (or a temporary directory when
there is no writable build tree) and says where.

options:
  --smp N            number of CPUs, 1-8 (default 4)
  --memory SIZE      guest RAM (default 1G, the RAM the qemu-virt platform
                     describes)
  --timeout SECONDS  kill QEMU (only the QEMU it started) after this long;
                     0 or none given: no limit
  --gdb              start QEMU halted with a gdb stub and print the
                     gdb-multiarch command that attaches with the kernel's
                     symbols, and add-symbol-file lines for the partitions
  --qemu PATH        QEMU binary (default qemu-system-aarch64)
  --kernel ELF       the kernel: built into the image from a policy, and
                     whose symbols --gdb loads (default: the build tree's)
  -P DIR, -I DIR, --constant NAME, --sign KEY, --debug, -v
                     as for kestrel build, when given a policy
  -h, --help         this text

exit status: QEMU's (0 when the system powered itself off), 1 if QEMU was
killed by a signal or the build failed, 2 bad usage, 3 QEMU could not be
started, 124 timed out.
)";

constexpr const char* bench_usage = R"(usage: kestrel bench [options]

Builds the target side (cmake --build DIR --target kestrel_target), builds
the IPC benchmark image from benchmarks/ipc/ipc-bench.capnp on the benchmark
kernel, boots it under QEMU with -icount shift=0,sleep=off on each CPU model
asked for, prints a table of the figures beside seL4's, with a footnote on
where seL4's come from, and writes them as JSON to DIR/bench/ipc-CPU.json
(console in DIR/bench/ipc-CPU.log). docs/benchmarks.md describes the method.

options:
  --build-dir DIR   the build tree (default: the one kestrel was built in)
  --no-build        use the target side as it is, without building it
  --qemu PATH       QEMU binary (default qemu-system-aarch64)
  --cpu MODEL       QEMU CPU model: cortex-a72 (default), cortex-a57 (the
                    model seL4's figures were taken on), or both, one run
                    and one table each, cortex-a72 first
  --scale           the scale benchmark instead (docs/benchmarks.md, "Scale"):
                    generates systems into DIR/bench/scale, builds and boots
                    each, and prints a table per part (also saved in
                    DIR/bench/scale/scale-CPU.txt):
                      threads     Call, ReplyRecv, Send, Signal and the
                                  interrupt with 8, 64 and 256 threads on
                                  the measuring CPU
                      cpus        a Call/ReplyRecv pair and a Signal on each
                                  of 1, 2, 4 and 8 CPUs at once
                      cross       Call and Signal from CPU 0 to CPU 1
                      partitions  256 and 1024 partitions built and booted
                                  (on -cpu max: 16-bit VMIDs)
  --part NAME       with --scale: only this part (repeatable)
  -h, --help        this text

exit status: 0 figures written, 1 the run failed or a figure is missing,
2 bad usage.
)";

// What each subcommand accepts, for "did you mean" on a misspelt one.
const std::vector<std::string> commands = {"check", "build", "run", "bench", "version", "help"};
const std::vector<std::string> check_options = {"--format", "--summary",  "-o",       "--output", "-I",
                                                "--import", "--constant", "--werror", "-h",       "--help"};
const std::vector<std::string> build_options = {"--kernel",   "-P",     "--path", "-I",        "--import",
                                                "--constant", "--sign", "-v",     "--verbose", "-o",
                                                "--output",   "-h",     "--help"};
const std::vector<std::string> run_options = {"--kernel", "-P",    "--path",    "-I",    "--import",  "--constant",
                                              "--sign",   "-v",    "--verbose", "--smp", "--timeout", "--memory",
                                              "--qemu",   "--gdb", "-h",        "--help"};
const std::vector<std::string> bench_options = {"--build-dir", "--no-build", "--qemu", "--cpu",
                                                "--scale",     "--part",     "-h",     "--help"};
const std::vector<std::string> scale_parts = {"threads", "cpus", "cross", "partitions"};

using kestrel::policy::unknown_argument;  // "unknown option '--formt' (did you mean '--format'?)"

bool parse_number(std::string_view text, long min, long max, long& out) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc{} && end == text.data() + text.size() && out >= min && out <= max;
}

// Walks one subcommand's arguments; `value` takes the next one as an
// option's value.
class Cursor {
 public:
  Cursor(const std::vector<std::string>& arguments, std::string subcommand)
      : arguments_{arguments}, subcommand_{std::move(subcommand)} {}
  bool done() const { return index_ >= arguments_.size(); }
  const std::string& next() { return arguments_[index_++]; }
  // The rest, after "--".
  std::vector<std::string> rest() {
    std::vector<std::string> out(arguments_.begin() + static_cast<long>(index_), arguments_.end());
    index_ = arguments_.size();
    return out;
  }
  std::optional<std::string> value() {
    if (done()) return std::nullopt;
    return next();
  }
  Usage_error error(std::string message) const { return {std::move(message), subcommand_}; }

 private:
  const std::vector<std::string>& arguments_;
  std::string subcommand_;
  size_t index_ = 1;  // after the subcommand
};

bool is_option(const std::string& argument) { return argument.size() > 1 && argument[0] == '-'; }

// Options `kestrel build` and `kestrel run POLICY` share. Returns true if
// `argument` was one of them (or an error in `error`).
bool parse_build_option(const std::string& argument, Cursor& cursor, Build_inputs& inputs,
                        std::optional<Usage_error>& error) {
  auto take = [&](std::string& out, const char* what) {
    if (auto text = cursor.value()) {
      out = *text;
    } else {
      error = cursor.error(argument + " needs " + what);
    }
  };
  auto append = [&](std::vector<std::string>& out, const char* what) {
    std::string text;
    take(text, what);
    if (!error) out.push_back(text);
  };
  if (argument == "--kernel") {
    take(inputs.kernel, "a file");
  } else if (argument == "-P" || argument == "--path") {
    append(inputs.search_directories, "a directory");
  } else if (argument == "-I" || argument == "--import") {
    append(inputs.import_paths, "a directory");
  } else if (argument == "--constant") {
    take(inputs.constant, "a name");
  } else if (argument == "--sign") {
    take(inputs.secret_key, "a secret key file");
  } else if (argument == "--debug") {
    inputs.debug = true;
  } else if (argument == "-v" || argument == "--verbose") {
    inputs.verbose = true;
  } else {
    return false;
  }
  return true;
}

Parsed parse_check(Cursor cursor) {
  Check_command command;
  while (!cursor.done()) {
    const std::string& argument = cursor.next();
    auto take = [&](std::string& out) {
      auto text = cursor.value();
      if (text) out = *text;
      return text.has_value();
    };
    std::string text;
    if (argument == "--format") {
      if (!take(text) || (text != "gcc" && text != "json")) return cursor.error("--format must be gcc or json");
      command.json = text == "json";
    } else if (argument == "--summary") {
      if (!take(command.summary)) return cursor.error("--summary needs a file name or '-'");
    } else if (argument == "-o" || argument == "--output") {
      if (!take(command.output)) return cursor.error(argument + " needs a file name");
    } else if (argument == "-I" || argument == "--import") {
      if (!take(text)) return cursor.error(argument + " needs a directory");
      command.import_paths.push_back(text);
    } else if (argument == "--constant") {
      if (!take(command.constant)) return cursor.error("--constant needs a name");
    } else if (argument == "--werror") {
      command.warnings_are_errors = true;
    } else if (is_option(argument)) {
      return cursor.error(unknown_argument("option", argument, check_options));
    } else if (command.policy.empty()) {
      command.policy = argument;
    } else {
      return cursor.error("more than one policy given: '" + argument + "'");
    }
  }
  if (command.policy.empty()) return cursor.error("check needs a policy file");
  return command;
}

Parsed parse_build(Cursor cursor) {
  Build_command command;
  std::optional<Usage_error> error;
  while (!cursor.done()) {
    const std::string& argument = cursor.next();
    if (parse_build_option(argument, cursor, command.inputs, error)) {
      if (error) return *error;
    } else if (argument == "-o" || argument == "--output") {
      auto text = cursor.value();
      if (!text) return cursor.error(argument + " needs a file");
      command.image = *text;
    } else if (is_option(argument)) {
      return cursor.error(unknown_argument("option", argument, build_options));
    } else if (command.inputs.policy.empty()) {
      command.inputs.policy = argument;
    } else {
      return cursor.error("more than one policy given: '" + argument + "'");
    }
  }
  if (command.inputs.policy.empty()) return cursor.error("build needs a policy file");
  if (command.image.empty()) return cursor.error("build needs -o IMAGE");
  if (is_policy_file(command.image)) return cursor.error("the image '" + command.image + "' would be a policy file");
  const auto extension = std::filesystem::path(command.image).extension();
  if (extension == ".report" || extension == ".svg" || extension == ".programs") {
    return cursor.error("the image must not end in " + extension.string() +
                        ": the report, picture and programs are written beside it under those names");
  }
  return command;
}

Parsed parse_run(Cursor cursor) {
  Run_command command;
  std::optional<Usage_error> error;
  while (!cursor.done()) {
    const std::string& argument = cursor.next();
    long number = 0;
    if (argument == "--") {
      command.extra_qemu_args = cursor.rest();
    } else if (parse_build_option(argument, cursor, command.inputs, error)) {
      if (error) return *error;
    } else if (argument == "--smp") {
      auto text = cursor.value();
      if (!text || !parse_number(*text, 1, max_cpus, number))
        return cursor.error("--smp must be a number from 1 to 8, not '" + text.value_or("") + "'");
      command.smp = static_cast<unsigned>(number);
    } else if (argument == "--timeout") {
      auto text = cursor.value();
      if (!text || !parse_number(*text, 0, 86400, number))
        return cursor.error("--timeout must be 0-86400 seconds, not '" + text.value_or("") + "'");
      command.timeout_seconds = static_cast<int>(number);
    } else if (argument == "--memory") {
      auto text = cursor.value();
      if (!text || text->empty()) return cursor.error("--memory needs a size, e.g. 1G");
      command.memory = *text;
    } else if (argument == "--qemu") {
      auto text = cursor.value();
      if (!text) return cursor.error("--qemu needs a path");
      command.qemu = *text;
    } else if (argument == "--gdb") {
      command.gdb = true;
    } else if (is_option(argument)) {
      return cursor.error(unknown_argument("option", argument, run_options));
    } else if (command.target.empty()) {
      command.target = argument;
    } else {
      return cursor.error("more than one image or policy given: '" + argument + "'");
    }
  }
  if (command.target.empty()) return cursor.error("run needs an image or a policy");
  if (is_policy_file(command.target)) {
    command.inputs.policy = command.target;
  } else if (command.inputs.verbose || command.inputs.debug || !command.inputs.search_directories.empty() ||
             !command.inputs.import_paths.empty() || !command.inputs.constant.empty() ||
             !command.inputs.secret_key.empty()) {
    // --kernel still names the kernel's symbols for --gdb.
    return cursor.error("-P, -I, --constant, --sign, --debug and -v are for building a policy; '" + command.target +
                        "' is an image (a policy ends in .capnp or .json)");
  }
  return command;
}

Parsed parse_bench(Cursor cursor) {
  Bench_command command;
  while (!cursor.done()) {
    const std::string& argument = cursor.next();
    if (argument == "--build-dir") {
      auto text = cursor.value();
      if (!text || text->empty()) return cursor.error("--build-dir needs a directory");
      command.build_directory = *text;
    } else if (argument == "--no-build") {
      command.build = false;
    } else if (argument == "--qemu") {
      auto text = cursor.value();
      if (!text) return cursor.error("--qemu needs a path");
      command.qemu = *text;
    } else if (argument == "--cpu") {
      const std::string text = cursor.value().value_or("");
      if (text == "both") {
        command.cpus = qemu_runner::supported_cpus();
      } else if (qemu_runner::is_supported_cpu(text)) {
        command.cpus = {text};
      } else {
        return cursor.error("--cpu must be cortex-a72, cortex-a57 or both, not '" + text + "'");
      }
    } else if (argument == "--scale") {
      command.scale = true;
    } else if (argument == "--part") {
      const std::string text = cursor.value().value_or("");
      if (std::find(scale_parts.begin(), scale_parts.end(), text) == scale_parts.end()) {
        return cursor.error("--part must be threads, cpus, cross or partitions, not '" + text + "'");
      }
      command.scale_parts.push_back(text);
    } else if (is_option(argument)) {
      return cursor.error(unknown_argument("option", argument, bench_options));
    } else {
      return cursor.error("bench takes no arguments, only options: '" + argument + "'");
    }
  }
  if (!command.scale_parts.empty() && !command.scale) return cursor.error("--part needs --scale");
  if (command.scale && command.cpus.size() != 1) return cursor.error("--scale runs on one CPU model, not both");
  return command;
}

}  // namespace

std::string usage_text() { return top_usage; }

std::optional<std::string> usage_text(const std::string& subcommand) {
  if (subcommand == "check") return check_usage;
  if (subcommand == "build") return build_usage;
  if (subcommand == "run") return run_usage;
  if (subcommand == "bench") return bench_usage;
  return std::nullopt;
}

std::string version_text() { return std::string("Kestrel ") + kestrel::kestrel_version + '\n'; }

bool is_policy_file(const std::string& path) {
  const auto extension = std::filesystem::path(path).extension();
  return extension == ".capnp" || extension == ".json";
}

Build_outputs build_outputs(const std::string& image) {
  std::filesystem::path path(image);
  auto with = [&](const char* extension) { return std::filesystem::path(path).replace_extension(extension).string(); };
  return {with(".report"), with(".svg"), with(".programs")};
}

Parsed parse_arguments(const std::vector<std::string>& arguments) {
  if (arguments.empty()) return Usage_error{"no command given", ""};
  const std::string& subcommand = arguments[0];
  if (subcommand == "-h" || subcommand == "--help" || subcommand == "help") return Help{top_usage};
  if (subcommand == "--version" || subcommand == "version") {
    if (arguments.size() > 1) return Usage_error{"version takes no arguments", ""};
    return Help{version_text()};
  }
  const auto help = usage_text(subcommand);
  if (!help) {
    if (is_option(subcommand)) return Usage_error{unknown_argument("option", subcommand, {"--help", "--version"}), ""};
    return Usage_error{unknown_argument("command", subcommand, commands), ""};
  }
  // --help anywhere before a "--" (after which arguments belong to QEMU).
  for (size_t i = 1; i < arguments.size() && arguments[i] != "--"; ++i) {
    if (arguments[i] == "-h" || arguments[i] == "--help") return Help{*help};
  }
  Cursor cursor{arguments, subcommand};
  if (subcommand == "check") return parse_check(cursor);
  if (subcommand == "build") return parse_build(cursor);
  if (subcommand == "run") return parse_run(cursor);
  return parse_bench(cursor);
}

}  // namespace kestrel_cli
