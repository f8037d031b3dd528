// SPDX-License-Identifier: Apache-2.0
// Kernel entry: what the boot CPU does once the arch layer has set it up.
#include <kestrel/abi/boot_info.hpp>
#include <kestrel/arch.hpp>
#include <kestrel/boot_info.hpp>
#include <kestrel/boot_signature.hpp>
#include <kestrel/cpu.hpp>
#include <kestrel/endpoint.hpp>
#include <kestrel/irq.hpp>
#include <kestrel/kernel_lock.hpp>
#include <kestrel/kernel_objects.hpp>
#include <kestrel/kernel_random.hpp>
#include <kestrel/log.hpp>
#include <kestrel/measurement.hpp>
#include <kestrel/memory_map.hpp>
#include <kestrel/partition.hpp>
#include <kestrel/scheduler.hpp>
#include <kestrel/thread.hpp>
#include <kestrel/version.hpp>
#include <kestrel/vm_restart.hpp>

using namespace kestrel;

extern "C" char __kernel_end[];  // linker script: the end of the kernel image

namespace {

// The kernel's own map is an identity map of RAM (kernel_mmu.cpp), before
// and after the MMU is on: physical addresses are the kernel's addresses.
const uint8_t* read_physical_identity(uint64_t physical_address, uint64_t) {
  return reinterpret_cast<const uint8_t*>(physical_address);
}

// Boot-info sits at the first boot_info_alignment boundary after the kernel
// (see abi/boot_info.hpp); the header's size says how much to check.
const uint8_t* find_boot_info(size_t& size) {
  const auto end = reinterpret_cast<uint64_t>(__kernel_end);
  const uint64_t address = (end + abi::boot_info_alignment - 1) & ~(abi::boot_info_alignment - 1);
  const auto* header = reinterpret_cast<const abi::Boot_info_header*>(address);
  if (header->magic != abi::boot_info_magic) {
    log("boot: no boot-info at {:#x}: boot an image made by kestrel-image to run partitions\n", address);
    return nullptr;
  }
  size = header->total_size;
  return reinterpret_cast<const uint8_t*>(address);
}

// The kernel objects area boot-info names, which must lie after the
// boot-info blob (and its signature: any bytes after the blob up to the
// area are the image's, not the kernel's); nullptr if there is none.
uint8_t* kernel_objects_area(const Boot_info& info, const uint8_t* blob, size_t size) {
  if (info.kernel_memory().empty()) {
    log("boot: boot-info names no kernel objects area: boot an image made by kestrel-image to run partitions\n");
    return nullptr;
  }
  const abi::Kernel_memory_entry& area = info.kernel_memory()[0];
  const uint64_t signature_end =
      ((reinterpret_cast<uint64_t>(blob) + size + 7) & ~uint64_t{7}) + sizeof(abi::Boot_info_signature);
  if (area.base < signature_end) {
    log("boot: the kernel objects area at {:#x} overlaps the kernel or boot-info\n", area.base);
    return nullptr;
  }
  return reinterpret_cast<uint8_t*>(area.base);
}

// Turns the kernel's MMU on, its tables in the area's first pages: exactly
// as many as the image builder counted, or the builder and this kernel
// disagree about the map, and nothing runs.
bool enable_mmu(const Boot_info& info, uint8_t* area) {
  Kernel_table_pages tables;
  if (const Carve_status status = take_kernel_table_pages(area, info, tables); status != Carve_status::ok) {
    log("boot: kernel objects not created: {} ({:#x} bytes at {:#x})\n", to_string(status),
        info.kernel_memory()[0].size, reinterpret_cast<uint64_t>(area));
    return false;
  }
  const uint32_t used = arch::enable_kernel_mmu(info.ram_ranges(), info.pristine(), tables.pages, tables.count);
  if (used == 0) {
    log("boot: the EL2 MMU could not be turned on, so no partition will run\n");
    return false;
  }
  if (used != tables.count) {
    log("boot: the kernel's map took {} table pages, but the image reserved {}; no partition will run\n", used,
        tables.count);
    return false;
  }
  log("boot: EL2 MMU on: kernel text r-x, read-only data r--, data rw-, RAM rw- never executable ({} table pages)\n",
      used);
  return true;
}

// Carves every object pool from the kernel objects area.
bool carve_objects(const Boot_info& info, uint8_t* area) {
  const Carve_status status = carve_kernel_objects(area, info);
  if (status != Carve_status::ok) {
    log("boot: kernel objects not created: {} ({:#x} bytes at {:#x})\n", to_string(status),
        info.kernel_memory()[0].size, reinterpret_cast<uint64_t>(area));
    return false;
  }
  log("boot: kernel objects: {:#x} bytes at {:#x}\n", info.kernel_memory()[0].size, reinterpret_cast<uint64_t>(area));
  if (!arch::select_stage2_input_bits(info.kernel_memory()[0].stage2_input_bits)) return false;
  return true;
}

// Starts the CPUs the system runs threads on, each on its carved stack.
unsigned start_cpus() {
  uint8_t* stacks[abi::max_cpus];
  for (unsigned cpu = 0; cpu < abi::max_cpus; ++cpu) stacks[cpu] = carved_kernel_stack(cpu);
  const unsigned online = arch::start_secondary_cpus(Span<uint8_t* const>{stacks, abi::max_cpus});
  log("smp: {} {} online: the CPUs the system runs threads on\n", online, online == 1 ? "CPU" : "CPUs");
  return online;
}

// The boot figure (docs/benchmarks.md, "Boot"): counter ticks spent in
// measure_partition, and the bytes it hashed.
struct Boot_hashing {
  uint64_t ticks = 0;
  uint64_t bytes = 0;
};
Boot_hashing boot_hashing;

// Counter ticks as nanoseconds of machine time. Under QEMU's
// `-icount shift=0` one instruction takes one nanosecond, so these are
// instructions there (to the counter's resolution, 16 at 62.5 MHz).
uint64_t nanoseconds(uint64_t ticks) {
  const uint64_t frequency = arch::counter_frequency();
  return ticks / frequency * 1'000'000'000 + ticks % frequency * 1'000'000'000 / frequency;
}

// Checks every partition's measurement and marks those that may start;
// returns how many.
unsigned verify_partitions(const Boot_info& info) {
  unsigned verified = 0;
  for (const abi::Measurement_entry& range : info.measurements()) boot_hashing.bytes += range.size;
  for (uint32_t p = 0; p < info.partitions().size(); ++p) {
    const char* name = info.name(info.partitions()[p].name);
    const uint64_t hashing_start = arch::counter_now();
    const Measurement_result result = measure_partition(info, p, read_physical_identity);
    boot_hashing.ticks += arch::counter_now() - hashing_start;
    char found[sha256_hex_buffer_size];
    switch (result.status) {
      case Measurement_status::matches:
        log("partition {}: measurement ok ({})\n", name, format_hex(result.found, found));
        partition_pool[p].may_start = true;
        ++verified;
        break;
      case Measurement_status::mismatch: {
        Sha256_digest expected{};
        for (size_t i = 0; i < sizeof expected.bytes; ++i) expected.bytes[i] = info.digests()[p].sha256[i];
        char expected_text[sha256_hex_buffer_size];
        log("partition {}: measurement MISMATCH: expected {}, found {}; it will not be started\n", name,
            format_hex(expected, expected_text), format_hex(result.found, found));
        break;
      }
      case Measurement_status::unmeasured:
        log("partition {}: not measured (boot-info without digests); it will not be started\n", name);
        break;
      case Measurement_status::unreadable:
        log("partition {}: a measured range is unreadable; it will not be started\n", name);
        break;
    }
  }
  return verified;
}

// Every verified VM's seed placeholders filled (after its measurement,
// which covers the image's zeros), from a generator seeded only when some
// VM has placeholders.
void give_guests_their_seeds(const Boot_info& info) {
  if (info.guest_seeds().empty()) return;
  seed_kernel_random();
  for (uint32_t p = 0; p < info.partitions().size(); ++p) {
    if (partition_pool[p].may_start) give_guest_its_seeds(info, p);
  }
}

// Creates partitions and threads, builds the address spaces of those that
// may start and makes their threads ready on their CPUs. Returns how many
// threads are.
unsigned create_objects(const Boot_info& info) {
  // Every CPU's plan of windows starts now.
  const uint64_t epoch = arch::counter_now();
  for (const abi::Cpu_plan_entry& plan : info.cpu_plans()) {
    cpu_scheduler(plan.cpu).configure(plan, info.windows_of(plan), arch::counter_frequency(), epoch);
  }
  for (uint32_t p = 0; p < info.partitions().size(); ++p) {
    Partition& partition = partition_pool[p];
    const bool verified = partition.may_start;
    partition.create(info, p);
    partition.may_start = verified;
    if (!partition.may_start) continue;
    if (!arch::build_address_space(partition, info.map_windows())) {
      partition.may_start = false;
    }
  }
  endpoint_count = static_cast<uint32_t>(info.endpoints().size());
  for (uint32_t e = 0; e < endpoint_count; ++e) {
    endpoint_object(e).server = &partition_pool[info.endpoints()[e].server_partition];
  }
  unsigned ready = 0;
  for (uint32_t t = 0; t < info.threads().size(); ++t) {
    const abi::Thread_entry& entry = info.threads()[t];
    Partition& partition = partition_pool[entry.partition];
    Thread& thread = thread_object(t);
    thread.create(entry, info.name(entry.name), partition, t - info.partitions()[entry.partition].first_thread);
    if (!partition.may_start) continue;
    if (!arch::cpu_is_online(thread.cpu())) {
      log("partition {}: thread {} is pinned to CPU {}, which is not online; it will not run\n", partition.name(),
          thread.name(), thread.cpu());
      continue;
    }
    cpu_scheduler(thread.cpu()).add(thread);
    ++partition.live_threads;
    if (thread.is_vcpu() && entry.entry == 0) continue;  // a secondary vCPU: off until PSCI CPU_ON
    thread.state = Thread::State::ready;
    cpu_scheduler(thread.cpu()).requeue(thread);
    ++ready;
  }
  return ready;
}

// A partition that maps the kernel console's UART is its console driver:
// the kernel's lines wait while it may be mid-line (log.hpp).
void hold_log_for_console_owner(const Boot_info& info) {
  const uint64_t uart = info.platform().uart;
  for (uint32_t p = 0; p < info.partitions().size(); ++p) {
    const Partition& partition = partition_pool[p];
    if (!partition.may_start) continue;
    for (const abi::Region_entry& region : partition.regions()) {
      if (uart >= region.pa && uart - region.pa < region.size) {
        log("boot: partition {} owns the console UART; kernel lines wait while it prints\n", partition.name());
        log_defer_for(&partition);
        return;
      }
    }
  }
}

}  // namespace

