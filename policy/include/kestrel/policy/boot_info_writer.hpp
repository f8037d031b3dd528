// SPDX-License-Identifier: Apache-2.0
// Boot-info writer: lays out the flat binary the kernel reads at boot.
//
// The policy compiler's emitter adds entries section by section (each add
// returns the new entry's index, so entries can refer to each other and
// ranges can be patched later), interns names, then calls finish(). The
// writer checks nothing about the system's meaning: that is the validators'
// job, and the kernel re-checks the result. It only guarantees the layout:
// header, then every section in Section order at an 8-byte-aligned offset,
// the string table last, total_size and checksum filled in, reserved fields
// and padding zero. The same calls always give the same bytes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <kestrel/abi/boot_info.hpp>

namespace kestrel::policy {

class Boot_info_writer {
 public:
  Boot_info_writer();

  // The offset of `text` in the string table, adding it on first use. The
  // empty string is at offset 0. Throws std::invalid_argument if `text`
  // contains a NUL, which would cut the name short in the kernel.
  uint32_t intern(std::string_view text);

  void set_system_name(std::string_view name) { system_name_ = intern(name); }
  uint32_t system_name() const { return system_name_; }
  void set_system_flags(uint32_t flags) { system_flags_ = flags; }

  abi::Platform_entry& platform() { return platform_; }
  const abi::Platform_entry& platform() const { return platform_; }

  // Each returns the index of the new entry in its section.
  uint32_t add(const abi::Memory_range& ram_range) { return append(ram_ranges_, ram_range); }
  uint32_t add(const abi::Partition_entry& partition) { return append(partitions_, partition); }
  uint32_t add(const abi::Region_entry& region) { return append(regions_, region); }
  uint32_t add(const abi::Thread_entry& thread) { return append(threads_, thread); }
  uint32_t add(const abi::Endpoint_entry& endpoint) { return append(endpoints_, endpoint); }
  uint32_t add(const abi::Notification_entry& notification) { return append(notifications_, notification); }
  uint32_t add(const abi::Irq_entry& irq) { return append(irqs_, irq); }
  uint32_t add(const abi::Capability_entry& capability) { return append(capabilities_, capability); }
  uint32_t add(const abi::Window_entry& window) { return append(windows_, window); }
  uint32_t add(const abi::Cpu_plan_entry& cpu_plan) { return append(cpu_plans_, cpu_plan); }
  uint32_t add(const abi::Measurement_entry& measurement) { return append(measurements_, measurement); }
  uint32_t add(const abi::Digest_entry& digest) { return append(digests_, digest); }
  uint32_t add(const abi::Pristine_entry& pristine) { return append(pristine_, pristine); }
  uint32_t add(const abi::Guest_seed_entry& seed) { return append(guest_seeds_, seed); }
  uint32_t add(const abi::Kernel_memory_entry& area) { return append(kernel_memory_, area); }
  uint32_t add(const abi::Memory_pool_entry& pool) { return append(memory_pools_, pool); }
  uint32_t add(const abi::Map_window_entry& window) { return append(map_windows_, window); }
  uint32_t add(const abi::Stop_signal_entry& signal) { return append(stop_signals_, signal); }
  uint32_t add(const abi::Guest_doorbell_entry& doorbell) { return append(guest_doorbells_, doorbell); }

