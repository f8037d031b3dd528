// SPDX-License-Identifier: Apache-2.0
// IPC system: building the kernel's objects for host tests, as boot does.
#include "ipc_system.hpp"

#include <algorithm>
#include <stdexcept>

#include <kestrel/cpu.hpp>
#include <kestrel/fastpath.hpp>
#include <kestrel/irq.hpp>
#include <kestrel/kernel_lock.hpp>
#include <kestrel/kernel_objects.hpp>
#include <kestrel/memory_map.hpp>
#include <kestrel/scheduler.hpp>
#include <kestrel/user_exception.hpp>

// Designated initializers leave the fields a test does not care about zero.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace kestrel::test {
namespace {

// The partitions' RAM (one region each), zeroed by every start().
constexpr uint32_t max_test_partitions = 8;
alignas(4096) uint8_t ram[max_test_partitions][region_size];

uint64_t address_of(const void* pointer) { return reinterpret_cast<uint64_t>(pointer); }

}  // namespace

uint32_t Ipc_system::add_partition(const std::string& name, uint32_t flags) {
  if (partition_entries_.size() == max_test_partitions) throw std::length_error("too many test partitions");
  partition_entries_.push_back(abi::Partition_entry{.name = writer_.intern(name), .flags = flags});
  stop_signals_.emplace_back();
  guest_doorbells_.emplace_back();
  return static_cast<uint32_t>(partition_entries_.size() - 1);
}

void Ipc_system::add_guest_doorbell(uint32_t vm, uint64_t ipa, uint32_t notification, uint64_t badge) {
  guest_doorbells_.at(vm).push_back(abi::Guest_doorbell_entry{ipa, badge, notification, 0});
}

void Ipc_system::add_stop_signal(uint32_t partition, uint32_t notification, uint32_t bit) {
  stop_signals_.at(partition).push_back(abi::Stop_signal_entry{notification, bit});
}

uint32_t Ipc_system::add_thread(uint32_t partition, const std::string& name, Thread_options options) {
  const uint32_t flags =
      (options.passive ? uint32_t{abi::thread_passive} : 0U) | (options.vcpu ? uint32_t{abi::thread_vcpu} : 0U);
  threads_.push_back({partition, abi::Thread_entry{.name = writer_.intern(name),
                                                   .partition = partition,
                                                   .entry = region_ipa,
                                                   .stack_top = region_ipa + region_size,
                                                   .budget_ns = options.budget_ns,
                                                   .period_ns = options.period_ns,
                                                   .priority = options.priority,
                                                   .cpu = options.cpu,
                                                   .flags = flags,
                                                   .fault_endpoint = options.fault_endpoint}});
  return static_cast<uint32_t>(threads_.size() - 1);
}

uint32_t Ipc_system::add_endpoint(uint32_t server_partition) {
  endpoints_.push_back({.name = writer_.intern("endpoint"), .server_partition = server_partition});
  return static_cast<uint32_t>(endpoints_.size() - 1);
}

uint32_t Ipc_system::add_notification(uint32_t owner_partition) {
  notifications_.push_back({.name = writer_.intern("notification"), .owner_partition = owner_partition});
  return static_cast<uint32_t>(notifications_.size() - 1);
}

uint32_t Ipc_system::add_capability(uint32_t partition, abi::Capability_kind kind, uint32_t object, uint32_t rights,
                                    uint64_t badge) {
  uint32_t slot = 0;
  for (const Pending_capability& capability : capabilities_) slot += capability.partition == partition ? 1 : 0;
  capabilities_.push_back(
      {partition,
       abi::Capability_entry{.kind = static_cast<uint32_t>(kind), .object = object, .rights = rights, .badge = badge}});
  return slot;
}

uint32_t Ipc_system::add_irq(uint32_t intid, uint32_t notification, uint64_t badge, uint32_t partition) {
  irqs_.push_back({.intid = intid, .notification = notification, .badge = badge, .partition = partition});
  return static_cast<uint32_t>(irqs_.size() - 1);
}

uint32_t Ipc_system::add_memory_pool(uint32_t owner, uint64_t first_page, uint64_t pages) {
  pools_.push_back({.partition = owner, .pa = address_of(ram[owner]) + first_page * 4096, .pages = pages});
  return static_cast<uint32_t>(pools_.size() - 1);
}

uint32_t Ipc_system::add_map_window(uint32_t target, uint64_t ipa, uint64_t pages, uint32_t max_rights) {
  uint32_t first_word = 0;
  for (const abi::Map_window_entry& window : windows_) first_word += abi::map_bitmap_words(window);
  windows_.push_back({.partition = target,
                      .max_rights = max_rights,
                      .ipa = ipa,
                      .pages = static_cast<uint32_t>(pages),
                      .first_bitmap_word = first_word});
  return static_cast<uint32_t>(windows_.size() - 1);
}

