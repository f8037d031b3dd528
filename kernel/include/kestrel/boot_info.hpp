// SPDX-License-Identifier: Apache-2.0
// Boot-info reader: checks the host's boot-info blob before the kernel uses it.
//
// The kernel never trusts the host, so read_boot_info checks everything it
// can about the blob (sizes, checksum, every section's bounds, every index
// and name offset, the limits of abi/limits.hpp and the rules of the ABI
// comments) before it returns a view. Code holding a Boot_info can then index
// sections with the indices found in them without further checks. On a
// problem it says which check failed, in which section and at which entry,
// so the kernel can log one precise line. Portable: built for the host and
// unit-tested there.
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/abi/boot_info.hpp>
#include <kestrel/span.hpp>

namespace kestrel {

enum class Boot_info_error : uint8_t {
  // The blob as a whole.
  truncated,        // shorter than the header
  too_large,        // longer than boot_info_max_size
  misaligned_data,  // not 8-byte aligned in memory
  bad_magic,
  bad_version,
  bad_header_size,
  size_mismatch,  // total_size is not the size given
  bad_checksum,
  // The section table.
  wrong_entry_size,
  section_misaligned,
  section_out_of_bounds,
  section_overlaps_header,
  sections_overlap,
  too_many_entries,  // beyond abi/limits.hpp
  // The platform.
  bad_cpu_count,
  bad_vmid_bits,
  bad_timer_intid,
  // Strings and names.
  strings_empty,
  strings_unterminated,
  name_out_of_bounds,
  name_too_long,
  // Entries of any section.
  unknown_flags,
  partition_index_invalid,
  cpu_out_of_range,
  // Memory ranges and regions.
  address_misaligned,
  size_zero,
  address_overflow,
  region_ipa_overlap,  // two regions of one partition
  // Partitions.
  region_range_invalid,
  thread_range_invalid,
  capability_range_invalid,
  too_many_regions,
  too_many_threads,
  too_many_capabilities,
  vmid_zero,
  vmid_too_large,
  vmid_duplicate,
  // Threads.
  thread_partition_mismatch,
  priority_too_high,
  fault_endpoint_invalid,
  budget_exceeds_period,
  // IRQs.
  intid_out_of_range,
  intid_duplicate,
  notification_index_invalid,
  // Capabilities.
  capability_kind_invalid,
  capability_object_invalid,
  capability_object_not_vcpu,
  unknown_rights,
  // CPU plans and their windows.
  cpu_plan_duplicate,
  no_windows,
  too_many_windows,
  window_range_invalid,
  major_frame_overflow,
  major_frame_mismatch,
  measurement_outside_regions,
  measurements_unsorted,
  digest_count_invalid,
  writable_and_executable,  // a native partition's region, unasked (abi::region_write_execute)
  // Restartable VMs and their pristine copies (boot-info version 4).
  restartable_not_vm,
  restartable_without_pristine,
  pristine_not_restartable,
  pristine_unsorted,
  pristine_misaligned,
  pristine_outside_measurements,
  pristine_outside_ram,
  pristine_overlaps_partition,
  // Seed placeholders in VMs' device trees (boot-info version 5).
  seed_not_vm,
  seed_size_invalid,
  seed_misaligned,
  seed_outside_measurements,
  seeds_unsorted,
  // The kernel objects area (boot-info version 6).
  table_pages_mismatch,
  kernel_memory_outside_ram,
  kernel_memory_overlaps_partition,
  // Version 7: the kernel's own table pages and the stage-2 IPA size.
  kernel_memory_malformed,
  // Version 8: memory pools and map windows (memory_map).
  pool_outside_owner,      // not inside one of its owner's own read-write, cacheable, unshared regions
  window_rights_invalid,   // max_rights neither read nor read-write
  window_too_large,        // more than max_map_window_pages
  window_overlaps_memory,  // overlaps its partition's regions or another of its windows, or beyond its IPA size
  capability_not_owner,    // a memory_pool capability held by another partition than the pool's owner
  // Version 9: a partition's stop signal; version 10: a list of them.
  stop_signal_invalid,      // its notification out of range, or its bit above 63; or its range outside the section
  window_bitmap_misplaced,  // Map_window_entry::first_bitmap_word is not the sum of the words before
  // Version 11: guest doorbells.
  guest_doorbell_invalid,  // outside the section, too many, unsorted or repeated, or a bad notification
};

// A short English description, for the kernel log.
[[nodiscard]] const char* to_string(Boot_info_error error);

// The section's name, or "header" for abi::Section::count.
[[nodiscard]] const char* to_string(abi::Section section);

// What was wrong, and where: the section (abi::Section::count for the header
// and the platform entry) and the entry's index in it (abi::no_index when
// the problem is the section or the blob as a whole).
struct Boot_info_problem {
  Boot_info_error error;
  abi::Section section;
  uint32_t index;
};

class Boot_info_result;

// A checked boot-info blob. It points into the blob, which must stay in place.
class Boot_info {
 public:
  const abi::Boot_info_header& header() const { return *reinterpret_cast<const abi::Boot_info_header*>(data_); }
  const abi::Platform_entry& platform() const { return header().platform; }
  const char* system_name() const { return name(header().system_name); }
  bool power_off_when_no_thread_left() const {
    return (header().system_flags & abi::system_power_off_when_no_thread_left) != 0;
  }

