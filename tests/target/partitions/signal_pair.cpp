// SPDX-License-Identifier: Apache-2.0
// Wake pair: two threads of one partition. "waiter" (the higher priority)
// is woken three times each by a signal, by a send and by the RTC's
// interrupt; "signaller" signals, sends and raises the interrupt, and
// counts each once it goes on. Each must switch to the waiter at once (the
// kernel's fast paths for signal, send and a device interrupt do), so the
// waiter always finds the count one behind.
#include <kestrel/syscall.hpp>

namespace {

using kestrel::abi::Status;

// Slots in the policy compiler's order (docs/policy.md): endpoints served,
// endpoints called, notifications owned, notifications signalled,
// interrupts, then the console.
constexpr uint64_t receive_slot = 0;   // serve "post"
constexpr uint64_t send_slot = 1;      // send on "post"
constexpr uint64_t wait_slot = 2;      // wait on "wake"
constexpr uint64_t irq_wait_slot = 3;  // wait on "rtc-irq"
constexpr uint64_t signal_slot = 4;    // signal "wake"
constexpr uint64_t rtc_irq = 5;        // the RTC's interrupt
constexpr uint64_t console = 6;
constexpr uint64_t signaller_stack = 0x90'0000;
constexpr uint64_t rounds = 3;

// PL031 registers (ARM DDI 0224).
constexpr uint64_t rtc = 0x0901'0000;
constexpr uint64_t rtc_data = rtc + 0x00;             // RTCDR: the current second
constexpr uint64_t rtc_match = rtc + 0x04;            // RTCMR: the alarm
constexpr uint64_t rtc_interrupt_mask = rtc + 0x10;   // RTCIMSC
constexpr uint64_t rtc_interrupt_clear = rtc + 0x1c;  // RTCICR

uint32_t read_register(uint64_t address) { return *reinterpret_cast<volatile uint32_t*>(address); }
void write_register(uint64_t address, uint32_t value) { *reinterpret_cast<volatile uint32_t*>(address) = value; }

volatile uint64_t wakes_returned = 0;      // the signaller's count, over all three kinds
volatile uint64_t interrupts_handled = 0;  // the waiter's

void report(bool ok, const char* success, const char* failure) {
  kestrel::console_print(console, ok ? success : failure);
}

[[noreturn]] void wait_for_wakes() {
  bool in_time = true;
  bool words_right = true;
  for (uint64_t i = 0; i < rounds; ++i) {
    const auto woken = kestrel::wait(wait_slot);
    words_right = words_right && woken.status == Status::ok && woken.value == 1;
    in_time = in_time && wakes_returned == i;  // the signaller has not gone on yet
  }
  report(words_right, "every wait returned the badge\n", "FAILED: wrong words\n");
  report(in_time, "every signal switched to the waiter at once\n",
         "FAILED: a signal did not switch to the waiter at once\n");

  bool messages_right = true;
  in_time = true;
  for (uint64_t i = 0; i < rounds; ++i) {
    const kestrel::Message message = kestrel::receive(receive_slot);
    messages_right = messages_right && message.status == Status::ok && message.badge == 7 &&
                     message.label() == 40 + i && message.words[0] == 100 + i;
    in_time = in_time && wakes_returned == rounds + i;
  }
  report(messages_right, "every send delivered its message\n", "FAILED: a send delivered the wrong message\n");
  report(in_time, "every send switched to the receiver at once\n",
         "FAILED: a send did not switch to the receiver at once\n");

  bool interrupts_right = true;
  in_time = true;
  for (uint64_t i = 0; i < rounds; ++i) {
    const auto woken = kestrel::wait(irq_wait_slot);
    interrupts_right = interrupts_right && woken.status == Status::ok && woken.value == 0x20;
    in_time = in_time && wakes_returned == 2 * rounds + i;
    write_register(rtc_interrupt_clear, 1);
    interrupts_handled = interrupts_handled + 1;
    interrupts_right = interrupts_right && kestrel::irq_ack(rtc_irq) == Status::ok;
  }
  report(interrupts_right, "every interrupt was delivered with its badge\n",
         "FAILED: an interrupt was not delivered or acknowledged\n");
  report(in_time, "every interrupt switched to its driver at once\n",
         "FAILED: an interrupt did not switch to its driver at once\n");
  kestrel::thread_exit();
}

[[noreturn]] void wake_the_waiter() {
  for (uint64_t i = 0; i < rounds; ++i) {
    if (kestrel::signal(signal_slot) != Status::ok) kestrel::console_print(console, "FAILED: signal\n");
    wakes_returned = wakes_returned + 1;
  }
  for (uint64_t i = 0; i < rounds; ++i) {
    const uint64_t words[5] = {100 + i, 0, 0, 0, 0};
    if (kestrel::send(send_slot, 40 + i, words, 1) != Status::ok) kestrel::console_print(console, "FAILED: send\n");
    wakes_returned = wakes_returned + 1;
  }
  write_register(rtc_interrupt_mask, 1);
  for (uint64_t i = 0; i < rounds; ++i) {
    // An alarm at the current second fires at once (the waiter clears it);
    // if the second turned between the read and the write, again.
    do {
      write_register(rtc_match, read_register(rtc_data));
    } while (interrupts_handled == i);
    wakes_returned = wakes_returned + 1;
  }
  write_register(rtc_interrupt_mask, 0);
  kestrel::thread_exit();
}

}  // namespace

extern "C" int main() {
  uint64_t sp;
  asm volatile("mov %0, sp" : "=r"(sp));
  if (sp > signaller_stack) wake_the_waiter();
  wait_for_wakes();
}
