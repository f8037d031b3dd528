// SPDX-License-Identifier: Apache-2.0
// Sysfuzz client (tests/target/images/sysfuzz.capnp). Three threads:
// - "feed-send" sends to the fuzzer's inbox for ever, and "feed-signal"
//   signals the fuzzer's bell for ever: the partners of the fuzzer's recv
//   and wait, so that those always end (sysfuzz_fuzzer.cpp). They run until
//   the machine is powered off.
// - "main" waits until the victim says the fuzzing is over, then calls the
//   victim client_calls times (every other one with words in the IPC
//   buffer) and checks each echo, rings the victim's bell, says it is done
//   and signals the stopper.
#include <kestrel/ipc_buffer.hpp>
#include <kestrel/syscall.hpp>

#include "sysfuzz.hpp"

namespace {

using kestrel::abi::Status;

constexpr uint64_t service_slot = 0;
constexpr uint64_t fuzz_inbox_slot = 1;
constexpr uint64_t go_slot = 2;
constexpr uint64_t victim_bell_slot = 3;
constexpr uint64_t fuzz_bell_slot = 4;
constexpr uint64_t done_slot = 5;
constexpr uint64_t console_slot = 6;

[[noreturn]] void feed_messages() {
  for (;;) kestrel::send(fuzz_inbox_slot, sysfuzz::feed_label, sysfuzz::feed_words);
}

[[noreturn]] void feed_signals() {
  for (;;) {
    kestrel::signal(fuzz_bell_slot);
    kestrel::yield();
  }
}

// Call `index`: 5 words, or 12 with 7 in the IPC buffer; the echo must come
// back whole.
bool call_victim(uint64_t index, uint64_t* buffer) {
  const uint64_t length = index % 2 == 0 ? 5 : 12;
  uint64_t words[5];
  for (uint64_t i = 0; i < length; ++i) {
    if (i < 5) {
      words[i] = sysfuzz::client_word(index, i);
    } else {
      buffer[i] = sysfuzz::client_word(index, i);
    }
  }
  const kestrel::Message reply = kestrel::call(service_slot, sysfuzz::client_label + index, words, length);
  if (reply.status != Status::ok || reply.badge != 0 ||
      reply.label() != ((sysfuzz::client_label + index) ^ sysfuzz::echo_label) || reply.length() != length) {
    return false;
  }
  for (uint64_t i = 0; i < length; ++i) {
    const uint64_t word = i < 5 ? reply.words[i] : buffer[i];
    if (word != (sysfuzz::client_word(index, i) ^ sysfuzz::echo_word)) return false;
  }
  return true;
}

[[noreturn]] void check_service() {
  uint64_t* const buffer = kestrel::ipc_buffer();
  while (kestrel::wait(go_slot).status != Status::ok) {
  }
  uint64_t good = 0;
  for (uint64_t i = 0; i < sysfuzz::client_calls; ++i) good += call_victim(i, buffer) ? 1 : 0;
  const bool rang = kestrel::signal(victim_bell_slot) == Status::ok;
  constexpr uint64_t none[5] = {};
  const bool done = kestrel::call(service_slot, sysfuzz::client_done_label, none, 0).status == Status::ok;
  if (buffer != nullptr && good == sysfuzz::client_calls && rang && done) {
    kestrel::console_print(console_slot, "every call to the victim after the fuzzing was answered correctly\n");
  } else {
    kestrel::console_print_line(console_slot, "WRONG ANSWERS from the victim, good calls ", good);
  }
  kestrel::signal(done_slot);
  kestrel::thread_exit();
}

}  // namespace

extern "C" int main() {
  uint64_t sp;
  asm volatile("mov %0, sp" : "=r"(sp));
  switch ((sp - 0x800000) >> 16) {
    case 0:
      check_service();
    case 1:
      feed_messages();
    default:
      feed_signals();
  }
}
