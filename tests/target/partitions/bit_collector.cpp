// SPDX-License-Identifier: Apache-2.0
// Bit collector: in its window, after both signallers' windows, polls the
// notification both signalled while nobody waited: the word must hold both
// badges' bits (a signal adds its bit, it does not replace the word).
#include <kestrel/syscall.hpp>

namespace {

constexpr uint64_t pile = 0;  // slot 0: the notification it owns
constexpr uint64_t console = 1;

}  // namespace

extern "C" int main() {
  const auto polled = kestrel::poll(pile);
  kestrel::console_print(console, "word after two signals: ");
  kestrel::console_print_hex(console, polled.value);
  kestrel::console_print(console, "\n");
  kestrel::thread_exit();
}
