// SPDX-License-Identifier: Apache-2.0
// The VMM: an unprivileged partition that runs one VM for the kernel. It
// receives the VM's exits (docs/abi.md, "VM exits") and answers each:
//   - MMIO to the GICv3 distributor and redistributors (kestrel/vmm/gic.hpp),
//     to the PL011 the policy gives the VM (kestrel/vmm/pl011.hpp) and to its
//     virtio consoles (virtio_consoles.hpp), whose output goes to the console
//     with the VM's name in front; input from the console driver (when the
//     VM has the input focus) goes to the one the guest's command line makes
//     its console (Vm_description::input_device);
//   - HVC/SMC: PSCI 1.1 and SMCCC 1.1 (kestrel/vmm/psci.hpp); unknown
//     functions answer NOT_SUPPORTED;
//   - system registers the kernel leaves to it, and traps it cannot
//     emulate: the guest takes an undefined-instruction exception, as on a
//     CPU without them;
//   - MMIO anywhere else: reads as zero, writes ignored (one log line per
//     page), so a wild guest cannot stop it.
// SGIs, the virtual timer, WFI and FP/SIMD never reach it: the kernel
// handles them. docs/vmm.md describes the design and the exit protocol.
//
// Built by `kestrel build` from this file: the VM's description comes from
// the generated <kestrel/slots.hpp> (kestrel::vms::served).
#include <kestrel/console.hpp>
#include <kestrel/slots.hpp>
#include <kestrel/syscall.hpp>
#include <kestrel/vmm/gic.hpp>
#include <kestrel/vmm/pl011.hpp>
#include <kestrel/vmm/psci.hpp>

#include "virtio_consoles.hpp"

namespace {

using kestrel::abi::Exit_kind;
using kestrel::abi::Status;
namespace vmm = kestrel::vmm;

constexpr const kestrel::Vm_description& vm = kestrel::vms::served;

constinit kestrel::Console console = kestrel::vms::console_is_kernel ? kestrel::Console::kernel(kestrel::vms::console)
                                                                     : kestrel::Console(kestrel::vms::console, vm.name);
// The VMM's own messages (not the guest's) go out with "vmm: " in front.
#define VMM_LOG(...) console.printf("vmm: " __VA_ARGS__)

// A device's output (PL011, virtio console), a line at a time: each device
// collects its own lines, so partial lines of two devices never mix.
struct Guest_output {
  vmm::Line_buffer<256> line;
  void put(char c) {
    if (c == '\r') return;
    if (!line.put(c)) return;
    console.write(line.data(), line.size());
    console.flush();
    line.clear();
  }
};

// The first PL011 the policy gives the VM, if any.
constexpr uint32_t uart_index() {
  for (uint32_t i = 0; i < vm.device_count; ++i) {
    if (vm.devices[i].kind == kestrel::Emulated_kind::pl011) return i;
  }
  return vm.device_count;
}
constexpr bool has_uart = uart_index() < vm.device_count;
constexpr const kestrel::Emulated_device* uart_device = has_uart ? &vm.devices[uart_index()] : nullptr;

constexpr uint32_t highest_spi() {
  uint32_t highest = 0;
  for (uint32_t i = 0; i < vm.device_count; ++i) {
    if (vm.devices[i].interrupt > highest) highest = vm.devices[i].interrupt;
  }
  return highest;
}

constinit vmm::Gic gic{{.vcpu_count = vm.vcpus,
                        .highest_spi = highest_spi(),
                        .distributor_base = vm.gic_distributor,
                        .redistributor_base = vm.gic_redistributors}};
constinit vmm::Psci psci{vm.vcpus};
constinit vmm::Pl011<Guest_output> uart;
constinit vmm_server::Virtio_consoles<Guest_output,
                                      vmm_server::count_of_kind(vm, kestrel::Emulated_kind::virtio_console)>
    virtio_consoles{vm};
bool vm_off = false;

// The device models are shared by the exit thread and, if the policy gives
// the VMM one, the input thread (on another CPU): one lock around every use.
// Held only while a model is read or changed, never across a system call
// that blocks.
class Spin_lock {
 public:
  void lock() {
    while (__atomic_test_and_set(&taken_, __ATOMIC_ACQUIRE)) {
      while (__atomic_load_n(&taken_, __ATOMIC_RELAXED)) asm volatile("yield");
    }
  }
  void unlock() { __atomic_clear(&taken_, __ATOMIC_RELEASE); }

