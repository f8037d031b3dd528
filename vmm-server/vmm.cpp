// SPDX-License-Identifier: Apache-2.0
// The VMM: an unprivileged partition that runs one VM for the kernel. It
// receives the VM's exits (docs/abi.md, "VM exits") and answers each:
//   - MMIO to the GICv3 distributor and redistributors (kestrel/vmm/gic.hpp),
//     to the PL011 the policy gives the VM (kestrel/vmm/pl011.hpp) and to its
//     virtio consoles (virtio_consoles.hpp), whose output goes to the console
//     with the VM's name in front; input from the console driver (when the
//     VM has the input focus) goes to the one the guest's command line makes
//     its console (Vm_description::input_device);
//   - MMIO to its virtio block and net devices (virtio_devices.hpp), backed
//     by the queues of driver partitions (kestrel/device_queue.hpp);
//   - HVC/SMC: PSCI 1.1 and SMCCC 1.1 (kestrel/vmm/psci.hpp); unknown
//     functions answer NOT_SUPPORTED;
//   - system registers the kernel leaves to it, and traps it cannot
//     emulate: the guest takes an undefined-instruction exception, as on a
//     CPU without them;
//   - MMIO to the tunnel control page (kestrel/vmm/tunnel_control.hpp): the
//     VM's tunnels, for which the VMM calls the IPCM and rings doorbells;
//   - MMIO anywhere else: reads as zero, writes ignored (one log line per
//     page), so a wild guest cannot stop it.
// SGIs, the virtual timer, WFI and FP/SIMD never reach it: the kernel
// handles them. docs/vmm.md describes the design and the exit protocol.
//
// Threads: one exit thread per CPU the VM's vCPUs run on, each receiving
// the exits of the vCPUs on its own CPU (the policy compiler gives each CPU
// its exit endpoint, <vm>.exits-cpuN), so no exit crosses CPUs; an
// optional input thread for typed input; and a doorbell thread per tunnel
// of the VM with a doorbell (stack regions named tunnel-stack...), which
// turns a ring into the tunnel's SPI; and, for a VM with block or net
// devices, the thread named "devices-<vm>", which waits on the VM's device
// doorbells and completes requests and delivers frames. They share the
// device models.
//
// Built by `kestrel build` from this file: the VM's description and the
// threads come from the generated <kestrel/slots.hpp> (kestrel::vms::served,
// kestrel::slots::threads).
#include <kestrel/console.hpp>
#include <kestrel/slots.hpp>
#include <kestrel/syscall.hpp>
#include <kestrel/tunnel.hpp>
#include <kestrel/vmm/gic.hpp>
#include <kestrel/vmm/pl011.hpp>
#include <kestrel/vmm/psci.hpp>
#include <kestrel/vmm/tunnel_control.hpp>

#include "virtio_consoles.hpp"
#include "virtio_devices.hpp"

namespace {

using kestrel::abi::Exit_kind;
using kestrel::abi::Status;
namespace vmm = kestrel::vmm;

constexpr const kestrel::Vm_description& vm = kestrel::vms::served;

// Every thread by its index in kestrel::slots::threads; one more entry for a
// thread the table does not know (it never runs here: main() ends it).
constexpr uint64_t thread_slots = kestrel::slots::thread_count + 1;

constexpr kestrel::Console make_console() {
  return kestrel::vms::console_is_kernel ? kestrel::Console::kernel(kestrel::vms::console)
                                         : kestrel::Console(kestrel::vms::console, vm.name);
}

// What a thread prints (the guest's lines, the VMM's messages) collects
// here while it holds the models lock and goes to the console after it lets
// go: writing to the console driver is a call that waits for the driver's
// window. One Console per thread (a Console is not shared between threads).
struct Thread_output {
  kestrel::Console console = make_console();
  char text[2048] = {};
  size_t used = 0;
  uint64_t dropped = 0;

