// SPDX-License-Identifier: Apache-2.0
// Input client: the body of the console-input test's two clients
// (input_alpha.cpp, input_beta.cpp). It sleeps on its input doorbell, the
// notification the console driver signals when input for it waits, then
// reads until the driver has no more, and prints each line it got (control
// bytes in hex, <1d>); after `lines` lines it says how often it was woken and
// signals "done". It never asks for input without being woken first.
#pragma once

#include <kestrel/console.hpp>
#include <kestrel/slots.hpp>
#include <kestrel/syscall.hpp>

namespace input_client {

inline uint64_t ipc_buffer[kestrel::abi::max_message_words];

[[noreturn]] inline void run(kestrel::Console& console, uint64_t doorbell, unsigned lines) {
  kestrel::set_ipc_buffer(ipc_buffer);
  console.print("waiting for input\n");
  char line[64];
  size_t used = 0;
  unsigned got = 0;
  unsigned rings = 0;
  while (got < lines) {
    kestrel::wait(doorbell);
    ++rings;
    char bytes[16];
    for (size_t n = console.read(bytes, sizeof bytes); n > 0; n = console.read(bytes, sizeof bytes)) {
      for (size_t i = 0; i < n; ++i) {
        const char c = bytes[i];
        if (c == '\r' || c == '\n') {
          console.printf("got '%.*s'\n", static_cast<int>(used), line);
          used = 0;
          ++got;
        } else if (used + 4 <= sizeof line) {
          if (c < ' ') {
            line[used++] = '<';
            line[used++] = "0123456789abcdef"[(c >> 4) & 0xf];
            line[used++] = "0123456789abcdef"[c & 0xf];
            line[used++] = '>';
          } else {
            line[used++] = c;
          }
        }
      }
    }
  }
  console.printf("done: %u lines after %u doorbell rings\n", got, rings);
  kestrel::signal(kestrel::slots::signal_done);
  kestrel::thread_exit();
}

}  // namespace input_client
