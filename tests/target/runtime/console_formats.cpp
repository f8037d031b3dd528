// SPDX-License-Identifier: Apache-2.0
// Console formats: kestrel::Console::printf through the kernel console, one
// bracketed line per group of conversions, which the test expects exactly
// (tests/target/runtime.cmake); then partial lines and a 600-byte line,
// which crosses both console_write's 256 bytes and the 504-byte buffer.
#include <kestrel/console.hpp>

namespace {

constexpr uint64_t console_slot = 0;

constinit kestrel::Console console = kestrel::Console::kernel(console_slot);

}  // namespace

extern "C" int main() {
  console.printf("[%d|%i|%u|%d]\n", -42, 7, 4000000000u, 0);
  console.printf("[%x|%X|%08x|%lx|%#lx|%o]\n", 0xbeefu, 0xbeefu, 0xbeefu, 0x123456789abcdefUL, 0xffUL, 8u);
  console.printf("[%llu|%lld|%zu|%ld]\n", 18446744073709551615ULL, -9223372036854775807LL - 1, sizeof(uint64_t), -1L);
  console.printf("[%s|%10s|%-10s|%.3s|%c%c]\n", "kestrel", "right", "left", "abcdef", 'o', 'k');
  console.printf("[%p|%p]\n", reinterpret_cast<void*>(0x400010), static_cast<void*>(nullptr));
  console.printf("[%5d|%-5d|%05d|%+d|% d|%*d]\n", 42, 42, -42, 42, 42, 4, 7);
  console.printf("[100%%|%c]\n", '%');
  const size_t count = console.printf("%s=%d\n", "count", 12345);
  console.printf("[printf returned %zu]\n", count);
  // A line in pieces, flushed on the way: the kernel console joins them.
  console.print("[partial");
  console.flush();
  console.printf(" line %d", 2);
  console.flush();
  console.print("]\n");
  // 600 bytes: "long: ", 59 times the digits, " end".
  console.print("long: ");
  for (int i = 0; i < 59; ++i) console.write("0123456789", 10);
  console.print(" end\n");
  console.printf("[dropped %lu]\n", console.dropped());
  // Returns instead of calling thread_exit: runtime/start.S ends the thread
  // (the test expects the kernel's "exited" line for it).
  return 0;
}