  // The entries added so far.
  std::span<const abi::Memory_range> ram_ranges() const { return ram_ranges_; }
  std::span<const abi::Partition_entry> partitions() const { return partitions_; }
  std::span<const abi::Region_entry> regions() const { return regions_; }
  std::span<const abi::Thread_entry> threads() const { return threads_; }
  std::span<const abi::Endpoint_entry> endpoints() const { return endpoints_; }
  std::span<const abi::Notification_entry> notifications() const { return notifications_; }
  std::span<const abi::Irq_entry> irqs() const { return irqs_; }
  std::span<const abi::Capability_entry> capabilities() const { return capabilities_; }
  std::span<const abi::Window_entry> windows() const { return windows_; }
  std::span<const abi::Cpu_plan_entry> cpu_plans() const { return cpu_plans_; }
  std::span<const abi::Measurement_entry> measurements() const { return measurements_; }
  std::span<const abi::Digest_entry> digests() const { return digests_; }
  std::span<const abi::Pristine_entry> pristine() const { return pristine_; }
  std::span<const abi::Guest_seed_entry> guest_seeds() const { return guest_seeds_; }
  std::span<const abi::Kernel_memory_entry> kernel_memory() const { return kernel_memory_; }
  std::span<const abi::Memory_pool_entry> memory_pools() const { return memory_pools_; }
  std::span<const abi::Map_window_entry> map_windows() const { return map_windows_; }
  std::span<const abi::Stop_signal_entry> stop_signals() const { return stop_signals_; }
  std::span<const abi::Guest_doorbell_entry> guest_doorbells() const { return guest_doorbells_; }

  // One entry, to patch in place (for example a partition's ranges once its
  // regions are placed). An index past the end is a bug in the caller:
  // std::out_of_range.
  abi::Memory_range& ram_range(uint32_t index) { return ram_ranges_.at(index); }
  abi::Partition_entry& partition(uint32_t index) { return partitions_.at(index); }
  abi::Region_entry& region(uint32_t index) { return regions_.at(index); }
  abi::Thread_entry& thread(uint32_t index) { return threads_.at(index); }
  abi::Endpoint_entry& endpoint(uint32_t index) { return endpoints_.at(index); }
  abi::Notification_entry& notification(uint32_t index) { return notifications_.at(index); }
  abi::Irq_entry& irq(uint32_t index) { return irqs_.at(index); }
  abi::Capability_entry& capability(uint32_t index) { return capabilities_.at(index); }
  abi::Window_entry& window(uint32_t index) { return windows_.at(index); }
  abi::Cpu_plan_entry& cpu_plan(uint32_t index) { return cpu_plans_.at(index); }
  abi::Kernel_memory_entry& kernel_memory(uint32_t index) { return kernel_memory_.at(index); }
  abi::Memory_pool_entry& memory_pool(uint32_t index) { return memory_pools_.at(index); }
  abi::Map_window_entry& map_window(uint32_t index) { return map_windows_.at(index); }

  // The string table so far: every interned string followed by a NUL.
  const std::string& strings() const { return strings_; }

  // The finished blob. Throws std::length_error if it would not fit the
  // format's 32-bit offsets (the policy compiler's limit checks keep real
  // systems far below that).
  std::vector<uint8_t> finish() const;

 private:
  template <typename Entry>
  static uint32_t append(std::vector<Entry>& entries, const Entry& entry) {
    entries.push_back(entry);
    return static_cast<uint32_t>(entries.size() - 1);
  }

  abi::Platform_entry platform_{};
  uint32_t system_name_ = 0;
  uint32_t system_flags_ = 0;
  std::vector<abi::Memory_range> ram_ranges_;
  std::vector<abi::Partition_entry> partitions_;
  std::vector<abi::Region_entry> regions_;
  std::vector<abi::Thread_entry> threads_;
  std::vector<abi::Endpoint_entry> endpoints_;
  std::vector<abi::Notification_entry> notifications_;
  std::vector<abi::Irq_entry> irqs_;
  std::vector<abi::Capability_entry> capabilities_;
  std::vector<abi::Window_entry> windows_;
  std::vector<abi::Cpu_plan_entry> cpu_plans_;
  std::vector<abi::Measurement_entry> measurements_;
  std::vector<abi::Digest_entry> digests_;
  std::vector<abi::Pristine_entry> pristine_;
  std::vector<abi::Guest_seed_entry> guest_seeds_;
  std::vector<abi::Kernel_memory_entry> kernel_memory_;
  std::vector<abi::Memory_pool_entry> memory_pools_;
  std::vector<abi::Map_window_entry> map_windows_;
  std::vector<abi::Stop_signal_entry> stop_signals_;
  std::vector<abi::Guest_doorbell_entry> guest_doorbells_;
  std::string strings_;
  std::unordered_map<std::string, uint32_t> string_offsets_;
};

}  // namespace kestrel::policy
