// SPDX-License-Identifier: Apache-2.0
// Console client: speaks the console driver's protocol by hand
// (drivers-untrusted/console/console_driver.cpp): names itself (unless
// KESTREL_CLIENT_NAME is empty), writes two lines, one of them longer than
// the registers carry, tries to take another client's name, and signals
// "done" when it has finished.
#include <kestrel/syscall.hpp>

#ifndef KESTREL_CLIENT_NAME
#error "define KESTREL_CLIENT_NAME"
#endif

namespace {

constexpr uint64_t console = 0;  // slot 0: call "console"
constexpr uint64_t done = 1;     // slot 1: signal "done"
uint64_t ipc_buffer[kestrel::abi::max_message_words];

// Packs `text` after its length into words (as the protocol wants) and
// calls the driver with `label`; returns reply word 0.
uint64_t send_text(uint64_t label, const char* text) {
  uint64_t length = 0;
  while (text[length] != '\0') ++length;
  uint64_t words[5] = {length, 0, 0, 0, 0};
  for (uint64_t i = 0; i < kestrel::abi::max_message_words; ++i) ipc_buffer[i] = 0;
  for (uint64_t i = 0; i < length; ++i) {
    const uint64_t index = 1 + i / 8;
    const uint64_t bits = static_cast<uint64_t>(static_cast<uint8_t>(text[i])) << (8 * (i % 8));
    if (index < 5) {
      words[index] |= bits;
    } else {
      ipc_buffer[index] |= bits;
    }
  }
  const auto reply = kestrel::call(console, label, words, 1 + (length + 7) / 8);
  return reply.status == kestrel::abi::Status::ok ? reply.words[0] : ~uint64_t{0};
}

}  // namespace

extern "C" int main() {
  kestrel::set_ipc_buffer(ipc_buffer);
  const char* name = KESTREL_CLIENT_NAME;
  if (name[0] != '\0' && send_text(2, name) != 0) send_text(1, "FAILED: my name was refused\n");
  send_text(1, "hello through the console driver\n");
  send_text(1, "a line longer than five message registers carry, through the IPC buffers\n");
  if (name[0] != '\0' && send_text(2, "alpha") == 1) send_text(1, "the driver refused another client's name\n");
  kestrel::signal(done);
  kestrel::thread_exit();
}
