// SPDX-License-Identifier: Apache-2.0
// kestrel-qemu: boot an image under QEMU, stream its console, and (in test
// mode) judge the run.
#include <iostream>
#include <string>
#include <vector>

#include <qemu_runner/options.hpp>
#include <qemu_runner/run.hpp>

int main(int argc, char** argv) {
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  const auto parsed = qemu_runner::parse_arguments(arguments);
  if (std::holds_alternative<qemu_runner::Help_requested>(parsed)) {
    std::cout << qemu_runner::usage_text();
    return 0;
  }
  if (const auto* error = std::get_if<qemu_runner::Usage_error>(&parsed)) {
    std::cerr << "kestrel-qemu: error: " << error->message << "\n(kestrel-qemu --help shows the options)\n";
    return qemu_runner::exit_usage;
  }
  return qemu_runner::run_qemu(std::get<qemu_runner::Options>(parsed), "kestrel-qemu");
}
