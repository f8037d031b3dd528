// SPDX-License-Identifier: Apache-2.0
// Boot-info reader: one small checking function per part of the blob.
//
// Checks run in dependency order: the blob and its section table first (so
// every later access is inside the blob), then sections whose entries later
// sections refer to. Each check returns the first problem it finds.
#include <kestrel/abi/kernel_memory.hpp>
#include <kestrel/abi/limits.hpp>
#include <kestrel/boot_info.hpp>
#include <kestrel/crc32.hpp>

namespace kestrel {

using namespace abi;

namespace {

constexpr uint64_t page_size = 4096;
constexpr uint32_t min_ppi_intid = 16;
constexpr uint32_t min_spi_intid = 32;
constexpr uint32_t max_spi_intid = 1019;
constexpr uint32_t max_priority = 255;

constexpr uint32_t known_partition_flags = partition_is_vm | partition_restartable;
constexpr uint32_t known_region_attributes = region_read | region_write | region_execute | region_device |
                                             region_non_cacheable | region_shared_channel | region_write_execute |
                                             region_guest_ram;
constexpr uint32_t known_thread_flags = thread_passive | thread_vcpu;
constexpr uint32_t known_rights = right_send | right_receive | right_grant | right_control;
constexpr uint32_t known_cpu_plan_flags = cpu_exclusive;

struct Section_rules {
  uint32_t entry_size;
  uint32_t max_count;
};

// Sections whose limit is per owner, times the most owners.
constexpr uint32_t max_regions = max_partitions * max_regions_per_partition;
constexpr uint32_t max_capabilities = max_partitions * max_capabilities_per_partition;
constexpr uint32_t max_windows = max_cpus * max_windows_per_cpu;

// Indexed by Section.
constexpr Section_rules section_rules[section_count] = {
    {sizeof(Memory_range), max_ram_ranges},
    {sizeof(Partition_entry), max_partitions},
    {sizeof(Region_entry), max_regions},
    {sizeof(Thread_entry), max_threads},
    {sizeof(Endpoint_entry), max_endpoints},
    {sizeof(Notification_entry), max_notifications},
    {sizeof(Irq_entry), max_irqs},
    {sizeof(Capability_entry), max_capabilities},
    {sizeof(Window_entry), max_windows},
    {sizeof(Cpu_plan_entry), max_cpus},
    {sizeof(Measurement_entry), max_partitions* max_measurements_per_partition},
    {sizeof(Digest_entry), max_partitions},
    {sizeof(Pristine_entry), max_partitions* max_measurements_per_partition},
    {sizeof(Guest_seed_entry), max_partitions* max_guest_seeds_per_partition},
    {sizeof(Kernel_memory_entry), 1},
    {sizeof(Memory_pool_entry), max_partitions},
    {sizeof(Map_window_entry), max_partitions},
    {sizeof(Stop_signal_entry), max_partitions* max_stop_signals_per_partition},
    {sizeof(Guest_doorbell_entry), max_partitions* max_guest_doorbells_per_partition},
    {1, max_string_bytes},
};

// A check's verdict: passed, or the first problem found.
struct Verdict {
  bool failed;
  Boot_info_problem problem;
};

constexpr Verdict passed{false, {}};

constexpr Verdict fail(Boot_info_error error, Section section, uint32_t index = no_index) {
  return {true, {error, section, index}};
}

// [first, first + count) lies inside [0, size); in 64 bits, so no overflow.
constexpr bool range_inside(uint32_t first, uint32_t count, size_t size) { return uint64_t{first} + count <= size; }

constexpr bool only_known_bits(uint32_t value, uint32_t known) { return (value & ~known) == 0; }

// Index of an entry whose key repeats an earlier entry's, or no_index. Keys
// must be below key_limit. Marks keys in a small bitmap, one window of key
// values at a time: no heap, little stack, and O(n * key_limit / 1024)
// rather than O(n^2) for up to 1024 partitions with 16-bit VMIDs.
template <typename Entry, typename Key_of>
uint32_t find_repeated_key(Span<const Entry> entries, uint32_t key_limit, Key_of key_of) {
  constexpr uint32_t window_bits = 1024;
  for (uint32_t window_base = 0; window_base < key_limit; window_base += window_bits) {
    uint64_t seen[window_bits / 64];
    for (uint64_t& word : seen) word = 0;
    for (uint32_t i = 0; i < entries.size(); ++i) {
      const uint32_t key = key_of(entries[i]);
      if (key < window_base || key - window_base >= window_bits) continue;
      const uint32_t bit = key - window_base;
      const uint64_t mask = uint64_t{1} << (bit % 64);
      if ((seen[bit / 64] & mask) != 0) return i;
      seen[bit / 64] |= mask;
    }
  }
  return no_index;
}

Verdict check_blob(const uint8_t* data, size_t size) {
  const Section whole = Section::count;
  if (size < sizeof(Boot_info_header)) return fail(Boot_info_error::truncated, whole);
  if (size > boot_info_max_size) return fail(Boot_info_error::too_large, whole);
  if (reinterpret_cast<uintptr_t>(data) % alignof(Boot_info_header) != 0) {
    return fail(Boot_info_error::misaligned_data, whole);
  }
  const auto& header = *reinterpret_cast<const Boot_info_header*>(data);
  if (header.magic != boot_info_magic) return fail(Boot_info_error::bad_magic, whole);
  if (header.version != boot_info_version) return fail(Boot_info_error::bad_version, whole);
  if (header.header_size != sizeof(Boot_info_header)) return fail(Boot_info_error::bad_header_size, whole);
  if (header.total_size != size) return fail(Boot_info_error::size_mismatch, whole);
  if (header.checksum != boot_info_checksum(data, size)) return fail(Boot_info_error::bad_checksum, whole);
  if ((header.system_flags & ~known_system_flags) != 0) return fail(Boot_info_error::unknown_flags, whole);
  return passed;
}

// Bytes [begin, end) of the blob that a section occupies.
struct Extent {
  uint64_t begin;
  uint64_t end;
};

Extent extent_of(const Section_header& section) {
  return {section.offset, section.offset + uint64_t{section.count} * section.entry_size};
}

Verdict check_section_table(const Boot_info_header& header) {
  for (uint32_t s = 0; s < section_count; ++s) {
    const Section section = static_cast<Section>(s);
    const Section_header& entry = header.sections[s];
    if (entry.entry_size != section_rules[s].entry_size) return fail(Boot_info_error::wrong_entry_size, section);
    if (entry.offset % 8 != 0) return fail(Boot_info_error::section_misaligned, section);
    const Extent extent = extent_of(entry);
    if (extent.end > header.total_size) return fail(Boot_info_error::section_out_of_bounds, section);
    if (entry.count > section_rules[s].max_count) return fail(Boot_info_error::too_many_entries, section);
    // An empty section occupies no bytes, so it cannot overlap anything.
    if (entry.count != 0 && extent.begin < header.header_size) {
      return fail(Boot_info_error::section_overlaps_header, section);
    }
    for (uint32_t earlier = 0; earlier < s && entry.count != 0; ++earlier) {
      const Extent other = extent_of(header.sections[earlier]);
      if (header.sections[earlier].count != 0 && extent.begin < other.end && other.begin < extent.end) {
        return fail(Boot_info_error::sections_overlap, section);
      }
    }
  }
  return passed;
}

Verdict check_platform(const Boot_info& info) {
  const Platform_entry& platform = info.platform();
  const Section where = Section::count;
  if (platform.cpu_count < 1 || platform.cpu_count > max_cpus) return fail(Boot_info_error::bad_cpu_count, where);
  if (platform.vmid_bits != 8 && platform.vmid_bits != 16) return fail(Boot_info_error::bad_vmid_bits, where);
  const auto is_ppi = [](uint32_t intid) { return intid >= min_ppi_intid && intid < min_spi_intid; };
  if (!is_ppi(platform.hypervisor_timer_intid) || !is_ppi(platform.virtual_timer_intid)) {
    return fail(Boot_info_error::bad_timer_intid, where);
  }
  return passed;
}

// A name offset must point into the string table (whose last byte is NUL,
// so the name ends inside it) and the name must fit the kernel's limit.
Verdict check_name(const Boot_info& info, uint32_t offset, Section section, uint32_t index) {
  const Span<const char> strings = info.strings();
  if (offset >= strings.size()) return fail(Boot_info_error::name_out_of_bounds, section, index);
  for (uint32_t length = 0; strings[offset + length] != '\0'; ++length) {
    if (length == max_name_length) return fail(Boot_info_error::name_too_long, section, index);
  }
  return passed;
}

Verdict check_strings(const Boot_info& info) {
  const Span<const char> strings = info.strings();
  if (strings.empty()) return fail(Boot_info_error::strings_empty, Section::strings);
  if (strings[strings.size() - 1] != '\0') return fail(Boot_info_error::strings_unterminated, Section::strings);
  return check_name(info, info.header().system_name, Section::count, no_index);
}

// A 4 KiB-aligned, non-empty [base, base + size) that does not wrap.
Verdict check_memory(uint64_t base, uint64_t size, Section section, uint32_t index) {
  if (base % page_size != 0 || size % page_size != 0) {
    return fail(Boot_info_error::address_misaligned, section, index);
  }
  if (size == 0) return fail(Boot_info_error::size_zero, section, index);
  if (size > UINT64_MAX - base) return fail(Boot_info_error::address_overflow, section, index);
  return passed;
}

Verdict check_ram_ranges(const Boot_info& info) {
  const auto ranges = info.ram_ranges();
  for (uint32_t i = 0; i < ranges.size(); ++i) {
    if (const Verdict v = check_memory(ranges[i].base, ranges[i].size, Section::ram_ranges, i); v.failed) return v;
  }
  return passed;
}

Verdict check_regions(const Boot_info& info) {
  const auto regions = info.regions();
  for (uint32_t i = 0; i < regions.size(); ++i) {
    const Region_entry& region = regions[i];
    if (const Verdict v = check_name(info, region.name, Section::regions, i); v.failed) return v;
    if (const Verdict v = check_memory(region.ipa, region.size, Section::regions, i); v.failed) return v;
    if (const Verdict v = check_memory(region.pa, region.size, Section::regions, i); v.failed) return v;
    if (!only_known_bits(region.attributes, known_region_attributes)) {
      return fail(Boot_info_error::unknown_flags, Section::regions, i);
    }
  }
  return passed;
}

// Native partitions are W^X: a region both writable and executable only
// where the policy asked for it (a VM's guest RAM is always both).
Verdict check_partition_w_xor_x(const Boot_info& info, const Partition_entry& partition) {
  if ((partition.flags & partition_is_vm) != 0) return passed;
  const auto own = info.regions_of(partition);
  for (uint32_t i = 0; i < own.size(); ++i) {
    const uint32_t attributes = own[i].attributes;
    const bool both = (attributes & region_write) != 0 && (attributes & region_execute) != 0;
    if (both && (attributes & region_write_execute) == 0) {
      return fail(Boot_info_error::writable_and_executable, Section::regions, partition.first_region + i);
    }
  }
  return passed;
}

// Regions must already be checked, so ipa + size does not wrap.
Verdict check_partition_ipas_disjoint(const Boot_info& info, const Partition_entry& partition) {
  const auto own = info.regions_of(partition);
  for (uint32_t later = 1; later < own.size(); ++later) {
    for (uint32_t earlier = 0; earlier < later; ++earlier) {
      if (own[later].ipa < own[earlier].ipa + own[earlier].size &&
          own[earlier].ipa < own[later].ipa + own[later].size) {
        return fail(Boot_info_error::region_ipa_overlap, Section::regions, partition.first_region + later);
      }
    }
  }
  return passed;
}

Verdict check_partition(const Boot_info& info, const Partition_entry& partition, uint32_t index) {
  const Section where = Section::partitions;
  using enum Boot_info_error;
  if (const Verdict v = check_name(info, partition.name, where, index); v.failed) return v;
  if (!only_known_bits(partition.flags, known_partition_flags)) return fail(unknown_flags, where, index);
  if ((partition.flags & partition_restartable) != 0 && (partition.flags & partition_is_vm) == 0) {
    return fail(restartable_not_vm, where, index);
  }
  if (!range_inside(partition.first_stop_signal, partition.stop_signal_count, info.stop_signals().size())) {
    return fail(stop_signal_invalid, where, index);
  }
  if (partition.stop_signal_count > max_stop_signals_per_partition) return fail(stop_signal_invalid, where, index);
  for (const Stop_signal_entry& signal : info.stop_signals_of(partition)) {
    if (signal.notification >= info.notifications().size() || signal.bit >= 64) {
      return fail(stop_signal_invalid, where, index);
    }
  }
  // Guest doorbells: in the section, sorted by address, each signalling a
  // notification or dropping the write. Not checked, because harmless: a
  // badge of 0 (it wakes nobody) and a native partition's doorbells (only
  // a vCPU's fault rings one); the compiler makes neither.
  if (!range_inside(partition.first_guest_doorbell, partition.guest_doorbell_count, info.guest_doorbells().size()) ||
      partition.guest_doorbell_count > max_guest_doorbells_per_partition) {
    return fail(guest_doorbell_invalid, where, index);
  }
  const auto doorbells = info.guest_doorbells_of(partition);
  for (uint32_t i = 0; i < doorbells.size(); ++i) {
    const Guest_doorbell_entry& doorbell = doorbells[i];
    const bool target_valid = doorbell.notification == no_index || doorbell.notification < info.notifications().size();
    if (!target_valid || (i > 0 && doorbells[i - 1].ipa >= doorbell.ipa))
      return fail(guest_doorbell_invalid, where, index);
  }
  if (partition.vmid == 0) return fail(vmid_zero, where, index);
  if (partition.vmid >= (1U << info.platform().vmid_bits)) return fail(vmid_too_large, where, index);
  if (!range_inside(partition.first_region, partition.region_count, info.regions().size())) {
    return fail(region_range_invalid, where, index);
  }
  if (partition.region_count > max_regions_per_partition) return fail(too_many_regions, where, index);
  if (!range_inside(partition.first_thread, partition.thread_count, info.threads().size())) {
    return fail(thread_range_invalid, where, index);
  }
  if (partition.thread_count > max_threads_per_partition) return fail(too_many_threads, where, index);
  if (!range_inside(partition.first_capability, partition.capability_count, info.capabilities().size())) {
    return fail(capability_range_invalid, where, index);
  }
  if (partition.capability_count > max_capabilities_per_partition) return fail(too_many_capabilities, where, index);
  if (const Verdict v = check_partition_w_xor_x(info, partition); v.failed) return v;
  return check_partition_ipas_disjoint(info, partition);
}

Verdict check_partitions(const Boot_info& info) {
  const auto partitions = info.partitions();
  for (uint32_t i = 0; i < partitions.size(); ++i) {
    if (const Verdict v = check_partition(info, partitions[i], i); v.failed) return v;
  }
  const uint32_t vmid_limit = 1U << info.platform().vmid_bits;
  const uint32_t repeated = find_repeated_key(partitions, vmid_limit, [](const Partition_entry& p) { return p.vmid; });
  if (repeated != no_index) return fail(Boot_info_error::vmid_duplicate, Section::partitions, repeated);
  return passed;
}

// Each thread lies in its own partition's range, and each partition's range
// holds only its own threads, so the ranges are disjoint.
Verdict check_thread_ownership(const Boot_info& info) {
  const auto threads = info.threads();
  const auto partitions = info.partitions();
  for (uint32_t t = 0; t < threads.size(); ++t) {
    const Partition_entry& owner = partitions[threads[t].partition];
    if (t < owner.first_thread || t - owner.first_thread >= owner.thread_count) {
      return fail(Boot_info_error::thread_partition_mismatch, Section::threads, t);
    }
  }
  for (uint32_t p = 0; p < partitions.size(); ++p) {
    for (uint32_t t = partitions[p].first_thread; t - partitions[p].first_thread < partitions[p].thread_count; ++t) {
      if (threads[t].partition != p) return fail(Boot_info_error::thread_partition_mismatch, Section::threads, t);
    }
  }
  return passed;
}

Verdict check_threads(const Boot_info& info) {
  const auto threads = info.threads();
  const Section where = Section::threads;
  using enum Boot_info_error;
  for (uint32_t i = 0; i < threads.size(); ++i) {
    const Thread_entry& thread = threads[i];
    if (const Verdict v = check_name(info, thread.name, where, i); v.failed) return v;
    if (thread.partition >= info.partitions().size()) return fail(partition_index_invalid, where, i);
    if (!only_known_bits(thread.flags, known_thread_flags)) return fail(unknown_flags, where, i);
    if (thread.priority > max_priority) return fail(priority_too_high, where, i);
    if (thread.cpu >= info.platform().cpu_count) return fail(cpu_out_of_range, where, i);
    if (thread.fault_endpoint != no_index && thread.fault_endpoint >= info.endpoints().size()) {
      return fail(fault_endpoint_invalid, where, i);
    }
    if (thread.period_ns != 0 && thread.budget_ns > thread.period_ns) return fail(budget_exceeds_period, where, i);
  }
  return check_thread_ownership(info);
}

Verdict check_endpoints(const Boot_info& info) {
  const auto endpoints = info.endpoints();
  for (uint32_t i = 0; i < endpoints.size(); ++i) {
    if (const Verdict v = check_name(info, endpoints[i].name, Section::endpoints, i); v.failed) return v;
    if (endpoints[i].server_partition >= info.partitions().size()) {
      return fail(Boot_info_error::partition_index_invalid, Section::endpoints, i);
    }
  }
  return passed;
}

Verdict check_notifications(const Boot_info& info) {
  const auto notifications = info.notifications();
  for (uint32_t i = 0; i < notifications.size(); ++i) {
    if (const Verdict v = check_name(info, notifications[i].name, Section::notifications, i); v.failed) return v;
    if (notifications[i].owner_partition >= info.partitions().size()) {
      return fail(Boot_info_error::partition_index_invalid, Section::notifications, i);
    }
  }
  return passed;
}

Verdict check_irqs(const Boot_info& info) {
  const auto irqs = info.irqs();
  using enum Boot_info_error;
  for (uint32_t i = 0; i < irqs.size(); ++i) {
    const Irq_entry& irq = irqs[i];
    if (irq.intid < min_spi_intid || irq.intid > max_spi_intid) return fail(intid_out_of_range, Section::irqs, i);
    if (irq.notification >= info.notifications().size()) return fail(notification_index_invalid, Section::irqs, i);
    if (irq.partition >= info.partitions().size()) return fail(partition_index_invalid, Section::irqs, i);
  }
  const uint32_t repeated = find_repeated_key(irqs, max_spi_intid + 1, [](const Irq_entry& irq) { return irq.intid; });
  if (repeated != no_index) return fail(intid_duplicate, Section::irqs, repeated);
  return passed;
}

// Whether `object` names an object of `kind`; `kind` must be valid.
bool capability_object_exists(const Boot_info& info, Capability_kind kind, uint32_t object) {
  switch (kind) {
    case Capability_kind::endpoint:
      return object < info.endpoints().size();
    case Capability_kind::notification:
      return object < info.notifications().size();
    case Capability_kind::irq:
      return object < info.irqs().size();
    case Capability_kind::vcpu:
      return object < info.threads().size();
    case Capability_kind::console:
    case Capability_kind::power:
      return object == 0;
    case Capability_kind::memory_pool:
      return object < info.memory_pools().size();
    case Capability_kind::map_into:
      return object < info.map_windows().size();
  }
  return false;
}

Verdict check_capabilities(const Boot_info& info) {
  const auto capabilities = info.capabilities();
  const Section where = Section::capabilities;
  using enum Boot_info_error;
  for (uint32_t i = 0; i < capabilities.size(); ++i) {
    const Capability_entry& capability = capabilities[i];
    if (capability.kind < static_cast<uint32_t>(Capability_kind::endpoint) ||
        capability.kind > static_cast<uint32_t>(Capability_kind::map_into)) {
      return fail(capability_kind_invalid, where, i);
    }
    const auto kind = static_cast<Capability_kind>(capability.kind);
    if (!capability_object_exists(info, kind, capability.object)) return fail(capability_object_invalid, where, i);
    if (kind == Capability_kind::vcpu && (info.threads()[capability.object].flags & thread_vcpu) == 0) {
      return fail(capability_object_not_vcpu, where, i);
    }
    if (!only_known_bits(capability.rights, known_rights)) return fail(unknown_rights, where, i);
  }
  return passed;
}

Verdict check_windows(const Boot_info& info) {
  const auto windows = info.windows();
  for (uint32_t i = 0; i < windows.size(); ++i) {
    if (windows[i].partition >= info.partitions().size()) {
      return fail(Boot_info_error::partition_index_invalid, Section::windows, i);
    }
  }
  return passed;
}

Verdict check_cpu_plan(const Boot_info& info, const Cpu_plan_entry& plan, uint32_t index) {
  const Section where = Section::cpu_plans;
  using enum Boot_info_error;
  if (plan.cpu >= info.platform().cpu_count) return fail(cpu_out_of_range, where, index);
  if (!only_known_bits(plan.flags, known_cpu_plan_flags)) return fail(unknown_flags, where, index);
  if (plan.window_count == 0) return fail(no_windows, where, index);
  if (plan.window_count > max_windows_per_cpu) return fail(too_many_windows, where, index);
  if (!range_inside(plan.first_window, plan.window_count, info.windows().size())) {
    return fail(window_range_invalid, where, index);
  }
  uint64_t frame_ns = 0;
  for (const Window_entry& window : info.windows_of(plan)) {
    if (window.duration_ns > UINT64_MAX - frame_ns) return fail(major_frame_overflow, where, index);
    frame_ns += window.duration_ns;
  }
  if (frame_ns != plan.major_frame_ns) return fail(major_frame_mismatch, where, index);
  return passed;
}

Verdict check_cpu_plans(const Boot_info& info) {
  const auto plans = info.cpu_plans();
  for (uint32_t i = 0; i < plans.size(); ++i) {
    if (const Verdict v = check_cpu_plan(info, plans[i], i); v.failed) return v;
  }
  const uint32_t repeated = find_repeated_key(plans, max_cpus, [](const Cpu_plan_entry& plan) { return plan.cpu; });
  if (repeated != no_index) return fail(Boot_info_error::cpu_plan_duplicate, Section::cpu_plans, repeated);
  return passed;
}

// Measurements: sorted by partition, each inside one of its partition's
// regions (so the kernel only ever hashes the partition's own memory), and a
// digest for every partition exactly when anything is measured.
Verdict check_measurements(const Boot_info& info) {
  const auto measurements = info.measurements();
  const auto partitions = info.partitions();
  const size_t digests = info.digests().size();
  if (digests != 0 && digests != partitions.size())
    return fail(Boot_info_error::digest_count_invalid, Section::digests);
  if (digests == 0 && !measurements.empty()) return fail(Boot_info_error::digest_count_invalid, Section::digests);
  for (uint32_t i = 0; i < measurements.size(); ++i) {
    const Measurement_entry& measurement = measurements[i];
    if (measurement.partition >= partitions.size()) {
      return fail(Boot_info_error::partition_index_invalid, Section::measurements, i);
    }
    if (i > 0 && measurement.partition < measurements[i - 1].partition) {
      return fail(Boot_info_error::measurements_unsorted, Section::measurements, i);
    }
    if (measurement.size == 0) return fail(Boot_info_error::size_zero, Section::measurements, i);
    if (measurement.pa + measurement.size < measurement.pa) {
      return fail(Boot_info_error::address_overflow, Section::measurements, i);
    }
    bool inside = false;
    for (const Region_entry& region : info.regions_of(partitions[measurement.partition])) {
      inside = inside || (measurement.pa >= region.pa && measurement.pa - region.pa <= region.size &&
                          measurement.size <= region.size - (measurement.pa - region.pa));
    }
    if (!inside) return fail(Boot_info_error::measurement_outside_regions, Section::measurements, i);
  }
  return passed;
}

// [base, base + size) lies inside [outer_base, outer_base + outer_size);
// neither range wraps.
constexpr bool inside(uint64_t base, uint64_t size, uint64_t outer_base, uint64_t outer_size) {
  return base >= outer_base && base - outer_base <= outer_size && size <= outer_size - (base - outer_base);
}

// A pristine copy as the kernel maps it: whole pages (its last page is its
// own, so read-only cannot hide anything else).
Extent pages_of(const Pristine_entry& copy) {
  return {copy.pa & ~(page_size - 1), (copy.pa + copy.size + page_size - 1) & ~(page_size - 1)};
}

// One copy on its own: a restartable VM's, going into its measured memory,
// from inside RAM.
Verdict check_pristine_entry(const Boot_info& info, const Pristine_entry& copy, uint32_t index) {
  const Section where = Section::pristine;
  using enum Boot_info_error;
  const auto partitions = info.partitions();
  if (copy.partition >= partitions.size()) return fail(partition_index_invalid, where, index);
  if ((partitions[copy.partition].flags & partition_restartable) == 0) {
    return fail(pristine_not_restartable, where, index);
  }
  if (copy.size == 0) return fail(size_zero, where, index);
  // The last page rounded up must not wrap either.
  if (copy.size > UINT64_MAX - page_size || copy.pa > UINT64_MAX - page_size - copy.size ||
      copy.guest_pa > UINT64_MAX - copy.size) {
    return fail(address_overflow, where, index);
  }
  if (copy.pa % page_size != 0) return fail(pristine_misaligned, where, index);
  bool measured = false;
  for (const Measurement_entry& range : info.measurements()) {
    measured =
        measured || (range.partition == copy.partition && inside(copy.guest_pa, copy.size, range.pa, range.size));
  }
  if (!measured) return fail(pristine_outside_measurements, where, index);
  const Extent pages = pages_of(copy);
  bool in_ram = false;
  for (const Memory_range& ram : info.ram_ranges()) {
    in_ram = in_ram || inside(pages.begin, pages.end - pages.begin, ram.base, ram.size);
  }
  if (!in_ram) return fail(pristine_outside_ram, where, index);
  return passed;
}

// Pristine copies: each valid on its own, sorted by partition and by
// address without sharing a page, only with digests (an image), one at
// least for every restartable VM, and in memory no partition maps.
Verdict check_pristine(const Boot_info& info) {
  const auto copies = info.pristine();
  const Section where = Section::pristine;
  using enum Boot_info_error;
  if (info.digests().empty() && !copies.empty()) return fail(digest_count_invalid, Section::digests);
  for (uint32_t i = 0; i < copies.size(); ++i) {
    if (const Verdict v = check_pristine_entry(info, copies[i], i); v.failed) return v;
    if (i > 0 &&
        (copies[i].partition < copies[i - 1].partition || pages_of(copies[i]).begin < pages_of(copies[i - 1]).end)) {
      return fail(pristine_unsorted, where, i);
    }
  }
  const auto partitions = info.partitions();
  for (uint32_t p = 0, next = 0; p < partitions.size() && !info.digests().empty(); ++p) {
    const uint32_t first = next;
    while (next < copies.size() && copies[next].partition == p) ++next;
    if ((partitions[p].flags & partition_restartable) != 0 && next == first) {
      return fail(restartable_without_pristine, Section::partitions, p);
    }
  }
  // Sorted and disjoint, so for each region the first copy ending after
  // its start is the only one that can overlap it: a binary search.
  const auto regions = info.regions();
  for (uint32_t r = 0; r < regions.size(); ++r) {
    uint32_t low = 0;
    uint32_t high = static_cast<uint32_t>(copies.size());
    while (low < high) {
      const uint32_t middle = low + (high - low) / 2;
      if (pages_of(copies[middle]).end <= regions[r].pa) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    if (low < copies.size() && pages_of(copies[low]).begin < regions[r].pa + regions[r].size) {
      return fail(pristine_overlaps_partition, where, low);
    }
  }
  return passed;
}

// One seed placeholder on its own: a VM's, 4-byte aligned (FDT tokens
// are), of a size the kernel fills, the whole property inside the VM's
// measured memory (so the kernel writes only there).
Verdict check_guest_seed_entry(const Boot_info& info, const Guest_seed_entry& seed, uint32_t index) {
  const Section where = Section::guest_seeds;
  using enum Boot_info_error;
  const auto partitions = info.partitions();
  if (seed.partition >= partitions.size()) return fail(partition_index_invalid, where, index);
  if ((partitions[seed.partition].flags & partition_is_vm) == 0) return fail(seed_not_vm, where, index);
  if (seed.size == 0 || seed.size > max_guest_seed_size) return fail(seed_size_invalid, where, index);
  if (seed.pa % 4 != 0) return fail(seed_misaligned, where, index);
  const uint64_t property_size = guest_seed_property_size(seed);
  if (seed.pa > UINT64_MAX - property_size) return fail(address_overflow, where, index);
  bool measured = false;
  for (const Measurement_entry& range : info.measurements()) {
    measured = measured || (range.partition == seed.partition && inside(seed.pa, property_size, range.pa, range.size));
  }
  if (!measured) return fail(seed_outside_measurements, where, index);
  return passed;
}

// Seed placeholders: each valid on its own, sorted by partition and
// address without overlapping, and only with digests (an image).
Verdict check_guest_seeds(const Boot_info& info) {
  const auto seeds = info.guest_seeds();
  if (info.digests().empty() && !seeds.empty()) return fail(Boot_info_error::digest_count_invalid, Section::digests);
  for (uint32_t i = 0; i < seeds.size(); ++i) {
    if (const Verdict v = check_guest_seed_entry(info, seeds[i], i); v.failed) return v;
    if (i > 0 && (seeds[i].partition < seeds[i - 1].partition ||
                  seeds[i].pa < seeds[i - 1].pa + guest_seed_property_size(seeds[i - 1]))) {
      return fail(Boot_info_error::seeds_unsorted, Section::guest_seeds, i);
    }
  }
  return passed;
}

// The kernel objects area: only in an image (with digests), aligned,
// inside RAM and outside every partition's memory, and the partitions'
// table pages adding up to its own count. Without an area no partition may
// claim table pages. That its size fits the kernel's object sizes is the
// kernel's check at boot (kernel_objects.cpp), not boot-info's.
Verdict check_kernel_memory(const Boot_info& info) {
  const auto areas = info.kernel_memory();
  const Section where = Section::kernel_memory;
  using enum Boot_info_error;
  uint64_t table_pages = 0;
  for (const Partition_entry& partition : info.partitions()) table_pages += partition.table_pages;
  if (areas.empty()) return table_pages == 0 ? passed : fail(table_pages_mismatch, where);
  if (info.digests().empty()) return fail(digest_count_invalid, Section::digests);
  const Kernel_memory_entry& area = areas[0];
  if (area.base % kernel_objects_alignment != 0) return fail(address_misaligned, where, 0);
  if (area.size == 0) return fail(size_zero, where, 0);
  if (area.base > UINT64_MAX - area.size) return fail(address_overflow, where, 0);
  if (area.table_pages != table_pages || area.reserved != 0) return fail(table_pages_mismatch, where, 0);
  if ((area.stage2_input_bits != 39 && area.stage2_input_bits != 40) || area.kernel_table_pages == 0 ||
      uint64_t{area.kernel_table_pages} * 4096 > area.size) {
    return fail(kernel_memory_malformed, where, 0);
  }
  // A 39-bit IPA (one root page) only where every region fits below 512 GiB.
  constexpr uint64_t ipa_39_limit = uint64_t{1} << 39;
  for (const Region_entry& region : info.regions()) {
    if (area.stage2_input_bits == 39 && (region.ipa >= ipa_39_limit || region.size > ipa_39_limit - region.ipa)) {
      return fail(kernel_memory_malformed, where, 0);
    }
  }
  bool in_ram = false;
  for (const Memory_range& ram : info.ram_ranges()) in_ram = in_ram || inside(area.base, area.size, ram.base, ram.size);
  if (!in_ram) return fail(kernel_memory_outside_ram, where, 0);
  for (const Region_entry& region : info.regions()) {
    if (region.pa < area.base + area.size && area.base < region.pa + region.size) {
      return fail(kernel_memory_overlaps_partition, where, 0);
    }
  }
  return passed;
}

// What memory pools and map windows share: a valid partition and `pages`
// pages from `base` that are aligned and do not wrap.
Verdict check_partition_pages(const Boot_info& info, uint32_t partition, uint64_t base, uint64_t pages, Section where,
                              uint32_t i) {
  if (partition >= info.partitions().size()) return fail(Boot_info_error::partition_index_invalid, where, i);
  if (pages > UINT64_MAX / page_size) return fail(Boot_info_error::address_overflow, where, i);
  return check_memory(base, pages * page_size, where, i);
}

// Memory pools: each inside one of its owner's own read-write, cacheable
// regions that no other partition maps (so memory_map can hand out nothing
// but memory the policy gave the owner for this), and only its owner holds
// a capability to it.
Verdict check_memory_pools(const Boot_info& info) {
  const auto pools = info.memory_pools();
  const Section where = Section::memory_pools;
  using enum Boot_info_error;
  constexpr uint32_t wanted = region_read | region_write;
  constexpr uint32_t refused = region_device | region_non_cacheable | region_shared_channel;
  for (uint32_t i = 0; i < pools.size(); ++i) {
    const Memory_pool_entry& pool = pools[i];
    if (const Verdict v = check_partition_pages(info, pool.partition, pool.pa, pool.pages, where, i); v.failed)
      return v;
    bool owned = false;
    for (const Region_entry& region : info.regions_of(info.partitions()[pool.partition])) {
      owned = owned || ((region.attributes & (wanted | refused)) == wanted &&
                        inside(pool.pa, pool.pages * page_size, region.pa, region.size));
    }
    if (!owned) return fail(pool_outside_owner, where, i);
  }
  const auto partitions = info.partitions();
  for (uint32_t p = 0; p < partitions.size(); ++p) {
    const auto own = info.capabilities_of(partitions[p]);
    for (uint32_t c = 0; c < own.size(); ++c) {
      if (own[c].kind == static_cast<uint32_t>(Capability_kind::memory_pool) && pools[own[c].object].partition != p) {
        return fail(capability_not_owner, Section::capabilities, partitions[p].first_capability + c);
      }
    }
  }
  return passed;
}

// [a, a + a_size) and [b, b + b_size) share a byte; neither wraps.
constexpr bool overlap(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size) {
  return a < b + b_size && b < a + a_size;
}

// Map windows: aligned, of known rights, and addresses of their partition
// that nothing else uses, inside its IPA size (so the tables built for a
// window at boot never meet a region's, and a page is mapped only by
// memory_map).
Verdict check_map_windows(const Boot_info& info) {
  const auto windows = info.map_windows();
  const Section where = Section::map_windows;
  using enum Boot_info_error;
  const bool ipa_39 = !info.kernel_memory().empty() && info.kernel_memory()[0].stage2_input_bits == 39;
  const uint64_t ipa_limit = uint64_t{1} << (ipa_39 ? 39 : 40);
  uint64_t bitmap_words = 0;
  for (uint32_t i = 0; i < windows.size(); ++i) {
    const Map_window_entry& window = windows[i];
    if (window.first_bitmap_word != bitmap_words) return fail(window_bitmap_misplaced, where, i);
    if (window.max_rights != map_read && window.max_rights != (map_read | map_write)) {
      return fail(window_rights_invalid, where, i);
    }
    if (window.pages > max_map_window_pages) return fail(window_too_large, where, i);
    if (const Verdict v = check_partition_pages(info, window.partition, window.ipa, window.pages, where, i); v.failed)
      return v;
    const uint64_t size = window.pages * page_size;
    bool overlaps = window.ipa >= ipa_limit || size > ipa_limit - window.ipa;
    for (const Region_entry& region : info.regions_of(info.partitions()[window.partition])) {
      overlaps = overlaps || overlap(window.ipa, size, region.ipa, region.size);
    }
    for (uint32_t earlier = 0; earlier < i; ++earlier) {
      const Map_window_entry& other = windows[earlier];
      overlaps = overlaps ||
                 (other.partition == window.partition && overlap(window.ipa, size, other.ipa, other.pages * page_size));
    }
    if (overlaps) return fail(window_overlaps_memory, where, i);
    bitmap_words += map_bitmap_words(window);
  }
  return passed;
}

using Check = Verdict (*)(const Boot_info&);

// In dependency order: each check may rely on those before it.
constexpr Check entry_checks[] = {
    check_platform,      check_strings,      check_ram_ranges,    check_regions,  check_partitions,
    check_threads,       check_endpoints,    check_notifications, check_irqs,     check_capabilities,
    check_windows,       check_cpu_plans,    check_measurements,  check_pristine, check_guest_seeds,
    check_kernel_memory, check_memory_pools, check_map_windows,
};

}  // namespace

Boot_info_result read_boot_info(const uint8_t* data, size_t size) {
  if (const Verdict v = check_blob(data, size); v.failed) return v.problem;
  if (const Verdict v = check_section_table(*reinterpret_cast<const Boot_info_header*>(data)); v.failed) {
    return v.problem;
  }
  const Boot_info info{data};
  for (const Check check : entry_checks) {
    if (const Verdict v = check(info); v.failed) return v.problem;
  }
  return info;
}

const char* Boot_info::name(uint32_t offset) const {
  const Span<const char> table = strings();
  return offset < table.size() ? &table[offset] : "";
}

namespace {

// Indexed by Section; the last is for Section::count.
constexpr const char* section_names[section_count + 1] = {
    "ram_ranges",    "partitions",   "regions",     "threads",      "endpoints",       "notifications", "irqs",
    "capabilities",  "windows",      "cpu_plans",   "measurements", "digests",         "pristine",      "guest_seeds",
    "kernel_memory", "memory_pools", "map_windows", "stop_signals", "guest_doorbells", "strings",       "header",
};

struct Error_text {
  Boot_info_error error;
  const char* text;
};

// In the order of Boot_info_error, which the static_asserts below enforce.
constexpr Error_text error_texts[] = {
    {Boot_info_error::truncated, "shorter than the boot-info header"},
    {Boot_info_error::too_large, "larger than boot_info_max_size"},
    {Boot_info_error::misaligned_data, "not 8-byte aligned in memory"},
    {Boot_info_error::bad_magic, "wrong magic number"},
    {Boot_info_error::bad_version, "unsupported version"},
    {Boot_info_error::bad_header_size, "wrong header size"},
    {Boot_info_error::size_mismatch, "total_size differs from the size loaded"},
    {Boot_info_error::bad_checksum, "checksum mismatch"},
    {Boot_info_error::wrong_entry_size, "wrong entry size for the section"},
    {Boot_info_error::section_misaligned, "section offset not 8-byte aligned"},
    {Boot_info_error::section_out_of_bounds, "section extends past the end"},
    {Boot_info_error::section_overlaps_header, "section overlaps the header"},
    {Boot_info_error::sections_overlap, "section overlaps an earlier section"},
    {Boot_info_error::too_many_entries, "more entries than the kernel's limit"},
    {Boot_info_error::bad_cpu_count, "cpu_count outside 1..max_cpus"},
    {Boot_info_error::bad_vmid_bits, "vmid_bits is neither 8 nor 16"},
    {Boot_info_error::bad_timer_intid, "timer interrupt is not a PPI (16..31)"},
    {Boot_info_error::strings_empty, "string table is empty"},
    {Boot_info_error::strings_unterminated, "string table does not end in NUL"},
    {Boot_info_error::name_out_of_bounds, "name offset outside the string table"},
    {Boot_info_error::name_too_long, "name longer than max_name_length"},
    {Boot_info_error::unknown_flags, "unknown flag bits"},
    {Boot_info_error::partition_index_invalid, "partition index out of range"},
    {Boot_info_error::cpu_out_of_range, "CPU not below cpu_count"},
    {Boot_info_error::address_misaligned, "address or size not 4 KiB aligned"},
    {Boot_info_error::size_zero, "size is zero"},
    {Boot_info_error::address_overflow, "address range wraps around"},
    {Boot_info_error::region_ipa_overlap, "region overlaps another region of its partition"},
    {Boot_info_error::region_range_invalid, "region range outside the regions section"},
    {Boot_info_error::thread_range_invalid, "thread range outside the threads section"},
    {Boot_info_error::capability_range_invalid, "capability range outside the capabilities section"},
    {Boot_info_error::too_many_regions, "more regions than max_regions_per_partition"},
    {Boot_info_error::too_many_threads, "more threads than max_threads_per_partition"},
    {Boot_info_error::too_many_capabilities, "more capabilities than max_capabilities_per_partition"},
    {Boot_info_error::vmid_zero, "VMID 0 is reserved"},
    {Boot_info_error::vmid_too_large, "VMID does not fit vmid_bits"},
    {Boot_info_error::vmid_duplicate, "VMID used twice"},
    {Boot_info_error::thread_partition_mismatch, "thread not in its partition's thread range"},
    {Boot_info_error::priority_too_high, "priority above 255"},
    {Boot_info_error::fault_endpoint_invalid, "fault endpoint index out of range"},
    {Boot_info_error::budget_exceeds_period, "budget longer than period"},
    {Boot_info_error::intid_out_of_range, "interrupt is not an SPI (32..1019)"},
    {Boot_info_error::intid_duplicate, "interrupt bound twice"},
    {Boot_info_error::notification_index_invalid, "notification index out of range"},
    {Boot_info_error::capability_kind_invalid, "unknown capability kind"},
    {Boot_info_error::capability_object_invalid, "capability object index out of range"},
    {Boot_info_error::capability_object_not_vcpu, "vCPU capability names a thread that is not a vCPU"},
    {Boot_info_error::unknown_rights, "unknown capability rights"},
    {Boot_info_error::cpu_plan_duplicate, "two plans for one CPU"},
    {Boot_info_error::no_windows, "CPU plan has no windows"},
    {Boot_info_error::too_many_windows, "more windows than max_windows_per_cpu"},
    {Boot_info_error::window_range_invalid, "window range outside the windows section"},
    {Boot_info_error::major_frame_overflow, "window durations overflow"},
    {Boot_info_error::major_frame_mismatch, "major frame differs from the sum of its windows"},
    {Boot_info_error::measurement_outside_regions, "measured range outside its partition's regions"},
    {Boot_info_error::measurements_unsorted, "measurements not sorted by partition"},
    {Boot_info_error::digest_count_invalid, "digests missing, or not one per partition"},
    {Boot_info_error::writable_and_executable, "a native partition's region is writable and executable unasked"},
    {Boot_info_error::restartable_not_vm, "only a VM can be restartable"},
    {Boot_info_error::restartable_without_pristine, "restartable VM without a pristine copy"},
    {Boot_info_error::pristine_not_restartable, "pristine copy of a partition that is not restartable"},
    {Boot_info_error::pristine_unsorted, "pristine copies not sorted by partition and address, or sharing a page"},
    {Boot_info_error::pristine_misaligned, "pristine copy not on a 4 KiB boundary"},
    {Boot_info_error::pristine_outside_measurements, "pristine copy goes outside its VM's measured ranges"},
    {Boot_info_error::pristine_outside_ram, "pristine copy outside RAM"},
    {Boot_info_error::pristine_overlaps_partition, "pristine copy overlaps a partition's memory"},
    {Boot_info_error::seed_not_vm, "seed placeholder of a partition that is not a VM"},
    {Boot_info_error::seed_size_invalid, "seed placeholder size outside 1..max_guest_seed_size"},
    {Boot_info_error::seed_misaligned, "seed placeholder not 4-byte aligned"},
    {Boot_info_error::seed_outside_measurements, "seed placeholder outside its VM's measured ranges"},
    {Boot_info_error::seeds_unsorted, "seed placeholders not sorted by partition and address, or overlapping"},
    {Boot_info_error::table_pages_mismatch, "partitions' table pages do not add up to the kernel memory's"},
    {Boot_info_error::kernel_memory_outside_ram, "kernel objects area outside RAM"},
    {Boot_info_error::kernel_memory_overlaps_partition, "kernel objects area overlaps a partition's memory"},
    {Boot_info_error::kernel_memory_malformed,
     "kernel memory without kernel table pages, or an IPA size not 39 or 40 bits or too small for a region"},
    {Boot_info_error::pool_outside_owner, "memory pool outside its owner's own read-write, cacheable memory"},
    {Boot_info_error::window_rights_invalid, "map window's rights neither read nor read-write"},
    {Boot_info_error::window_too_large, "map window larger than max_map_window_pages"},
    {Boot_info_error::window_overlaps_memory,
     "map window overlaps its partition's memory or another window, or lies beyond its IPA size"},
    {Boot_info_error::capability_not_owner, "memory pool capability held by another partition than its owner"},
    {Boot_info_error::stop_signal_invalid, "stop signal's notification out of range or bit above 63"},
    {Boot_info_error::window_bitmap_misplaced, "map window's first bitmap word is not the sum of those before"},
    {Boot_info_error::guest_doorbell_invalid,
     "guest doorbells outside the section, too many, unsorted or repeated, or a bad notification"},
};

constexpr size_t error_text_count = sizeof error_texts / sizeof error_texts[0];

constexpr bool error_texts_in_order() {
  for (size_t i = 0; i < error_text_count; ++i) {
    if (static_cast<size_t>(error_texts[i].error) != i) return false;
  }
  return true;
}
static_assert(error_texts_in_order());
static_assert(error_text_count == static_cast<size_t>(Boot_info_error::guest_doorbell_invalid) + 1, "one per error");

}  // namespace

const char* to_string(Section section) {
  const auto index = static_cast<uint32_t>(section);
  return index <= section_count ? section_names[index] : "unknown section";
}

const char* to_string(Boot_info_error error) {
  const auto index = static_cast<size_t>(error);
  return index < error_text_count ? error_texts[index].text : "unknown error";
}

}  // namespace kestrel
