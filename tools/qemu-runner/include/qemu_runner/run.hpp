// SPDX-License-Identifier: Apache-2.0
// Run: one QEMU run as kestrel-qemu does it, shared with `kestrel run`.
#pragma once

#include <string_view>

#include <qemu_runner/options.hpp>

namespace qemu_runner {

// Exit statuses of a run, as kestrel-qemu documents them.
inline constexpr int exit_failed = 1;
inline constexpr int exit_usage = 2;
inline constexpr int exit_launch = 3;
inline constexpr int exit_timeout = 124;  // as timeout(1)

// Boots `options.image`: in run mode streams the console to standard output
// and returns QEMU's exit status (exit_failed if a signal killed it,
// exit_timeout if the time limit did); in test mode also judges the run,
// prints the verdict and returns 0 or exit_failed. exit_usage if the image
// cannot be read, exit_launch if QEMU cannot be started. Messages go to
// standard error, prefixed with `tool` ("kestrel-qemu: ...").
int run_qemu(const Options& options, std::string_view tool);

}  // namespace qemu_runner
