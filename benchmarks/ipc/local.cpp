// SPDX-License-Identifier: Apache-2.0
// IPC benchmark, two threads of one partition: "low" wakes "high", which has
// the higher priority and waits; first with a notification signal, then as
// the driver of the PL031 RTC's interrupt, which "low" raises by setting the
// RTC's alarm to the current second. Before each svc or device store, "low"
// stores the counter in `start`; "high" reads the counter as soon as its
// wait returns. Both threads run this program; "low" has its stack in the
// region at low_stack (see ipc-bench.capnp).
#include <kestrel/syscall.hpp>

#include "timed.hpp"

namespace {

using kestrel::abi::Status;
namespace bench = kestrel::bench;

constexpr uint64_t wake_wait = 0;    // slot 0: wait on "wake"
constexpr uint64_t irq_wait = 1;     // slot 1: wait on "rtc-irq"
constexpr uint64_t wake_signal = 2;  // slot 2: signal "wake"
constexpr uint64_t rtc_irq = 3;      // slot 3: the RTC's interrupt
constexpr uint64_t console = 4;
constexpr uint64_t low_stack = 0x90'0000;

// PL031 registers (ARM DDI 0224).
constexpr uint64_t rtc = 0x0901'0000;
constexpr uint64_t rtc_data = rtc + 0x00;             // RTCDR: the current second
constexpr uint64_t rtc_match = rtc + 0x04;            // RTCMR: the alarm
constexpr uint64_t rtc_interrupt_mask = rtc + 0x10;   // RTCIMSC
constexpr uint64_t rtc_interrupt_clear = rtc + 0x1c;  // RTCICR

volatile uint64_t start;          // the counter, as "low" stamped it last
volatile uint64_t interrupts;     // RTC interrupts "high" has taken
volatile uint64_t overhead_slot;  // where the overhead twin stores its stamp
uint64_t signal_samples[bench::rounds];
uint64_t irq_samples[bench::rounds];

uint32_t read_register(uint64_t address) { return *reinterpret_cast<volatile uint32_t*>(address); }
void write_register(uint64_t address, uint32_t value) { *reinterpret_cast<volatile uint32_t*>(address) = value; }

void fail(const char* what, uint64_t value) { kestrel::console_print_line(console, what, value); }

[[noreturn]] void high() {
  const uint64_t overhead = bench::stamp_overhead(&overhead_slot);
  bool good = true;
  for (uint64_t i = 0; i < bench::rounds; ++i) {
    const auto woken = bench::timed_wait(wake_wait);
    signal_samples[i] = woken.end - start - overhead;
    if (woken.status != Status::ok || woken.word != 1) {
      fail("FAILED: wait on wake, status ", static_cast<uint64_t>(woken.status));
      good = false;
    }
  }
  for (uint64_t i = 0; i < bench::rounds; ++i) {
    const auto woken = bench::timed_wait(irq_wait);
    irq_samples[i] = woken.end - start - overhead;
    write_register(rtc_interrupt_clear, 1);
    const Status acknowledged = kestrel::irq_ack(rtc_irq);
    if (woken.status != Status::ok || acknowledged != Status::ok) {
      fail("FAILED: RTC interrupt wait or acknowledgement, status ", static_cast<uint64_t>(woken.status));
      good = false;
    }
    interrupts = i + 1;
  }
  if (good) {
    bench::print_result(console, "signal_wake_same", signal_samples, overhead);
    bench::print_result(console, "irq_to_driver", irq_samples, overhead);
  }
  kestrel::thread_exit();
}

[[noreturn]] void low() {
  for (uint64_t i = 0; i < bench::rounds; ++i) {
    if (bench::timed_signal(wake_signal, &start) != Status::ok) fail("FAILED: signal, round ", i);
  }
  write_register(rtc_interrupt_mask, 1);
  // An alarm at the current second fires at once. If the second turns
  // between reading it and writing the alarm, nothing fires, "high" takes
  // no interrupt, and this round is simply tried again.
  uint64_t missed = 0;
  while (interrupts < bench::rounds) {
    const uint64_t before = interrupts;
    bench::timed_device_store(&start, rtc_match, read_register(rtc_data));
    if (interrupts == before) ++missed;
  }
  write_register(rtc_interrupt_mask, 0);
  if (missed != 0) kestrel::console_print_line(console, "RTC alarms that did not fire at once (tried again): ", missed);
  kestrel::thread_exit();
}

}  // namespace

extern "C" int main() {
  uint64_t sp;
  asm volatile("mov %0, sp" : "=r"(sp));
  if (sp > low_stack) low();
  high();
}