 private:
  bool taken_ = false;
};
constinit Spin_lock models_lock;

struct Locked {
  Locked() { models_lock.lock(); }
  ~Locked() { models_lock.unlock(); }
  Locked(const Locked&) = delete;
  Locked& operator=(const Locked&) = delete;
};

// The thread whose stack is the region named "input-stack" (if the policy
// gives the VMM one) takes typed input: it must have time of its own, as
// the exit thread, a passive server, has none when only a doorbell rings.
constexpr uint64_t input_stack_index() {
  for (uint64_t i = 0; i < kestrel::slots::memory_region_count; ++i) {
    const char* name = kestrel::slots::memory_regions[i].name;
    const char* wanted = "input-stack";
    while (*name != '\0' && *name == *wanted) {
      ++name;
      ++wanted;
    }
    if (*name == '\0' && *wanted == '\0') return i;
  }
  return kestrel::slots::memory_region_count;
}
constexpr bool has_input_thread =
    input_stack_index() < kestrel::slots::memory_region_count && kestrel::vms::input != ~uint64_t{0};
constexpr const kestrel::slots::Memory_region& input_stack = kestrel::slots::memory_regions[input_stack_index()];

bool in(uint64_t address, const kestrel::Emulated_device* device) {
  return device != nullptr && address >= device->address && address - device->address < device->size;
}

void inject(const vmm::Deliveries& deliveries) {
  for (const auto& delivery : deliveries) {
    kestrel::vcpu_inject_interrupt(vm.first_vcpu + delivery.vcpu, delivery.intid);
  }
  if (deliveries.more()) inject(gic.take_deliveries());
}

// The UART's interrupt line to the GIC, after each access or input.
void update_uart_interrupt() {
  switch (uart.take_level_change()) {
    case vmm::Level_change::rose:
      inject(gic.raise_spi(uart_device->interrupt));
      break;
    case vmm::Level_change::fell:
      gic.lower_spi(uart_device->interrupt);
      break;
    case vmm::Level_change::none:
      break;
  }
}

void raise_spi(uint32_t spi) { inject(gic.raise_spi(spi)); }

// Unemulated guest-physical pages the guest touched, logged once each.
uint64_t reported_pages[16];
uint32_t reported_count = 0;

void report_unemulated(uint64_t address, bool write) {
  const uint64_t page = address >> 12;
  for (uint32_t i = 0; i < reported_count; ++i) {
    if (reported_pages[i] == page) return;
  }
  if (reported_count < sizeof reported_pages / sizeof reported_pages[0]) reported_pages[reported_count++] = page;
  VMM_LOG("guest %s 0x%lx: no device there (reads 0, writes ignored)\n", write ? "wrote" : "read", address);
}

// Exits handled, by kind and device (reported when the guest powers off).
struct Exit_counts {
  uint64_t gic = 0;
  uint64_t uart = 0;
  uint64_t virtio = 0;
  uint64_t unemulated = 0;
  uint64_t hypercalls = 0;
  uint64_t system_registers = 0;
  uint64_t other = 0;
};
constinit Exit_counts counts;

void report_exit_counts() {
  VMM_LOG(
      "exits: %lu MMIO (GIC %lu, PL011 %lu, virtio %lu, elsewhere %lu), %lu hypercalls, %lu system registers, %lu "
      "other\n",
      counts.gic + counts.uart + counts.virtio + counts.unemulated, counts.gic, counts.uart, counts.virtio,
      counts.unemulated, counts.hypercalls, counts.system_registers, counts.other);
}

struct Answer {
  uint64_t value = 0;
  uint64_t flags = kestrel::abi::reply_resume;
};

Answer mmio(const kestrel::Exit_message& exit) {
  const bool write = exit.kind == Exit_kind::mmio_write;
  const auto size = static_cast<unsigned>(exit.size);
  Answer answer;
  if (gic.contains(exit.address)) {
    ++counts.gic;
    if (write) {
      inject(gic.write(exit.address, size, exit.value));
    } else {
      answer.value = gic.read(exit.address, size);
    }
  } else if (in(exit.address, uart_device)) {
    ++counts.uart;
    const uint64_t offset = exit.address - uart_device->address;
    if (write) {
      uart.write(offset, size, exit.value);
    } else {
      answer.value = uart.read(offset, size);
    }
    update_uart_interrupt();
  } else if (const uint32_t hvc = virtio_consoles.at(exit.address); hvc != virtio_consoles.none) {
    ++counts.virtio;
    answer.value = virtio_consoles.access(hvc, exit.address, write, size, exit.value, raise_spi);
  } else {
    ++counts.unemulated;
    report_unemulated(exit.address, write);
  }
  return answer;
}

// Ends the VM: every vCPU stops (one waiting for an answer stops when it
// gets it).
void power_vm_off(uint64_t caller) {
  vm_off = true;
  for (uint32_t i = 0; i < vm.vcpus; ++i) {
    if (i != caller) kestrel::vcpu_stop(vm.first_vcpu + i);
  }
}

// PSCI SYSTEM_RESET: the kernel restarts the VM from the image (its RAM as
// the image loaded it, every vCPU reset, vCPU 0 at its entry) and the
// devices here go back to their reset state. The exit that asked gets no
// answer: the vCPU that made it is gone.
uint64_t restarts = 0;

void restart_vm() {
  VMM_LOG("the guest asked for a reset (PSCI SYSTEM_RESET); restarting it from the image (restart %lu)\n", ++restarts);
  const Status status = kestrel::vm_restart(vm.first_vcpu);
  if (status != Status::ok) {
    VMM_LOG("the VM could not be restarted (status %lu); it stays off\n", static_cast<uint64_t>(status));
    power_vm_off(~uint64_t{0});
    return;
  }
  gic.reset();
  psci.reset();
  uart.reset();
  virtio_consoles.reset();
  reported_count = 0;
}

Answer hypercall(const kestrel::Exit_message& exit) {
  const auto caller = static_cast<uint32_t>(exit.vcpu);
  const vmm::Psci_result result = psci.call(caller, exit.address, exit.value, exit.size, exit.extra);
  Answer answer{.value = result.x0};
  switch (result.action) {
    case vmm::Psci_action::none:
      break;
    case vmm::Psci_action::start_vcpu: {
      const Status status = kestrel::vcpu_start(vm.first_vcpu + result.target, result.entry, result.context);
      answer.value = status == Status::ok ? psci.started(result.target)
                                          : psci.start_failed(result.target, vmm::psci::internal_failure);
      break;
    }
    case vmm::Psci_action::vcpu_off:
      answer.flags = kestrel::abi::reply_power_off;
      break;
    case vmm::Psci_action::system_off:
      VMM_LOG("the guest powered off (PSCI SYSTEM_OFF)\n");
      report_exit_counts();
      power_vm_off(caller);
      answer.flags = kestrel::abi::reply_stop;
      // The policy lets this VMM end the system with its VM (mayPowerOff).
      if (kestrel::vms::power != ~uint64_t{0}) {
        console.flush();
        kestrel::system_off(kestrel::vms::power);
      }
      break;
    case vmm::Psci_action::system_reset:
      restart_vm();
      answer.flags = kestrel::abi::reply_stop;  // the kernel answers nobody: the VM restarted
      break;
  }
  return answer;
}

Answer handle(const kestrel::Exit_message& exit) {
  if (vm_off) return {0, kestrel::abi::reply_stop};
  switch (exit.kind) {
    case Exit_kind::mmio_read:
    case Exit_kind::mmio_write:
      return mmio(exit);
    case Exit_kind::hypercall:
      ++counts.hypercalls;
      return hypercall(exit);
    case Exit_kind::system_register:
      ++counts.system_registers;
      VMM_LOG("vCPU %lu: %s of system register 0x%lx: undefined\n", exit.vcpu, exit.size != 0 ? "read" : "write",
              exit.address);
      return {0, kestrel::abi::reply_undefined};
    default:
      ++counts.other;
      VMM_LOG("vCPU %lu: trap (ESR 0x%lx at 0x%lx) it cannot emulate: undefined\n", exit.vcpu, exit.size, exit.address);
      return {0, kestrel::abi::reply_undefined};
  }
}

// Typed input goes to the device the guest reads its console from: the
// virtio console its command line names last (console=hvcN), else the UART.
constexpr uint32_t input_virtio_console = vmm_server::virtio_console_of_device(vm, vm.input_device);
constexpr bool has_input_device = input_virtio_console != vmm_server::no_console || has_uart;

// As many of `count` typed bytes as the input device takes now.
size_t give_input(const uint8_t* bytes, size_t count) {
  if constexpr (input_virtio_console != vmm_server::no_console) {
    return virtio_consoles.receive(input_virtio_console, bytes, count, raise_spi);
  } else {
    const size_t taken = uart.receive(bytes, count);
    update_uart_interrupt();
    return taken;
  }
}

// Typed input the console driver holds for this VM, into the input device
// (no more than it takes: the rest waits in the driver for the guest to
// read some or post buffers).
char pending_input[kestrel::console_protocol::max_read_bytes];
size_t pending_count = 0;
size_t pending_taken = 0;

void take_input() {
  if (!has_input_device) return;
  for (;;) {
    if (pending_taken == pending_count) {
      pending_count = console.read(pending_input, sizeof pending_input);
      pending_taken = 0;
      if (pending_count == 0) break;
    }
    const size_t taken =
        give_input(reinterpret_cast<const uint8_t*>(pending_input + pending_taken), pending_count - pending_taken);
    pending_taken += taken;
    if (taken == 0) break;  // the guest has no room: the rest after its next read or posted buffer
  }
}

}  // namespace