  Span<const abi::Memory_range> ram_ranges() const { return section<abi::Memory_range>(abi::Section::ram_ranges); }
  Span<const abi::Partition_entry> partitions() const {
    return section<abi::Partition_entry>(abi::Section::partitions);
  }
  Span<const abi::Region_entry> regions() const { return section<abi::Region_entry>(abi::Section::regions); }
  Span<const abi::Thread_entry> threads() const { return section<abi::Thread_entry>(abi::Section::threads); }
  Span<const abi::Endpoint_entry> endpoints() const { return section<abi::Endpoint_entry>(abi::Section::endpoints); }
  Span<const abi::Notification_entry> notifications() const {
    return section<abi::Notification_entry>(abi::Section::notifications);
  }
  Span<const abi::Irq_entry> irqs() const { return section<abi::Irq_entry>(abi::Section::irqs); }
  Span<const abi::Capability_entry> capabilities() const {
    return section<abi::Capability_entry>(abi::Section::capabilities);
  }
  Span<const abi::Window_entry> windows() const { return section<abi::Window_entry>(abi::Section::windows); }
  Span<const abi::Cpu_plan_entry> cpu_plans() const { return section<abi::Cpu_plan_entry>(abi::Section::cpu_plans); }
  Span<const abi::Measurement_entry> measurements() const {
    return section<abi::Measurement_entry>(abi::Section::measurements);
  }
  Span<const abi::Digest_entry> digests() const { return section<abi::Digest_entry>(abi::Section::digests); }
  Span<const abi::Pristine_entry> pristine() const { return section<abi::Pristine_entry>(abi::Section::pristine); }
  Span<const abi::Guest_seed_entry> guest_seeds() const {
    return section<abi::Guest_seed_entry>(abi::Section::guest_seeds);
  }
  // The kernel objects area: none, or one (an image).
  Span<const abi::Kernel_memory_entry> kernel_memory() const {
    return section<abi::Kernel_memory_entry>(abi::Section::kernel_memory);
  }
  Span<const abi::Memory_pool_entry> memory_pools() const {
    return section<abi::Memory_pool_entry>(abi::Section::memory_pools);
  }
  Span<const abi::Map_window_entry> map_windows() const {
    return section<abi::Map_window_entry>(abi::Section::map_windows);
  }
  Span<const abi::Stop_signal_entry> stop_signals() const {
    return section<abi::Stop_signal_entry>(abi::Section::stop_signals);
  }
  Span<const abi::Guest_doorbell_entry> guest_doorbells() const {
    return section<abi::Guest_doorbell_entry>(abi::Section::guest_doorbells);
  }
  Span<const char> strings() const { return section<char>(abi::Section::strings); }

  // A partition's own entries, and a CPU plan's windows.
  Span<const abi::Region_entry> regions_of(const abi::Partition_entry& partition) const {
    return regions().subspan(partition.first_region, partition.region_count);
  }
  Span<const abi::Thread_entry> threads_of(const abi::Partition_entry& partition) const {
    return threads().subspan(partition.first_thread, partition.thread_count);
  }
  Span<const abi::Stop_signal_entry> stop_signals_of(const abi::Partition_entry& partition) const {
    return stop_signals().subspan(partition.first_stop_signal, partition.stop_signal_count);
  }
  Span<const abi::Guest_doorbell_entry> guest_doorbells_of(const abi::Partition_entry& partition) const {
    return guest_doorbells().subspan(partition.first_guest_doorbell, partition.guest_doorbell_count);
  }
  Span<const abi::Capability_entry> capabilities_of(const abi::Partition_entry& partition) const {
    return capabilities().subspan(partition.first_capability, partition.capability_count);
  }
  Span<const abi::Window_entry> windows_of(const abi::Cpu_plan_entry& plan) const {
    return windows().subspan(plan.first_window, plan.window_count);
  }

  // The NUL-terminated name at `offset` in the string table. Every offset in
  // a checked blob is valid; any other offset gives "".
  const char* name(uint32_t offset) const;

 private:
  friend Boot_info_result read_boot_info(const uint8_t* data, size_t size);
  friend class Boot_info_result;

  Boot_info() = default;
  explicit Boot_info(const uint8_t* data) : data_{data} {}

  template <typename Entry>
  Span<const Entry> section(abi::Section which) const {
    const abi::Section_header& table_entry = header().sections[static_cast<uint32_t>(which)];
    return {reinterpret_cast<const Entry*>(data_ + table_entry.offset), table_entry.count};
  }

  const uint8_t* data_ = nullptr;
};

// Either a checked Boot_info or the first problem found.
class [[nodiscard]] Boot_info_result {
 public:
  Boot_info_result(Boot_info info) : info_{info}, ok_{true} {}
  Boot_info_result(Boot_info_problem problem) : problem_{problem}, ok_{false} {}

  bool ok() const { return ok_; }
  // Only when ok().
  const Boot_info& info() const { return info_; }
  // Only when !ok().
  const Boot_info_problem& problem() const { return problem_; }

 private:
  Boot_info info_;
  Boot_info_problem problem_{};
  bool ok_;
};

// Checks the `size` bytes at `data` (which must stay in place while the
// result's view is used) and returns a view of them or the first problem.
[[nodiscard]] Boot_info_result read_boot_info(const uint8_t* data, size_t size);

}  // namespace kestrel
