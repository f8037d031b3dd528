// SPDX-License-Identifier: Apache-2.0
// IPC client: calls the IPC server (ipc_server.cpp) with short and long
// messages, checks every answer, sends one-way messages, tries messages the
// kernel must refuse and rings the server's bell. KESTREL_BADGE is the badge
// the policy gives this client's capabilities.
#include <kestrel/syscall.hpp>

#ifndef KESTREL_BADGE
#error "define KESTREL_BADGE"
#endif

namespace {

using kestrel::abi::Status;

constexpr uint64_t service = 0;  // slot 0: call "service"
constexpr uint64_t bell = 1;     // slot 1: signal "bell"
constexpr uint64_t console = 2;
constexpr uint64_t long_length = 20;

uint64_t ipc_buffer[kestrel::abi::max_message_words];
int failures = 0;

void print(const char* text) { kestrel::console_print(console, text); }

void check(bool good, const char* what) {
  if (good) return;
  ++failures;
  print("FAILED: ");
  print(what);
  print("\n");
}

void short_call() {
  const uint64_t words[5] = {100, 20, 3, 0xdead, 0xbeef};  // only three are sent
  const auto answer = kestrel::call(service, 1, words, 3);
  check(answer.status == Status::ok, "short call status");
  check(answer.badge == 0, "a reply carries no badge");
  check(answer.label() == 1 && answer.length() == 3, "short reply info");
  check(answer.words[0] == 123, "sum of three words (the other two were not sent)");
  check(answer.words[1] == KESTREL_BADGE, "the server saw this client's badge");
  check(answer.words[2] == 3, "the server saw three words");
}

uint64_t word_value(uint64_t i) { return i * i + KESTREL_BADGE; }

void long_call() {
  uint64_t words[5];
  for (uint64_t i = 0; i < long_length; ++i) {
    if (i < 5) {
      words[i] = word_value(i);
    } else {
      ipc_buffer[i] = word_value(i);
    }
  }
  const auto answer = kestrel::call(service, 2, words, long_length);
  check(answer.status == Status::ok && answer.length() == long_length, "long reply info");
  bool reversed = true;
  for (uint64_t i = 0; i < long_length; ++i) {
    const uint64_t got = i < 5 ? answer.words[i] : ipc_buffer[i];
    reversed = reversed && got == word_value(long_length - 1 - i);
  }
  check(reversed, "20 words came back reversed");
}

void refused_messages() {
  const uint64_t words[5] = {};
  check(kestrel::call(service, 1, words, 6).status == Status::invalid_argument, "6 words without an IPC buffer");
  check(kestrel::set_ipc_buffer(reinterpret_cast<uint64_t*>(0x4000'0000)) == Status::bad_address,
        "an IPC buffer outside the partition");
  check(kestrel::set_ipc_buffer(reinterpret_cast<uint64_t*>(reinterpret_cast<uint64_t>(ipc_buffer) + 4)) ==
            Status::invalid_argument,
        "a misaligned IPC buffer");
  check(kestrel::set_ipc_buffer(ipc_buffer) == Status::ok, "set_ipc_buffer");
  check(kestrel::call(service, 1, words, kestrel::abi::max_message_words + 1).status == Status::invalid_argument,
        "65 words");
  check(kestrel::call(service, kestrel::abi::kernel_label_base, words, 1).status == Status::invalid_argument,
        "a label reserved for the kernel");
  check(kestrel::call(bell, 1, words, 1).status == Status::wrong_capability_type, "call on a notification");
  check(kestrel::signal(service) == Status::wrong_capability_type, "signal on an endpoint");
  check(kestrel::wait(bell).status == Status::missing_right, "wait on a notification it may only signal");
  check(kestrel::receive(service).status == Status::missing_right, "receive on an endpoint it may only call");
}

}  // namespace

extern "C" int main() {
  refused_messages();
  short_call();
  long_call();
  const uint64_t note[5] = {KESTREL_BADGE, 0, 0, 0, 0};
  check(kestrel::send(service, 3, note, 1) == Status::ok, "send");
  // Label 5: whether it arrives depends on timing, so the server counts it
  // apart from the send, which must arrive.
  const Status nb = kestrel::nb_send(service, 5, note, 1);
  check(nb == Status::ok || nb == Status::would_block, "nb_send");
  check(kestrel::signal(bell) == Status::ok, "signal");
  const uint64_t none[5] = {};
  check(kestrel::call(service, 4, none, 0).status == Status::ok, "done call");
  print(failures == 0 ? "every IPC check passed\n" : "some IPC checks FAILED\n");
  kestrel::thread_exit();
}
