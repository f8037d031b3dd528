// SPDX-License-Identifier: Apache-2.0
// Restart VMM: serves restart_guest.cpp's two vCPUs. It prints the guest's
// PL011 lines, answers reads of the restart-count register (0x0a000000)
// with how often it restarted the VM, keeps what the guest writes to the
// seed-fingerprint register (0x0a000008) across restarts, starts vCPUs on PSCI CPU_ON, restarts
// the VM from its image on PSCI SYSTEM_RESET (vm_restart) and ends it on
// SYSTEM_OFF. Slots: the exit endpoints of CPUs 0 and 1 (one per vCPU,
// each served by the VMM's thread there: test_vmm.hpp), the two vCPUs, the
// console.
#include "test_vmm.hpp"

namespace {

using kestrel::abi::Exit_kind;
using kestrel::abi::Status;

constexpr uint64_t vcpus = 2;
constexpr uint64_t first_vcpu = vcpus;  // after the exit endpoints
constexpr uint64_t console = first_vcpu + vcpus;
constexpr uint64_t restart_count_register = 0x0a00'0000;
constexpr uint64_t seed_fingerprint_register = 0x0a00'0008;
constexpr uint64_t psci_cpu_on = 0xc400'0003;
constexpr uint64_t psci_system_off = 0x8400'0008;
constexpr uint64_t psci_system_reset = 0x8400'0009;

constinit test_vmm::Guest_lines guest_lines{console};
uint64_t restarts = 0;
uint64_t seed_fingerprint = 0;

void print(const char* text) { kestrel::console_print(console, text); }

}  // namespace

extern "C" int main() {
  const uint64_t exits = test_vmm::this_threads_cpu();
  auto exit = kestrel::recv(exits);
  for (;;) {
    uint64_t value = 0;
    uint64_t flags = kestrel::abi::reply_resume;
    {  // the lock is let go before the reply: reply_recv blocks
      test_vmm::Locked locked;
      if (exit.kind == Exit_kind::mmio_write && exit.address == test_vmm::uart_data) {
        guest_lines.put(static_cast<char>(exit.value));
      } else if (exit.kind == Exit_kind::mmio_read && exit.address == restart_count_register) {
        value = restarts;
      } else if (exit.kind == Exit_kind::mmio_read && exit.address == seed_fingerprint_register) {
        value = seed_fingerprint;
      } else if (exit.kind == Exit_kind::mmio_write && exit.address == seed_fingerprint_register) {
        seed_fingerprint = exit.value;
      } else if (exit.kind == Exit_kind::hypercall && exit.address == psci_cpu_on && (exit.value & 0xff) < vcpus) {
        const auto status = kestrel::vcpu_start(first_vcpu + (exit.value & 0xff), exit.size, exit.extra);
        value = status == Status::ok ? 0 : static_cast<uint64_t>(-4);  // PSCI ALREADY_ON
      } else if (exit.kind == Exit_kind::hypercall && exit.address == psci_system_reset) {
        // The device models would be reset here; this VMM has none with state.
        guest_lines.forget();
        const Status status = kestrel::vm_restart(first_vcpu);
        if (status == Status::ok) ++restarts;
        kestrel::console_print_line(
            console, status == Status::ok ? "vm_restart: restarted, count " : "vm_restart FAILED: status ",
            status == Status::ok ? restarts : static_cast<uint64_t>(status));
        // The vCPU that asked was reset: this late answer must not resume it.
      } else if (exit.kind == Exit_kind::hypercall && exit.address == psci_system_off) {
        print("the guest asked for PSCI SYSTEM_OFF\n");
        for (uint64_t vcpu = 0; vcpu < vcpus; ++vcpu) (void)kestrel::vcpu_stop(first_vcpu + vcpu);
        flags = kestrel::abi::reply_stop;
      } else {
        flags = test_vmm::refuse_unexpected(console, exit);
      }
    }
    exit = kestrel::reply_recv(exits, value, flags);
  }
}
