// SPDX-License-Identifier: Apache-2.0
// Arguments: the kestrel command line, parsed into one command per
// subcommand. Parsing never touches files, so it is tested on its own.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace kestrel_cli {

// kestrel check POLICY: as kestrel-policy check.
struct Check_command {
  std::string policy;
  std::string output;   // -o: boot-info
  std::string summary;  // --summary FILE or '-'
  bool json = false;
  bool warnings_are_errors = false;
  std::vector<std::string> import_paths;
  std::string constant;
};

// What building an image needs; shared by build and run (given a policy).
struct Build_inputs {
  std::string policy;
  std::string kernel;                           // empty: the build tree's kernel
  std::vector<std::string> search_directories;  // -P
  std::vector<std::string> import_paths;        // -I
  std::string constant;
  std::string secret_key;  // --sign
  bool debug = false;      // --debug: programs from source at -O0 -g
  bool verbose = false;    // print every compiler command
};

// kestrel build POLICY -o IMAGE.
struct Build_command {
  Build_inputs inputs;
  std::string image;
};

// kestrel run IMAGE|POLICY.
struct Run_command {
  std::string target;   // an image, or a policy (.capnp, .json) to build first
  Build_inputs inputs;  // when `target` is a policy (inputs.policy == target)
  unsigned smp = 4;
  std::string memory = "1G";
  std::optional<int> timeout_seconds;  // none: no limit
  bool gdb = false;
  std::string qemu;  // empty: the configured QEMU
  std::vector<std::string> extra_qemu_args;
  bool target_is_policy() const { return !inputs.policy.empty(); }
};

// kestrel bench.
struct Bench_command {
  std::string build_directory;  // empty: the build tree kestrel was built in
  bool build = true;            // run `cmake --build DIR --target kestrel_target` first
  std::string qemu;
  std::vector<std::string> cpus = {"cortex-a72"};  // QEMU -cpu models, one run each, in this order
  bool scale = false;                              // --scale: the scale benchmark instead
  std::vector<std::string> scale_parts;            // --part: its parts to run; empty: all
};

// Text for standard output, exit status 0: a help text, or the version.
struct Help {
  std::string text;
};
struct Usage_error {
  std::string message;
  std::string subcommand;  // for "(kestrel SUBCOMMAND --help ...)"; empty: top level
};

using Parsed = std::variant<Check_command, Build_command, Run_command, Bench_command, Help, Usage_error>;

Parsed parse_arguments(const std::vector<std::string>& arguments);

std::string usage_text();                                              // kestrel --help
std::optional<std::string> usage_text(const std::string& subcommand);  // kestrel SUBCOMMAND --help

// "Kestrel 0.1.0": what kestrel --version prints, the kernel's version as
// its boot banner gives it (kernel/include/kestrel/version.hpp).
std::string version_text();

// True for the file names `kestrel run` builds first instead of booting.
bool is_policy_file(const std::string& path);

// Where `kestrel build -o IMAGE` puts what goes with the image: IMAGE with
// its extension replaced by .report, .svg and .programs (the directory of
// programs compiled from source).
struct Build_outputs {
  std::string report;
  std::string svg;
  std::string work_directory;
};
Build_outputs build_outputs(const std::string& image);

}  // namespace kestrel_cli
