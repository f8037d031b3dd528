// SPDX-License-Identifier: Apache-2.0
// Options: the runner's command line and the QEMU command built from it.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <qemu_runner/judge.hpp>
#include <qemu_runner/process.hpp>

namespace qemu_runner {

// QEMU's -M: the virt board with EL2 and a GICv3.
inline constexpr const char* qemu_machine = "virt,virtualization=on,gic-version=3";

// The CPU models the kernel is run on under QEMU virt (-cpu), the default
// first: Cortex-A72, and Cortex-A57 (the model seL4's QEMU figures were
// taken on, docs/benchmarks.md).
const std::vector<std::string>& supported_cpus();
bool is_supported_cpu(const std::string& name);

struct Options {
  std::string image;
  std::string qemu = "qemu-system-aarch64";
  std::string cpu = supported_cpus().front();
  unsigned smp = 1;
  std::string memory = "512M";
  bool icount = false;
  bool quiet = false;
  bool print_command = false;
  std::optional<int> timeout_seconds;  // default depends on the mode
  std::vector<std::string> extra_qemu_args;
  // --end-after: a line containing this ends the run on purpose (for
  // systems that idle for ever once their work is done).
  std::string end_after;
  // --input-after: bytes typed into the guest's serial console once a line
  // appears, in order (then stdin is not the terminal).
  std::vector<Input_step> inputs;
  // --hold-input-until: none of `inputs` is typed before lines containing
  // these have come (at any moment of the run).
  std::vector<std::string> hold_input_until;
  Checks checks;

  // Test mode (judge the run) when anything is to be checked; otherwise run
  // mode: stream the console and exit with QEMU's status.
  bool test_mode() const { return !checks.expected.empty() || checks.in_image_tests; }
  int effective_timeout() const { return timeout_seconds.value_or(test_mode() ? 60 : 0); }
};

struct Usage_error {
  std::string message;
};
struct Help_requested {};

std::variant<Options, Usage_error, Help_requested> parse_arguments(const std::vector<std::string>& arguments);

std::string usage_text();

// argv for QEMU: the virt machine with EL2, GICv3 and options.cpu.
std::vector<std::string> qemu_command(const Options& options);

}  // namespace qemu_runner