  void put(char c) {
    if (used < sizeof text) {
      text[used++] = c;
    } else {
      ++dropped;
    }
  }
  // Without the models lock: sends what collected.
  void send() {
    console.write(text, used);
    console.flush();
    used = 0;
  }
};
constinit Thread_output outputs[thread_slots];

// The thread that holds the models lock (set by Locked): whose output the
// guest's and the VMM's lines go to, and whose exits are counted.
uint64_t holder = kestrel::slots::thread_count;

// The VMM's own messages (not the guest's) go out with "vmm: " in front.
// Only with the models lock held; they reach the console once it is let go.
__attribute__((format(printf, 1, 2))) void vmm_log(const char* format, ...) {
  __builtin_va_list arguments;
  __builtin_va_start(arguments, format);
  kestrel::vformat([](char c) { outputs[holder].put(c); }, format, arguments);
  __builtin_va_end(arguments);
}
#define VMM_LOG(...) vmm_log("vmm: " __VA_ARGS__)

// The guest's UART output, a line at a time, whichever vCPU writes it: a
// whole line goes to the output of the thread that completes it.
// Each device (PL011, virtio console) has its own, so partial lines of two
// devices never mix.
struct Guest_output {
  vmm::Line_buffer<kestrel::console_protocol::max_write_bytes> line;

