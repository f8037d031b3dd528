// SPDX-License-Identifier: Apache-2.0
// VMM test: a user-level VMM for mmio_guest.cpp and irq_guest.cpp. It
// receives the guest's exits on its endpoint: emulates a PL011 (printing each
// line the guest writes), a scratch register (a read answers the last value
// written with its upper half set), a doorbell (injects the interrupt whose
// ID is written), PSCI CPU_ON (starts another vCPU), CPU_OFF (powers the
// calling vCPU off) and SYSTEM_OFF (stops the vCPU), and system registers
// (reads of CNTP_CTL_EL0 answer 4, writes are refused: the guest takes an
// undefined-instruction exception) and SMCCC VERSION (1.1). KESTREL_VCPUS
// is the number of the VM's vCPUs, vCPU i on CPU i, each with its exit
// endpoint and VMM thread (test_vmm.hpp); the control capability of each
// vCPU follows the exit endpoints, then the console. Each thread says whose
// exits it serves, and that no exit of a vCPU on another CPU reaches it.
#include "test_vmm.hpp"

namespace {

using kestrel::abi::Exit_kind;

#ifndef KESTREL_VCPUS
#define KESTREL_VCPUS 1
#endif

constexpr uint64_t vcpus = KESTREL_VCPUS;
constexpr uint64_t first_vcpu = vcpus;  // after the exit endpoints "guest.exits-cpuN", one per vCPU
constexpr uint64_t console = first_vcpu + vcpus;
constexpr uint64_t scratch = 0x0a00'0100;
constexpr uint64_t doorbell = 0x0a00'0200;
constexpr uint64_t psci_system_off = 0x8400'0008;
constexpr uint64_t smccc_version = 0x8000'0000;
constexpr uint64_t smccc_1_1 = 0x1'0001;
constexpr uint64_t psci_cpu_off = 0x8400'0002;
constexpr uint64_t cntp_ctl_el0 = kestrel::abi::system_register_id(3, 3, 14, 2, 1);
constexpr uint64_t psci_cpu_on = 0xc400'0003;
constexpr uint64_t psci_success = 0;
constexpr uint64_t psci_invalid_parameters = static_cast<uint64_t>(-2);
constexpr uint64_t psci_already_on = static_cast<uint64_t>(-4);

constinit test_vmm::Guest_lines guest_lines{console};
uint64_t scratch_value = 0;
bool served_vcpu[vcpus];

// "<what> <vcpu><where> <cpu>" with both numbers in decimal (below 10).
void say_where(const char* what, uint64_t vcpu, const char* where, uint64_t cpu) {
  char out[96];
  uint64_t length = 0;
  auto add = [&](const char* part) {
    while (*part != '\0' && length < sizeof out - 4) out[length++] = *part++;
  };
  const char digits[] = "0123456789?";
  add(what);
  out[length++] = digits[vcpu < 10 ? vcpu : 10];
  add(where);
  out[length++] = digits[cpu < 10 ? cpu : 10];
  out[length++] = '\n';
  kestrel::console_write(console, out, length);
}

void print(const char* text) { kestrel::console_print(console, text); }

}  // namespace

extern "C" int main() {
  const uint64_t cpu = test_vmm::this_threads_cpu();
  const uint64_t exits = cpu;  // the exit endpoint of the vCPU on this CPU
  auto exit = kestrel::recv(exits);
  for (;;) {
    uint64_t value = 0;
    uint64_t flags = kestrel::abi::reply_resume;
    {  // the lock is let go before the reply: reply_recv blocks
      test_vmm::Locked locked;
      if (exit.vcpu != cpu) {
        say_where("FAILED: an exit of vCPU ", exit.vcpu, " was served on CPU ", cpu);
      } else if (exit.vcpu < vcpus && !served_vcpu[exit.vcpu]) {
        served_vcpu[exit.vcpu] = true;
        say_where("the exits of vCPU ", exit.vcpu, " are served on CPU ", cpu);
      }
      if (exit.kind == Exit_kind::mmio_write && exit.address == test_vmm::uart_data) {
        guest_lines.put(static_cast<char>(exit.value));
      } else if (exit.kind == Exit_kind::mmio_write && exit.address == scratch) {
        scratch_value = exit.value;
      } else if (exit.kind == Exit_kind::mmio_write && exit.address == doorbell) {
        const auto status = kestrel::vcpu_inject_interrupt(first_vcpu + exit.vcpu, static_cast<uint32_t>(exit.value));
        print(status == kestrel::abi::Status::ok ? "injected interrupt " : "could not inject interrupt ");
        kestrel::console_print_hex(console, exit.value);
        print("\n");
      } else if (exit.kind == Exit_kind::mmio_read && exit.address == scratch) {
        value = scratch_value | 0xffff'0000;
        print("read of the scratch register answered with ");
        kestrel::console_print_hex(console, value);
        print("\n");
      } else if (exit.kind == Exit_kind::hypercall && exit.address == psci_cpu_on) {
        // x1 the target's MPIDR (its vCPU index in Aff0), x2 entry, x3 context.
        const uint64_t target = (exit.value & 0xff) + 16 * ((exit.value >> 8) & 0xff);
        if (target >= vcpus) {
          value = psci_invalid_parameters;
        } else {
          const auto status = kestrel::vcpu_start(first_vcpu + target, exit.size, exit.extra);
          value = status == kestrel::abi::Status::ok ? psci_success : psci_already_on;
          kestrel::console_print_line(
              console, value == psci_success ? "PSCI CPU_ON started vCPU " : "PSCI CPU_ON refused for vCPU ", target);
        }
      } else if (exit.kind == Exit_kind::hypercall && exit.address == smccc_version) {
        value = smccc_1_1;
      } else if (exit.kind == Exit_kind::hypercall && exit.address == psci_cpu_off) {
        kestrel::console_print_line(console, "PSCI CPU_OFF for vCPU ", exit.vcpu);
        flags = kestrel::abi::reply_power_off;
      } else if (exit.kind == Exit_kind::system_register && exit.size == 1) {  // a read
        value = exit.address == cntp_ctl_el0 ? 4 : 0;
        kestrel::console_print_line(console, "read of system register ", exit.address);
      } else if (exit.kind == Exit_kind::system_register) {
        kestrel::console_print_line(console, "refused a write to system register ", exit.address);
        flags = kestrel::abi::reply_undefined;
      } else if (exit.kind == Exit_kind::hypercall && exit.address == psci_system_off) {
        print("the guest asked for PSCI SYSTEM_OFF, stopping its vCPU\n");
        flags = kestrel::abi::reply_stop;
      } else {
        flags = test_vmm::refuse_unexpected(console, exit);
      }
    }
    exit = kestrel::reply_recv(exits, value, flags);
  }
}
