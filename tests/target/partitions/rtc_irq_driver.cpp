// SPDX-License-Identifier: Apache-2.0
// RTC interrupt driver: owns the PL031 real-time clock and its interrupt. It
// sets the alarm to the current second, which raises the interrupt at once,
// waits on its notification for the kernel to deliver it, clears it in the
// device and acknowledges it through its IRQ capability. (The RTC, not the
// UART: writing to the UART would put characters into the kernel's log.)
#include <kestrel/syscall.hpp>

namespace {

using kestrel::abi::Status;

constexpr uint64_t irq_notification = 0;  // slot 0: its own notification "rtc-irq"
constexpr uint64_t irq = 1;               // slot 1: the RTC's interrupt
constexpr uint64_t console = 2;

// PL031 registers (ARM DDI 0224).
constexpr uint64_t rtc = 0x0901'0000;
constexpr uint64_t data = rtc + 0x00;             // RTCDR: the current second
constexpr uint64_t match = rtc + 0x04;            // RTCMR: the alarm
constexpr uint64_t interrupt_mask = rtc + 0x10;   // RTCIMSC
constexpr uint64_t raw_status = rtc + 0x14;       // RTCRIS
constexpr uint64_t interrupt_clear = rtc + 0x1c;  // RTCICR

uint32_t read_register(uint64_t address) { return *reinterpret_cast<volatile uint32_t*>(address); }
void write_register(uint64_t address, uint32_t value) { *reinterpret_cast<volatile uint32_t*>(address) = value; }

}  // namespace

extern "C" int main() {
  write_register(interrupt_mask, 1);
  // An alarm at the current second fires at once; if the second turned
  // between the read and the write, try again.
  do {
    write_register(match, read_register(data));
  } while ((read_register(raw_status) & 1) == 0);
  const auto result = kestrel::wait(irq_notification);
  write_register(interrupt_clear, 1);
  write_register(interrupt_mask, 0);
  const Status acknowledged = kestrel::irq_ack(irq);
  if (result.status == Status::ok && acknowledged == Status::ok) {
    kestrel::console_print_line(console, "RTC interrupt delivered and acknowledged, badge ", result.value);
  } else {
    kestrel::console_print(console, "FAILED: RTC interrupt not delivered or not acknowledged\n");
  }
  kestrel::thread_exit();
}
