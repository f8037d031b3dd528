// SPDX-License-Identifier: Apache-2.0
// Console test clients: "alpha" prints through the console driver
// (console_test_driver.cpp) with kestrel::Console, reads its input, then
// rings "go"; "beta" waits for it, asks for alpha's name (refused), then
// takes its own.
#include <kestrel/console.hpp>

namespace {

constexpr uint64_t driver = 0;  // call "console"
constexpr uint64_t go = 1;      // alpha signals "go", beta waits on it
constexpr uint64_t console_slot = 2;

#if defined(KESTREL_ALPHA)

constinit kestrel::Console console(driver, "alpha");

void run() {
  console.printf("hello from %s, %d + %d = %d\n", "alpha", 2, 3, 5);
  console.printf("hex %08x, pointer %p\n", 0xc0ffeeu, reinterpret_cast<void*>(0x400000));
  // 600 bytes: more than one message (504) and than the driver takes at once.
  console.print("long: ");
  for (int i = 0; i < 59; ++i) console.write("0123456789", 10);
  console.print(" end\n");
  console.print("no newline yet");
  console.flush();
  console.print(", now one\n");
  // Input: three bytes, then the two the console kept, then none.
  char typed[16];
  size_t n = console.read(typed, 3);
  n += console.read(typed + n, sizeof typed - n);
  const size_t more = console.read(typed + n, sizeof typed - n);
  console.printf("input: %.*s, then %zu more\n", static_cast<int>(n), typed, more);
  console.printf("name refused: %s, dropped %lu\n", console.name_refused() ? "yes" : "no", console.dropped());
  kestrel::signal(go);
}

#elif defined(KESTREL_BETA)

constinit kestrel::Console log = kestrel::Console::kernel(console_slot);

void run() {
  kestrel::wait(go);
  kestrel::Console impostor(driver, "alpha");
  impostor.printf("pretending to be alpha\n");
  log.printf(impostor.name_refused() ? "the driver refused the name alpha\n" : "FAILED: alpha's name taken twice\n");
  kestrel::Console console(driver, "beta");
  console.printf("hello from beta\n");
  if (console.name_refused() || console.dropped() != 0) log.printf("FAILED: beta's name or line\n");
}

#else
#error "define KESTREL_ALPHA or KESTREL_BETA"
#endif

}  // namespace

extern "C" int main() {
  run();
  kestrel::thread_exit();
}
