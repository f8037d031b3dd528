// SPDX-License-Identifier: Apache-2.0
// Boot-info writer: string interning and the blob's layout.
#include <kestrel/policy/boot_info_writer.hpp>

#include <bit>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <utility>

#include <kestrel/crc32.hpp>

namespace kestrel::policy {
namespace {

// Entries are copied byte for byte, which is the format only on a
// little-endian host.
static_assert(std::endian::native == std::endian::little, "boot-info is little-endian");

constexpr size_t section_alignment = 8;

// `entry` with its reserved field (if it has one) zeroed, so that what the
// caller left in it cannot make two builds differ.
template <typename Entry>
Entry without_reserved(Entry entry) {
  if constexpr (requires { entry.reserved; }) entry.reserved = 0;
  return entry;
}

template <typename Entry>
void append_bytes(std::vector<uint8_t>& blob, const Entry& entry) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(&entry);
  blob.insert(blob.end(), bytes, bytes + sizeof entry);
}

// Appends one section at the next aligned offset and describes it in the
// header's table. Offsets are narrowed here and checked once in finish().
template <typename Entry>
void append_section(std::vector<uint8_t>& blob, abi::Boot_info_header& header, abi::Section section,
                    std::span<const Entry> entries) {
  blob.resize((blob.size() + section_alignment - 1) / section_alignment * section_alignment, 0);
  abi::Section_header& table_entry = header.sections[static_cast<uint32_t>(section)];
  table_entry.offset = static_cast<uint32_t>(blob.size());
  table_entry.count = static_cast<uint32_t>(entries.size());
  table_entry.entry_size = sizeof(Entry);
  for (const Entry& entry : entries) append_bytes(blob, without_reserved(entry));
}

}  // namespace

Boot_info_writer::Boot_info_writer() { intern(""); }

uint32_t Boot_info_writer::intern(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) {
    throw std::invalid_argument("boot-info name contains a NUL character");
  }
  std::string key{text};
  if (const auto found = string_offsets_.find(key); found != string_offsets_.end()) return found->second;
  if (strings_.size() + text.size() + 1 > std::numeric_limits<uint32_t>::max()) {
    throw std::length_error("boot-info string table exceeds 4 GiB");
  }
  const auto offset = static_cast<uint32_t>(strings_.size());
  strings_.append(text);
  strings_.push_back('\0');
  string_offsets_.emplace(std::move(key), offset);
  return offset;
}

std::vector<uint8_t> Boot_info_writer::finish() const {
  abi::Boot_info_header header{};
  header.magic = abi::boot_info_magic;
  header.version = abi::boot_info_version;
  header.header_size = sizeof(abi::Boot_info_header);
  header.system_name = system_name_;
  header.system_flags = system_flags_;
  header.platform = platform_;

  std::vector<uint8_t> blob(sizeof header, 0);  // the header is copied in last
  using abi::Section;
  append_section<abi::Memory_range>(blob, header, Section::ram_ranges, ram_ranges_);
  append_section<abi::Partition_entry>(blob, header, Section::partitions, partitions_);
  append_section<abi::Region_entry>(blob, header, Section::regions, regions_);
  append_section<abi::Thread_entry>(blob, header, Section::threads, threads_);
  append_section<abi::Endpoint_entry>(blob, header, Section::endpoints, endpoints_);
  append_section<abi::Notification_entry>(blob, header, Section::notifications, notifications_);
  append_section<abi::Irq_entry>(blob, header, Section::irqs, irqs_);
  append_section<abi::Capability_entry>(blob, header, Section::capabilities, capabilities_);
  append_section<abi::Window_entry>(blob, header, Section::windows, windows_);
  append_section<abi::Cpu_plan_entry>(blob, header, Section::cpu_plans, cpu_plans_);
  append_section<abi::Measurement_entry>(blob, header, Section::measurements, measurements_);
  append_section<abi::Digest_entry>(blob, header, Section::digests, digests_);
  append_section<abi::Pristine_entry>(blob, header, Section::pristine, pristine_);
  append_section<abi::Guest_seed_entry>(blob, header, Section::guest_seeds, guest_seeds_);
  append_section<abi::Kernel_memory_entry>(blob, header, Section::kernel_memory, kernel_memory_);
  append_section<abi::Memory_pool_entry>(blob, header, Section::memory_pools, memory_pools_);
  append_section<abi::Map_window_entry>(blob, header, Section::map_windows, map_windows_);
  append_section<abi::Stop_signal_entry>(blob, header, Section::stop_signals, stop_signals_);
  append_section<abi::Guest_doorbell_entry>(blob, header, Section::guest_doorbells, guest_doorbells_);
  append_section<char>(blob, header, Section::strings, strings_);
  static_assert(abi::section_count == 20, "every section is laid out above");

  if (blob.size() > std::numeric_limits<uint32_t>::max()) {
    throw std::length_error("boot-info exceeds the format's 4 GiB");
  }
  header.total_size = static_cast<uint32_t>(blob.size());
  std::memcpy(blob.data(), &header, sizeof header);
  header.checksum = boot_info_checksum(blob.data(), blob.size());
  std::memcpy(blob.data() + offsetof(abi::Boot_info_header, checksum), &header.checksum, sizeof header.checksum);
  return blob;
}

}  // namespace kestrel::policy
