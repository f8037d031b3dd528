// SPDX-License-Identifier: Apache-2.0
// Log: the kernel's own messages on the kernel console.
//
// Only the kernel writes here; partitions get their console from a driver
// partition. Lines from different CPUs may interleave (no lock yet: the log
// is written at boot and on fatal errors).
#pragma once

#include <kestrel/format.hpp>

namespace kestrel {

// The kernel console, provided by the board (PL011 on QEMU virt).
void console_write(const char* text, size_t length);

// Everything the kernel prints goes through here. When a partition owns the
// console's UART too (a console driver), the kernel's text waits in a
// buffer while that partition may be in the middle of a line (any of its
// threads is ready or running), so lines never interleave mid-way; it comes
// out at the end of the next kernel entry that finds the owner quiet.
void log_write(const char* text, size_t length);
class Partition;
void log_defer_for(const Partition* owner);
void log_flush_if_quiet();
void log_flush_now();  // before the machine stops

class Console_sink final : public Format_sink {
 public:
  void write(const char* text, size_t length) override { log_write(text, length); }
};

template <typename... Args>
void log(const char* format, Args... args) {
  Console_sink sink;
  format_to(sink, format, args...);
}

// Powers the machine off, after writing out any kernel text still held.
[[noreturn]] void power_off_with_log();

// Stops the whole machine after a broken kernel invariant. Never called for
// anything a partition can cause. Prints "kernel panic: ..." (test runners
// look for that text) and powers the machine off.
[[noreturn]] void panic_stop();

template <typename... Args>
[[noreturn]] void panic(const char* format, Args... args) {
  log("kernel panic: ");
  log(format, args...);
  log("\n");
  panic_stop();
}

}  // namespace kestrel
