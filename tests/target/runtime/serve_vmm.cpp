// SPDX-License-Identifier: Apache-2.0
// Serve test VMM: kestrel::serve's fault handler as a VMM for
// tests/target/guest/mmio_guest.cpp. It emulates the guest's PL011 (one
// line at a time), a scratch register (a read answers the value written
// last with its upper half set), SMCCC VERSION (1.1) and PSCI SYSTEM_OFF
// (stops the vCPU).
#include <kestrel/console.hpp>
#include <kestrel/serve.hpp>

namespace {

using kestrel::Fault_reply;
using kestrel::abi::Exit_kind;

constexpr uint64_t exits = 0;         // receive on "guest.exits"
constexpr uint64_t console_slot = 2;  // after the vCPU's control
constexpr uint64_t uart_data = 0x0900'0000;
constexpr uint64_t scratch = 0x0a00'0100;
constexpr uint64_t psci_system_off = 0x8400'0008;
constexpr uint64_t smccc_version = 0x8000'0000;

constinit kestrel::Console console = kestrel::Console::kernel(console_slot);
constinit kestrel::Console guest = kestrel::Console::kernel(console_slot);
uint64_t scratch_value = 0;
bool mid_line = false;

Fault_reply exited(const kestrel::Exit_message& exit) {
  if (exit.kind == Exit_kind::mmio_write && exit.address == uart_data) {
    if (!mid_line) guest.print("guest says: ");
    const char c = static_cast<char>(exit.value);
    guest.write(&c, 1);
    mid_line = c != '\n';
    return Fault_reply::resume();
  }
  if (exit.kind == Exit_kind::mmio_write && exit.address == scratch) {
    scratch_value = exit.value;
    return Fault_reply::resume();
  }
  if (exit.kind == Exit_kind::mmio_read && exit.address == scratch) {
    const uint64_t value = scratch_value | 0xffff'0000;
    console.printf("read of the scratch register answered with %#lx\n", value);
    return Fault_reply::resume(value);
  }
  if (exit.kind == Exit_kind::hypercall && exit.address == smccc_version) return Fault_reply::resume(0x1'0001);
  if (exit.kind == Exit_kind::hypercall && exit.address == psci_system_off) {
    console.printf("the guest asked for PSCI SYSTEM_OFF, stopping its vCPU\n");
    return Fault_reply::stop();
  }
  console.printf("FAILED: unexpected exit %lu at %#lx\n", static_cast<uint64_t>(exit.kind), exit.address);
  return Fault_reply::stop();
}

}  // namespace

extern "C" int main() { kestrel::serve({.endpoint = exits, .fault = exited}); }
