// SPDX-License-Identifier: Apache-2.0
// Map peer: the memory_map target test's tunnel end. Asks the IPCM to map
// a page into its window, reads and writes it, asks for it to go, then
// reads the old address again: a contained fault (the kernel logs it).
#include <kestrel/syscall.hpp>

namespace {

constexpr uint64_t ipcm = 0, console = 1;  // call "ipcm"; the kernel console
auto* const window = reinterpret_cast<volatile uint64_t*>(0x10000000);

}  // namespace

extern "C" int main() {
  const uint64_t none[5] = {};
  kestrel::Message opened = kestrel::call(ipcm, 1, none, 0);
  kestrel::console_print_line(console, "map status ", opened.words[0]);
  kestrel::console_print_line(console, "read through the window ", window[0]);
  window[1] = 0xfeed'beef;
  kestrel::Message closed = kestrel::call(ipcm, 2, none, 0);
  kestrel::console_print_line(console, "unmap status ", closed.words[0]);
  kestrel::console_print(console, "reading the unmapped window\n");
  kestrel::console_print_line(console, "UNEXPECTED: still readable ", window[0]);
  kestrel::thread_exit();
}
