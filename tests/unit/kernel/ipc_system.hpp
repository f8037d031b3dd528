// SPDX-License-Identifier: Apache-2.0
// IPC system: a small system of partitions, threads, endpoints and
// notifications built in the kernel's own pools the way boot builds it
// (kernel/src/main.cpp, create_objects), for host tests of the IPC core on
// the fake arch layer. Also the two ways into the kernel that the exception
// vectors take: the fast path first, or the general (slow) path alone.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <arch/fake_arch.hpp>
#include <kestrel/abi/boot_info.hpp>
#include <kestrel/abi/syscall.hpp>
#include <kestrel/boot_info.hpp>
#include <kestrel/endpoint.hpp>
#include <kestrel/notification.hpp>
#include <kestrel/partition.hpp>
#include <kestrel/policy/boot_info_writer.hpp>
#include <kestrel/thread.hpp>

namespace kestrel::test {

// Every partition's one region of RAM: readable and writable, at this
// address in the partition, backed by host memory so that the kernel's
// reads and writes of partition memory (IPC buffers, console text) work.
inline constexpr uint64_t region_ipa = 0x20'0000;
inline constexpr uint64_t region_size = 0x1'0000;

struct Thread_options {
  uint32_t priority = 10;
  uint32_t cpu = 0;
  bool passive = false;
  bool vcpu = false;
  uint32_t fault_endpoint = abi::no_index;  // a vCPU's VMM endpoint, a thread's fault handler
  uint64_t budget_ns = 0;
  uint64_t period_ns = 0;
};

class Ipc_system {
 public:
  // Description, before start(). Each returns the new object's number:
  // partitions, endpoints and notifications their boot-info index; threads
  // a number for thread(); capabilities their slot in the partition's table.
  uint32_t add_partition(const std::string& name, uint32_t flags = 0);
  // The kernel signals `notification` with 1 << bit when `partition` stops
  // (one more of its stop signals).
  void add_stop_signal(uint32_t partition, uint32_t notification, uint32_t bit);
  // A guest doorbell of VM `vm` at `ipa` (ascending, one per address):
  // signals `notification` with `badge`, or drops the write (no_index).
  void add_guest_doorbell(uint32_t vm, uint64_t ipa, uint32_t notification, uint64_t badge);
  uint32_t add_thread(uint32_t partition, const std::string& name, Thread_options options = {});
  uint32_t add_endpoint(uint32_t server_partition);
  uint32_t add_notification(uint32_t owner_partition);
  // `object`: for a vCPU capability, a number add_thread returned.
  uint32_t add_capability(uint32_t partition, abi::Capability_kind kind, uint32_t object, uint32_t rights,
                          uint64_t badge = 0);
  uint32_t add_irq(uint32_t intid, uint32_t notification, uint64_t badge, uint32_t partition);
  // A memory pool of `pages` pages of `owner`'s region from `first_page`,
  // and a map window of `pages` pages at `ipa` in `target` (outside its
  // region); each returns its index (a capability's object).
  uint32_t add_memory_pool(uint32_t owner, uint64_t first_page, uint64_t pages);
  uint32_t add_map_window(uint32_t target, uint64_t ipa, uint64_t pages, uint32_t max_rights);

  // Resets the kernel's pools, schedulers and the fake machine, then
  // creates every object as boot does: every thread ready on its CPU (a
  // vCPU other than its VM's first: off), no thread running yet.
  void start();

  Thread& thread(uint32_t number) const;
  Partition& partition(uint32_t index) { return partitions_[index]; }
  Endpoint& endpoint(uint32_t index) const { return endpoint_object(index); }
  Notification& notification(uint32_t index) const { return notification_object(index); }
  const Boot_info& info() const { return *info_; }
  // Every thread, in boot-info order.
  std::vector<Thread*> threads() const;
  uint32_t partition_count() const { return static_cast<uint32_t>(partition_entries_.size()); }
  uint32_t endpoint_count() const { return static_cast<uint32_t>(endpoints_.size()); }
  uint32_t notification_count() const { return static_cast<uint32_t>(notifications_.size()); }

  // The host address of `ipa` in `partition`'s region.
  uint8_t* memory(uint32_t partition, uint64_t ipa) const;

  // `thread` runs now on its CPU, as if its scheduler had picked it: the
  // CPU executes it, its translation is loaded; nothing is recorded.
  void run(Thread& thread);

  // The running `thread` makes system call `number` with x0, x1, ... =
  // `arguments` (x8 the number): through the fast path if it takes the
  // call (as the exception vectors try it first), else the general path.
  // Returns the thread its CPU runs next.
  Thread* syscall(Thread& thread, abi::Syscall number, std::initializer_list<uint64_t> arguments = {});
  // The same through the general path only (the fast path never tried).
  Thread* slow_syscall(Thread& thread, abi::Syscall number, std::initializer_list<uint64_t> arguments = {});
  // Only the arguments: x8 and x0.. set in the thread's saved registers.
  static void set_arguments(Thread& thread, abi::Syscall number, std::initializer_list<uint64_t> arguments);

  // The status the thread finds in x0.
  static abi::Status status(const Thread& thread) { return static_cast<abi::Status>(thread.context.x[0]); }

 private:
  struct Pending_thread {
    uint32_t partition;
    abi::Thread_entry entry;
  };
  struct Pending_capability {
    uint32_t partition;
    abi::Capability_entry entry;
  };

  uint32_t global_index(uint32_t number) const;

  policy::Boot_info_writer writer_;
  std::vector<abi::Partition_entry> partition_entries_;
  std::vector<std::vector<abi::Stop_signal_entry>> stop_signals_;        // per partition
  std::vector<std::vector<abi::Guest_doorbell_entry>> guest_doorbells_;  // per partition
  std::vector<Pending_thread> threads_;
  std::vector<Pending_capability> capabilities_;
  std::vector<abi::Endpoint_entry> endpoints_;
  std::vector<abi::Notification_entry> notifications_;
  std::vector<abi::Irq_entry> irqs_;
  std::vector<abi::Memory_pool_entry> pools_;
  std::vector<abi::Map_window_entry> windows_;
  std::vector<uint32_t> thread_index_;  // add_thread's number -> boot-info index
  std::vector<uint8_t> blob_;
  std::optional<Boot_info> info_;
  std::vector<uint8_t> kernel_memory_;  // the kernel objects area, carved by start()
  Partition* partitions_ = nullptr;     // the carved partition pool
};

}  // namespace kestrel::test