void Ipc_system::start() {
  uint32_t cpu_count = 1;
  for (const Pending_thread& thread : threads_) cpu_count = std::max(cpu_count, thread.entry.cpu + 1);
  writer_.set_system_name("ipc-test");
  writer_.platform() = abi::Platform_entry{
      .cpu_count = cpu_count, .vmid_bits = 8, .hypervisor_timer_intid = 26, .virtual_timer_intid = 27};
  writer_.add(abi::Memory_range{.base = address_of(ram), .size = sizeof ram});
  // Boot-info keeps each partition's threads and capabilities together.
  thread_index_.assign(threads_.size(), 0);
  uint32_t next_thread = 0;
  uint32_t next_capability = 0;
  for (uint32_t p = 0; p < partition_entries_.size(); ++p) {
    abi::Partition_entry entry = partition_entries_[p];
    entry.vmid = p + 1;
    entry.first_region = p;
    entry.region_count = 1;
    entry.first_thread = next_thread;
    entry.first_capability = next_capability;
    for (uint32_t n = 0; n < threads_.size(); ++n) {
      if (threads_[n].partition != p) continue;
      thread_index_[n] = next_thread++;
    }
    for (const Pending_capability& capability : capabilities_) next_capability += capability.partition == p ? 1 : 0;
    entry.thread_count = next_thread - entry.first_thread;
    entry.capability_count = next_capability - entry.first_capability;
    entry.first_stop_signal = static_cast<uint32_t>(writer_.stop_signals().size());
    entry.stop_signal_count = static_cast<uint32_t>(stop_signals_[p].size());
    for (const abi::Stop_signal_entry& signal : stop_signals_[p]) writer_.add(signal);
    entry.first_guest_doorbell = static_cast<uint32_t>(writer_.guest_doorbells().size());
    entry.guest_doorbell_count = static_cast<uint32_t>(guest_doorbells_[p].size());
    for (const abi::Guest_doorbell_entry& doorbell : guest_doorbells_[p]) writer_.add(doorbell);
    writer_.add(entry);
    writer_.add(abi::Region_entry{.ipa = region_ipa,
                                  .pa = address_of(ram[p]),
                                  .size = region_size,
                                  .attributes = abi::region_read | abi::region_write,
                                  .name = writer_.intern("ram")});
  }
  for (uint32_t p = 0; p < partition_entries_.size(); ++p) {
    for (const Pending_thread& thread : threads_) {
      if (thread.partition == p) writer_.add(thread.entry);
    }
    for (const Pending_capability& capability : capabilities_) {
      if (capability.partition != p) continue;
      abi::Capability_entry entry = capability.entry;
      if (entry.kind == static_cast<uint32_t>(abi::Capability_kind::vcpu)) entry.object = thread_index_[entry.object];
      writer_.add(entry);
    }
  }
  for (const abi::Endpoint_entry& endpoint : endpoints_) writer_.add(endpoint);
  for (const abi::Notification_entry& notification : notifications_) writer_.add(notification);
  for (const abi::Irq_entry& irq : irqs_) writer_.add(irq);
  for (const abi::Memory_pool_entry& pool : pools_) writer_.add(pool);
  for (const abi::Map_window_entry& window : windows_) writer_.add(window);
  blob_ = writer_.finish();
  const Boot_info_result read = read_boot_info(blob_.data(), blob_.size());
  if (!read.ok()) {
    throw std::runtime_error(std::string("boot-info rejected: ") + to_string(read.problem().error) + " in " +
                             to_string(read.problem().section));
  }
  info_.emplace(read.info());

  // The kernel's state as boot makes it: every pool carved from a kernel
  // objects area (here a host buffer) exactly as kernel_main carves it.
  arch::fake::reset();
  for (Scheduler& scheduler : cpu_schedulers) scheduler = Scheduler{};
  const abi::Kernel_object_counts counts = kernel_object_counts(*info_);
  const abi::Kernel_objects_layout layout = abi::layout_kernel_objects(kernel_object_sizes, counts);
  kernel_memory_.assign(layout.size + abi::kernel_objects_alignment, 0xa5);  // not zero: carving zeroes it
  const uintptr_t start = reinterpret_cast<uintptr_t>(kernel_memory_.data());
  uint8_t* area = kernel_memory_.data() + ((abi::kernel_objects_alignment - start % abi::kernel_objects_alignment) %
                                           abi::kernel_objects_alignment);
  const Carve_status carved = carve_kernel_objects(area, layout.size, counts, info_->partitions());
  if (carved != Carve_status::ok) throw std::runtime_error(std::string("kernel objects: ") + to_string(carved));
  partitions_ = partition_pool;
  the_kernel_lock = Kernel_lock{};
  for (auto& memory : ram) std::fill(std::begin(memory), std::end(memory), uint8_t{0});

  // create_objects (main.cpp): no plan, so every ready thread may run.
  for (uint32_t cpu = 0; cpu < cpu_count; ++cpu) {
    arch::fake::machine.cpus[cpu].online = true;
    cpu_scheduler(cpu).configure(abi::Cpu_plan_entry{}, {}, arch::fake::machine.frequency, arch::fake::machine.counter);
  }
  for (uint32_t p = 0; p < kestrel::partition_count; ++p) {
    partitions_[p].create(*info_, p);
    partitions_[p].may_start = true;
    (void)arch::build_address_space(partitions_[p], info_->map_windows());
  }
  keep_memory_map_tables(*info_);
  kestrel::endpoint_count = static_cast<uint32_t>(endpoints_.size());
  for (uint32_t e = 0; e < endpoints_.size(); ++e)
    endpoint_object(e).server = &partitions_[endpoints_[e].server_partition];
  for (uint32_t t = 0; t < info_->threads().size(); ++t) {
    const abi::Thread_entry& entry = info_->threads()[t];
    Thread& thread = thread_object(t);
    thread.create(entry, info_->name(entry.name), partitions_[entry.partition],
                  t - info_->partitions()[entry.partition].first_thread);
    cpu_scheduler(entry.cpu).add(thread);
    ++partitions_[entry.partition].live_threads;
    thread.state = Thread::State::ready;
    cpu_scheduler(entry.cpu).requeue(thread);  // as create_objects: into its ready queue
  }
  create_irqs(*info_);
}