extern "C" [[noreturn]] void kernel_main() {
  log("Kestrel {} microkernel ({})\n", kestrel_version, kestrel_board_name);
  const unsigned el = arch::current_exception_level();
  log("boot: running at EL{} on CPU {}\n", el, arch::current_cpu());
  if (el != 2) {
    panic("Kestrel must be entered at EL2 (hypervisor mode), not EL{}", el);
  }
  const auto psci = arch::psci_version();
  const unsigned present = arch::present_cpus();
  log("smp: PSCI {}.{}, {} {} present\n", psci.major, psci.minor, present, present == 1 ? "CPU" : "CPUs");
  log("boot: SHA-256 {}\n", arch::select_sha256_blocks() ? "with the Armv8 SHA-2 instructions"
                                                         : "in portable code (the CPU has no SHA-2 instructions)");

  size_t size = 0;
  if (const uint8_t* blob = find_boot_info(size)) {
    const Boot_info_result read = read_boot_info(blob, size);
    if (!read.ok()) {
      log("boot: boot-info rejected: {} (section {}, entry {})\n", to_string(read.problem().error),
          to_string(read.problem().section), read.problem().index);
    } else if (boot_info_signature_accepted(blob, size)) {
      const Boot_info& info = read.info();
      log("boot-info: system \"{}\", {} partitions\n", info.system_name(), info.partitions().size());
      // From here on the kernel's own memory is W^X and table walks are
      // cacheable, like the stage-2 tables about to be written. The kernel
      // lock needs it too (exclusive access works on Normal memory only).
      keep_boot_info_for_restarts(blob, size);
      keep_memory_map_tables(info);
      uint8_t* const area = kernel_objects_area(info, blob, size);
      if (area != nullptr && enable_mmu(info, area) && carve_objects(info, area)) {
        const unsigned cpus = start_cpus();
        const unsigned verified = verify_partitions(info);
        log("boot: {} of {} partitions verified\n", verified, info.partitions().size());
        give_guests_their_seeds(info);
        const unsigned ready = create_objects(info);
        if (ready != 0 && arch::prepare_cpu(true)) {
          create_irqs(info);
          hold_log_for_console_owner(info);
          log("boot: starting {} {} on {} {}\n", ready, ready == 1 ? "thread" : "threads", cpus,
              cpus == 1 ? "CPU" : "CPUs");
          // The last line before the first thread; what follows it (this
          // line's own output, run_threads) is a fixed few thousand
          // instructions, traced in docs/benchmarks.md.
          log("boot: first thread at {} ns of machine time, {} ns of it hashing {} bytes"
              " (instructions under -icount shift=0)\n",
              nanoseconds(arch::counter_now()), nanoseconds(boot_hashing.ticks), boot_hashing.bytes);
          kernel_lock().acquire();
          set_cpus_running_threads(cpus);
          set_power_off_when_no_thread_left(info.power_off_when_no_thread_left());
          arch::release_secondary_cpus();
          run_threads();
        }
      }
      log("boot: no thread can run\n");
    }
  }
  log("boot: powering off\n");
  power_off_with_log();
}
