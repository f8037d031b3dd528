// SPDX-License-Identifier: Apache-2.0
// Hello: prints one line through the console capability its policy grants
// (its only capability, so slot 0) and exits. KESTREL_MARKER is unique to
// each build, so tests can find exactly this program inside an image.
#include <kestrel/syscall.hpp>

#ifndef KESTREL_MARKER
#error "define KESTREL_MARKER"
#endif

namespace {

constexpr uint64_t console_slot = 0;
const char greeting[] = "hello from " KESTREL_MARKER "\n";

}  // namespace

extern "C" int main() {
  kestrel::console_print(console_slot, greeting);
  kestrel::thread_exit();
}
