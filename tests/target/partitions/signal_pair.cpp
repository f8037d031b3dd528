// SPDX-License-Identifier: Apache-2.0
// Signal pair: two threads of one partition. "waiter" (the higher priority)
// waits on a notification three times; "signaller" signals it three times
// and counts each signal once its call returns. A signal to a waiting
// thread of higher priority must switch to it at once (the kernel's signal
// fast path does), so the waiter always finds the count one behind.
#include <kestrel/syscall.hpp>

namespace {

constexpr uint64_t wait_slot = 0;    // slot 0: wait on "wake"
constexpr uint64_t signal_slot = 1;  // slot 1: signal "wake"
constexpr uint64_t console = 2;
constexpr uint64_t signaller_stack = 0x90'0000;
constexpr uint64_t rounds = 3;

volatile uint64_t signals_returned = 0;

[[noreturn]] void wait_for_signals() {
  bool in_time = true;
  bool words_right = true;
  for (uint64_t i = 0; i < rounds; ++i) {
    const auto woken = kestrel::wait(wait_slot);
    words_right = words_right && woken.status == kestrel::abi::Status::ok && woken.value == 1;
    in_time = in_time && signals_returned == i;  // the signaller has not gone on yet
  }
  kestrel::console_print(console, words_right ? "every wait returned the badge\n" : "FAILED: wrong words\n");
  kestrel::console_print(console, in_time ? "every signal switched to the waiter at once\n"
                                          : "FAILED: a signal did not switch to the waiter at once\n");
  kestrel::thread_exit();
}

[[noreturn]] void send_signals() {
  for (uint64_t i = 0; i < rounds; ++i) {
    if (kestrel::signal(signal_slot) != kestrel::abi::Status::ok) kestrel::console_print(console, "FAILED: signal\n");
    signals_returned = i + 1;
  }
  kestrel::thread_exit();
}

}  // namespace

extern "C" int main() {
  uint64_t sp;
  asm volatile("mov %0, sp" : "=r"(sp));
  if (sp > signaller_stack) send_signals();
  wait_for_signals();
}