uint32_t Ipc_system::global_index(uint32_t number) const {
  if (number >= thread_index_.size()) throw std::out_of_range("no such test thread (or start() not called)");
  return thread_index_[number];
}

Thread& Ipc_system::thread(uint32_t number) const { return thread_object(global_index(number)); }

std::vector<Thread*> Ipc_system::threads() const {
  std::vector<Thread*> all;
  for (uint32_t t = 0; t < threads_.size(); ++t) all.push_back(&thread_object(t));
  return all;
}

uint8_t* Ipc_system::memory(uint32_t partition, uint64_t ipa) const {
  if (partition >= max_test_partitions || ipa < region_ipa || ipa - region_ipa >= region_size) {
    throw std::out_of_range("outside the partition's region");
  }
  return &ram[partition][ipa - region_ipa];
}

void Ipc_system::run(Thread& thread) {
  arch::fake::executing_cpu = thread.cpu();
  Scheduler& scheduler = cpu_scheduler(thread.cpu());
  // As the run loop switches: the thread leaves its ready queue, the one
  // that ran before goes back to its own.
  scheduler.switch_current(&thread);
  arch::fake::Cpu& cpu = arch::fake::machine.cpus[thread.cpu()];
  cpu.loaded = &thread;
  cpu.translation_root = thread.partition().translation_root;
  cpu.fp_trapping = !thread.fp_in_registers;
  cpu.kernel_timer = scheduler.next_event();
}

void Ipc_system::set_arguments(Thread& thread, abi::Syscall number, std::initializer_list<uint64_t> arguments) {
  if (arguments.size() > 8) throw std::invalid_argument("at most x0-x7");
  uint32_t r = 0;
  for (const uint64_t argument : arguments) thread.context.x[r++] = argument;
  thread.context.x[8] = static_cast<uint64_t>(number);
}

namespace {

// What the exception vectors check before they hand the frame on.
void check_running(const Thread& thread) {
  arch::fake::executing_cpu = thread.cpu();
  if (cpu_scheduler(thread.cpu()).current() != &thread) throw std::logic_error("the thread is not running");
}

}  // namespace

Thread* Ipc_system::syscall(Thread& thread, abi::Syscall number, std::initializer_list<uint64_t> arguments) {
  set_arguments(thread, number, arguments);
  check_running(thread);
  // The fast paths exception.cpp tries (try_fastpath) before the general path.
  Thread* next = nullptr;
  if (number == abi::Syscall::call) next = fastpath_call(thread);
  if (number == abi::Syscall::reply_recv) next = fastpath_reply_recv(thread);
  if (number == abi::Syscall::signal) next = fastpath_signal(thread);
  if (next != nullptr) return next;
  handle_user_exception(thread.context, User_exception{User_exception::Kind::syscall, "", 0, false});
  return cpu_scheduler(thread.cpu()).current();
}

Thread* Ipc_system::slow_syscall(Thread& thread, abi::Syscall number, std::initializer_list<uint64_t> arguments) {
  set_arguments(thread, number, arguments);
  check_running(thread);
  handle_user_exception(thread.context, User_exception{User_exception::Kind::syscall, "", 0, false});
  return cpu_scheduler(thread.cpu()).current();
}

}  // namespace kestrel::test