// The input thread: waits for the console driver's doorbell, then hands
// what was typed to the guest's input device.
[[noreturn]] void input_main() {
  for (;;) {
    kestrel::wait(kestrel::vms::input);
    Locked locked;
    take_input();
  }
}

bool on_input_stack() {
  if constexpr (has_input_thread) {
    uint64_t sp;
    asm volatile("mov %0, sp" : "=r"(sp));
    return sp >= input_stack.address && sp - input_stack.address <= input_stack.size;
  }
  return false;
}

extern "C" int main() {
  if (on_input_stack()) input_main();
  VMM_LOG("VM %s: %u vCPUs, %lu MiB of RAM at 0x%lx\n", vm.name, vm.vcpus, vm.ram_size >> 20, vm.ram_address);
  // Without an input thread, the exit thread takes the doorbell itself
  // (which works only if it has time of its own, i.e. is not passive).
  constexpr uint64_t input =
      !has_input_thread && kestrel::vms::input != ~uint64_t{0} ? kestrel::vms::input : kestrel::no_notification;
  kestrel::Exit_message exit = kestrel::recv(vm.exits, input);
  for (;;) {
    if (exit.status != Status::ok) {
      exit = kestrel::recv(vm.exits, input);
      continue;
    }
    if (exit.notified()) {
      Locked locked;
      take_input();
      exit = kestrel::recv(vm.exits, input);
      continue;
    }
    Answer answer;
    {
      Locked locked;
      answer = handle(exit);
      // A guest read of the UART, or buffers it posted to a virtio console,
      // may have made room for input still waiting.
      if (pending_taken != pending_count) take_input();
    }
    exit = kestrel::reply_recv(vm.exits, answer.value, answer.flags, input);
  }
}