  void put(char c) {
    if (c == '\r' || !line.put(c)) return;
    for (size_t i = 0; i < line.size(); ++i) outputs[holder].put(line.data()[i]);
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
  for (uint32_t i = 0; i < vm.tunnel_count; ++i) {
    if (vm.tunnels[i].interrupt > highest) highest = vm.tunnels[i].interrupt;
  }
  return highest;
}

// The VM's tunnels (docs/ipcm.md, "The VM end of a tunnel"): the guest
// drives them through the control page; the VMM calls the IPCM with the
// VM's badge and rings doorbells with the VM's signal capabilities.
constexpr uint32_t tunnel_count = vm.tunnel_count;
constexpr uint32_t tunnel_slots = tunnel_count > 0 ? tunnel_count : 1;

struct Tunnel_places {
  vmm::Tunnel_place places[tunnel_slots];
};
constexpr Tunnel_places make_places() {
  Tunnel_places result{};
  for (uint32_t i = 0; i < tunnel_count; ++i) {
    const auto& tunnel = vm.tunnels[i];
    result.places[i] = {tunnel.id, tunnel.address, tunnel.size, tunnel.max_open};
  }
  return result;
}
constexpr Tunnel_places tunnel_places = make_places();

// Tunnel i as the client library sees an end: the IPCM's answers are
// checked against the very place the policy gives each instance.
constexpr kestrel::Tunnel_end tunnel_end(uint32_t i) {
  const auto& tunnel = vm.tunnels[i];
  return {.id = tunnel.id,
          .ipcm = tunnel.ipcm,
          .address = tunnel.address,
          .size = tunnel.size,
          .max_open = tunnel.max_open,
          .writable = true,
          .wait_doorbell = tunnel.wait_doorbell,
          .ring_doorbell = tunnel.ring_doorbell};
}

bool in_tunnel_control(uint64_t address) {
  return tunnel_count > 0 && address >= vm.tunnel_control && address - vm.tunnel_control < 0x1000;
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
constinit vmm::Tunnel_control<tunnel_slots> tunnel_control{tunnel_places.places, tunnel_count};
static_assert(vmm_server::backends_resolve(vm),
              "a virtio block or net device's backend is past kestrel::devices::block_client_count / "
              "net_client_count: the slots header does not hold what virtio_devices.hpp expects");
constinit vmm_server::Virtio_devices<vmm_server::backed_blocks(vm), vmm_server::backed_nets(vm)> virtio_devices{vm};
bool vm_off = false;

// The device models (and vm_off, the counts, the pending input) are shared
// by the exit threads, each on its own CPU, the devices thread and the
// input thread: one lock around every use. It is never held across a call
// that blocks (console output waits in Thread_output until the lock is let
// go; console input is read without it): a thread that spins for it then
// waits only while the holder changes a model, not while the holder waits
// for another partition. The holder can still lose its CPU at the end of
// its window (or its caller's), and the others then spin until it runs
// again; a VM with vCPUs on several CPUs should therefore have its windows
// at the same times on each of them. A spinner yields (the system call),
// so a holder of its priority preempted on the spinner's own CPU (the
// devices thread beside an exit thread on the VM's CPU) runs and lets go;
// a holder of lower priority there would not, so the VMM's threads that
// share a CPU must have one priority (KP0713). vcpu_*, vm_restart and
// system_off are not blocking calls: the kernel answers them at once
// (vm_restart once the VM's vCPUs are off their CPUs, which takes no other
// partition's action).
class Spin_lock {
 public:
  void lock() {
    while (__atomic_test_and_set(&taken_, __ATOMIC_ACQUIRE)) {
      // The holder may be a thread of this VMM on this very CPU, preempted
      // while it held the lock (an exit thread and the devices thread
      // sharing the VM's CPU): the yield system call lets it run again,
      // where a bare spin would keep it off the CPU for good.
      while (__atomic_load_n(&taken_, __ATOMIC_RELAXED)) kestrel::yield();
    }
  }
  void unlock() { __atomic_clear(&taken_, __ATOMIC_RELEASE); }

 private:
  bool taken_ = false;
};
constinit Spin_lock models_lock;

struct Locked {
  explicit Locked(uint64_t thread) {
    models_lock.lock();
    holder = thread;
  }
  ~Locked() {
    holder = kestrel::slots::thread_count;
    models_lock.unlock();
  }
  Locked(const Locked&) = delete;
  Locked& operator=(const Locked&) = delete;
};

// The thread whose stack is the region named "input-stack" (if the policy
// gives the VMM one) takes typed input: it must have time of its own, as
// the exit threads, passive servers, have none when only a doorbell rings.
constexpr bool named(const char* name, const char* wanted) {
  while (*name != '\0' && *name == *wanted) {
    ++name;
    ++wanted;
  }
  return *name == '\0' && *wanted == '\0';
}
constexpr uint64_t input_thread_index() {
  for (uint64_t i = 0; i < kestrel::slots::thread_count; ++i) {
    for (uint64_t r = 0; r < kestrel::slots::memory_region_count; ++r) {
      const auto& region = kestrel::slots::memory_regions[r];
      if (named(region.name, "input-stack") && region.address == kestrel::slots::threads[i].stack_address) return i;
    }
  }
  return kestrel::slots::thread_count;
}
constexpr uint64_t input_thread = input_thread_index();
constexpr bool has_input_thread = input_thread < kestrel::slots::thread_count && kestrel::vms::input != ~uint64_t{0};

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

// Exits handled, by kind and device, by each thread (reported when the
// guest powers off): `crossed` counts exits of vCPUs on another CPU than
// the thread's, which the policy compiler's per-CPU exit endpoints rule out.
struct Exit_counts {
  uint64_t gic = 0;
  uint64_t uart = 0;
  uint64_t virtio = 0;
  uint64_t tunnel = 0;
  uint64_t unemulated = 0;
  uint64_t hypercalls = 0;
  uint64_t system_registers = 0;
  uint64_t other = 0;
  uint64_t crossed = 0;
  uint64_t mmio() const { return gic + uart + virtio + tunnel + unemulated; }
  void add(const Exit_counts& more) {
    gic += more.gic;
    uart += more.uart;
    unemulated += more.unemulated;
    virtio += more.virtio;
    tunnel += more.tunnel;
    hypercalls += more.hypercalls;
    system_registers += more.system_registers;
    other += more.other;
    crossed += more.crossed;
  }
};
constinit Exit_counts counts_by_thread[thread_slots];

void report_counts(const char* what, const Exit_counts& counts) {
  VMM_LOG(
      "%s: %lu MMIO (GIC %lu, PL011 %lu, virtio %lu, tunnels %lu, elsewhere %lu), %lu hypercalls, %lu system "
      "registers, %lu other\n",
      what, counts.mmio(), counts.gic, counts.uart, counts.virtio, counts.tunnel, counts.unemulated, counts.hypercalls,
      counts.system_registers, counts.other);
}

// All exits, then those of each CPU's exit thread.
void report_exit_counts() {
  Exit_counts total;
  for (const auto& counts : counts_by_thread) total.add(counts);
  report_counts("exits", total);
  for (uint32_t i = 0; i < vm.exit_endpoint_count; ++i) {
    const auto& exits = vm.exit_endpoints[i];
    const Exit_counts& counts = counts_by_thread[exits.thread < thread_slots ? exits.thread : thread_slots - 1];
    char what[32];
    kestrel::snformat(what, sizeof what, "exits on CPU %u", exits.cpu);
    if (counts.mmio() + counts.hypercalls + counts.system_registers + counts.other == 0) {
      VMM_LOG("%s: none\n", what);
    } else {
      report_counts(what, counts);
    }
    if (counts.crossed != 0) VMM_LOG("%lu exits on CPU %u were of vCPUs on other CPUs\n", counts.crossed, exits.cpu);
  }
}

struct Answer {
  uint64_t value = 0;
  uint64_t flags = kestrel::abi::reply_resume;
  bool power_off = false;        // end the system, once the output is out (mayPowerOff)
  vmm::Tunnel_request tunnel{};  // for the IPCM or a doorbell, done without the models lock
};

Answer mmio(const kestrel::Exit_message& exit) {
  const bool write = exit.kind == Exit_kind::mmio_write;
  const auto size = static_cast<unsigned>(exit.size);
  Answer answer;
  if (gic.contains(exit.address)) {
    ++counts_by_thread[holder].gic;
    if (write) {
      inject(gic.write(exit.address, size, exit.value));
    } else {
      answer.value = gic.read(exit.address, size);
    }
  } else if (in(exit.address, uart_device)) {
    ++counts_by_thread[holder].uart;
    const uint64_t offset = exit.address - uart_device->address;
    if (write) {
      uart.write(offset, size, exit.value);
    } else {
      answer.value = uart.read(offset, size);
    }
    update_uart_interrupt();
  } else if (const uint32_t hvc = virtio_consoles.at(exit.address); hvc != virtio_consoles.none) {
    ++counts_by_thread[holder].virtio;
    answer.value = virtio_consoles.access(hvc, exit.address, write, size, exit.value, raise_spi);
  } else if (const uint32_t device = virtio_devices.at(exit.address); device != virtio_devices.none) {
    ++counts_by_thread[holder].virtio;
    answer.value = virtio_devices.access(device, exit.address, write, size, exit.value, raise_spi);
  } else if (in_tunnel_control(exit.address)) {
    ++counts_by_thread[holder].tunnel;
    const uint64_t offset = exit.address - vm.tunnel_control;
    if (write) {
      answer.tunnel = tunnel_control.write(offset, size, exit.value);
    } else {
      answer.value = tunnel_control.read(offset, size);
    }
  } else {
    ++counts_by_thread[holder].unemulated;
    report_unemulated(exit.address, write);
  }
  return answer;
}

// What a write to the tunnel control page asked for, without the models
// lock: a call to the IPCM (passive, on this vCPU's time; it may ring a
// doorbell that a doorbell thread takes under the lock meanwhile) or a
// signal. The guest's write is answered once this is done, so its next
// read of the status sees the answer.
void do_tunnel_request(uint64_t self, const vmm::Tunnel_request& request) {
  if (request.kind == vmm::Tunnel_request_kind::none || request.tunnel >= tunnel_count) return;
  const kestrel::Tunnel_end end = tunnel_end(request.tunnel);
  if (request.kind == vmm::Tunnel_request_kind::ring) {
    kestrel::tunnel::ring(end);
    return;
  }
  const auto operation = static_cast<kestrel::ipcm::Operation>(request.operation);
  const kestrel::Tunnel_answer answer = kestrel::tunnel::ask(operation, end, request.instance);
  Locked locked{self};
  tunnel_control.complete(static_cast<uint32_t>(answer.status), answer.view.address, answer.view.size,
                          answer.view.instance);
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
  virtio_devices.reset();
  tunnel_control.reset();
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
      virtio_devices.report([](const char* format, auto... arguments) {
        vmm_log("vmm: ");
        vmm_log(format, arguments...);
      });
      power_vm_off(caller);
      answer.flags = kestrel::abi::reply_stop;
      // The policy lets this VMM end the system with its VM (mayPowerOff).
      answer.power_off = kestrel::vms::power != ~uint64_t{0};
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
  // A vCPU that is off makes no exits: this one was received before
  // another thread restarted the VM, and its answer would go to nobody.
  if (psci.state(static_cast<uint32_t>(exit.vcpu)) == vmm::Power_state::off) return {0, kestrel::abi::reply_stop};
  if (exit.vcpu >= vm.vcpus || vm.vcpu_cpus[exit.vcpu] != kestrel::slots::threads[holder].cpu)
    ++counts_by_thread[holder].crossed;
  switch (exit.kind) {
    case Exit_kind::mmio_read:
    case Exit_kind::mmio_write:
      return mmio(exit);
    case Exit_kind::hypercall:
      ++counts_by_thread[holder].hypercalls;
      return hypercall(exit);
    case Exit_kind::system_register:
      ++counts_by_thread[holder].system_registers;
      VMM_LOG("vCPU %lu: %s of system register 0x%lx: undefined\n", exit.vcpu, exit.size != 0 ? "read" : "write",
              exit.address);
      return {0, kestrel::abi::reply_undefined};
    default:
      ++counts_by_thread[holder].other;
      VMM_LOG("vCPU %lu: trap (ESR 0x%lx at 0x%lx) it cannot emulate: undefined\n", exit.vcpu, exit.size, exit.address);
      return {0, kestrel::abi::reply_undefined};
  }
}

// Typed input goes to the device the guest reads its console from: the
// virtio console its command line names last (console=hvcN), else the UART.
constexpr uint32_t input_virtio_console = vmm_server::virtio_console_of_device(vm, vm.input_device);
constexpr bool has_input_device = input_virtio_console != vmm_server::no_console || has_uart;

// As many of `count` typed bytes as the input device takes now (with the
// models lock).
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
// (the UART's receive ring or the virtio console's posted buffers). The
// driver rings the doorbell when its queue for this VM stops being empty,
// so the reader (the input thread, or the exit thread that waits on the
// doorbell if there is none) reads until it gets nothing. It reads without
// the models lock (a call to the driver) into pending_input, which only it
// fills and only while it is empty; the bytes go to the device under the
// lock, as many as it takes, and the rest as the guest reads or posts
// buffers (any thread that handles such an exit feeds them).
char pending_input[kestrel::console_protocol::max_read_bytes];
size_t pending_count = 0;
size_t pending_taken = 0;
bool reading_stopped = false;  // the reader stopped with the guest's ring full: the driver may hold more

// With the lock: pending input into the input device; whether all of it
// went.
bool feed_input() {
  if (pending_taken != pending_count) {
    pending_taken +=
        give_input(reinterpret_cast<const uint8_t*>(pending_input + pending_taken), pending_count - pending_taken);
  }
  return pending_taken == pending_count;
}

// Without the lock: reads what the driver holds. While the guest's ring is
// full, the input thread tries again after a yield (it spins in its own
// window only); an exit thread stops and reads again once the guest has
// taken the pending bytes (it has exits to serve meanwhile).
void take_input(uint64_t self) {
  if (!has_input_device) return;
  for (;;) {
    bool all_fed;
    {
      Locked locked{self};
      all_fed = feed_input();
      reading_stopped = !all_fed && self != input_thread;
    }
    if (!all_fed) {
      if (self != input_thread) return;
      kestrel::yield();
      continue;
    }
    const size_t count = outputs[self].console.read(pending_input, sizeof pending_input);
    if (count == 0) return;
    Locked locked{self};
    pending_count = count;
    pending_taken = 0;
  }
}

// The input thread: waits for the console driver's doorbell, then hands
// what was typed to the guest's input device.
[[noreturn]] void input_main() {
  for (;;) {
    kestrel::wait(kestrel::vms::input);
    take_input(input_thread);
    outputs[input_thread].send();
  }
}

// An exit thread: serves the exits of the vCPUs on its CPU, on the endpoint
// `exits`. `doorbell`: the input doorbell it also waits on, if there is no
// input thread and it is the first exit thread (kestrel::no_notification
// otherwise); that works only if it has time of its own (is not passive).
[[noreturn]] void serve_exits(uint64_t self, uint64_t exits, uint64_t doorbell) {
  const bool reader = doorbell != kestrel::no_notification;
  kestrel::Exit_message exit = kestrel::recv(exits, doorbell);
  for (;;) {
    if (exit.status != Status::ok) {
      exit = kestrel::recv(exits, doorbell);
      continue;
    }
    if (exit.notified()) {
      take_input(self);
      outputs[self].send();
      exit = kestrel::recv(exits, doorbell);
      continue;
    }
    Answer answer;
    bool read_more = false;
    {
      Locked locked{self};
      answer = handle(exit);
      // A guest read of the UART, or buffers it posted to a virtio console,
      // may have made room for input still waiting.
      read_more = feed_input() && reader && reading_stopped;
    }
    if (read_more) take_input(self);
    do_tunnel_request(self, answer.tunnel);
    outputs[self].send();
    if (answer.power_off) kestrel::system_off(kestrel::vms::power);
    exit = kestrel::reply_recv(exits, answer.value, answer.flags, doorbell);
  }
}

// Doorbell threads: the threads whose stack regions are named
// "tunnel-stack..." (in thread order) serve the VM's tunnels that have a
// doorbell, one each, in the VM's tunnel order. A passive exit thread has no
// time of its own when only a doorbell rings, so each has its own window.
constexpr bool starts_with(const char* text, const char* prefix) {
  while (*prefix != '\0' && *text == *prefix) {
    ++text;
    ++prefix;
  }
  return *prefix == '\0';
}
constexpr bool is_doorbell_thread(uint64_t thread) {
  for (uint64_t r = 0; r < kestrel::slots::memory_region_count; ++r) {
    const auto& region = kestrel::slots::memory_regions[r];
    if (starts_with(region.name, "tunnel-stack") && region.address == kestrel::slots::threads[thread].stack_address)
      return true;
  }
  return false;
}
// The tunnel (index in vm.tunnels) doorbell thread `thread` serves, or
// tunnel_count if none.
constexpr uint32_t doorbell_tunnel_of(uint64_t thread) {
  if (!is_doorbell_thread(thread)) return tunnel_count;
  uint32_t before = 0;
  for (uint64_t t = 0; t < thread; ++t) before += is_doorbell_thread(t) ? 1 : 0;
  for (uint32_t i = 0; i < tunnel_count; ++i) {
    if (vm.tunnels[i].wait_doorbell == kestrel::no_tunnel_slot) continue;
    if (before-- == 0) return i;
  }
  return tunnel_count;
}

// Waits on tunnel i's doorbell; each word (1: the other end rang, 2: the
// IPCM opened, asked for or closed it) goes to the control page's pending
// bits and raises the tunnel's SPI. The guest may handle the SPI, or leave
// it pending in the GIC and read it there.
[[noreturn]] void doorbell_main(uint64_t self, uint32_t i) {
  const kestrel::Tunnel_end end = tunnel_end(i);
  for (;;) {
    const kestrel::Doorbell rung = kestrel::tunnel::wait(end);
    if (rung.status != Status::ok) kestrel::thread_exit();
    {
      Locked locked{self};
      tunnel_control.rang(i, rung.bits);
      raise_spi(vm.tunnels[i].interrupt);
    }
    outputs[self].send();
  }
}

// The devices thread: the thread named "devices-<vm>" (the policy compiler
// requires it of a VMM whose VM has block or net devices) waits on the VM's
// device doorbells and hands each device model the bits its driver rang
// (responses, or the driver's stop), which complete guest requests and
// deliver frames and raise the devices' SPIs. Like the input thread, it
// needs time of its own.
constexpr bool is_devices_thread_name(const char* name) {
  return name != nullptr && starts_with(name, "devices-") && named(name + 8, vm.name);
}
constexpr uint64_t devices_thread_index() {
  for (uint64_t i = 0; i < kestrel::slots::thread_count; ++i) {
    if (is_devices_thread_name(kestrel::slots::threads[i].name)) return i;
  }
  return kestrel::slots::thread_count;
}
constexpr uint64_t devices_thread = devices_thread_index();
constexpr bool has_virtio_devices = decltype(virtio_devices)::count > 0;

[[noreturn]] void devices_main(uint64_t self) {
  for (;;) {
    const kestrel::Syscall_result rung = kestrel::wait(virtio_devices.wait_slot());
    if (rung.status != Status::ok) kestrel::thread_exit();
    {
      Locked locked{self};
      virtio_devices.rang(rung.value, raise_spi);
    }
    outputs[self].send();
  }
}

}  // namespace

extern "C" int main() {
  const kestrel::slots::Thread& thread = kestrel::slots::this_thread();
  const auto self = static_cast<uint64_t>(&thread - kestrel::slots::threads);
  if (has_input_thread && self == input_thread) input_main();
  if (devices_thread < kestrel::slots::thread_count && self == devices_thread) {
    if (has_virtio_devices) devices_main(self);
    kestrel::thread_exit();  // no backed device to serve
  }
  if (is_doorbell_thread(self)) {
    const uint32_t tunnel = doorbell_tunnel_of(self);
    if (tunnel == tunnel_count) kestrel::thread_exit();  // more doorbell threads than doorbells
    doorbell_main(self, tunnel);
  }
  // The exit endpoint the policy compiler gave this thread (its CPU's).
  uint32_t first_exits = 0;
  while (first_exits < vm.exit_endpoint_count && vm.exit_endpoints[first_exits].thread != self) ++first_exits;
  {
    Locked locked{self};
    if (first_exits == vm.exit_endpoint_count) {
      VMM_LOG("thread %s receives no exits and has nothing to do\n", thread.name != nullptr ? thread.name : "?");
    } else if (first_exits == 0) {
      VMM_LOG("VM %s: %u vCPUs, %lu MiB of RAM at 0x%lx\n", vm.name, vm.vcpus, vm.ram_size >> 20, vm.ram_address);
      if (has_virtio_devices && devices_thread == kestrel::slots::thread_count)
        VMM_LOG("no thread named devices-%s: the VM's block and net devices will never complete a request\n", vm.name);
      for (uint32_t i = 0; i < tunnel_count; ++i) {
        const auto& tunnel = vm.tunnels[i];
        const bool served = tunnel.wait_doorbell == kestrel::no_tunnel_slot || [&] {
          for (uint64_t t = 0; t < kestrel::slots::thread_count; ++t) {
            if (doorbell_tunnel_of(t) == i) return true;
          }
          return false;
        }();
        VMM_LOG("tunnel %s (id %u) at 0x%lx, SPI %u%s; control page at 0x%lx\n", tunnel.name, tunnel.id, tunnel.address,
                tunnel.interrupt, served ? "" : " (no tunnel-stack thread waits on its doorbell: it never rings)",
                vm.tunnel_control);
      }
    }
  }
  outputs[self].send();
  if (first_exits == vm.exit_endpoint_count) kestrel::thread_exit();
  constexpr uint64_t doorbell =
      !has_input_thread && kestrel::vms::input != ~uint64_t{0} ? kestrel::vms::input : kestrel::no_notification;
  serve_exits(self, vm.exit_endpoints[first_exits].slot, first_exits == 0 ? doorbell : kestrel::no_notification);
}
