// SPDX-License-Identifier: Apache-2.0
// Boot-info writer tests: layout, string interning, determinism, checksum.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include <kestrel/abi/boot_info.hpp>
#include <kestrel/crc32.hpp>
#include <kestrel/policy/boot_info_writer.hpp>

// Entries are written with designated initializers that leave the fields they
// do not name zero, on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

using namespace kestrel::abi;
using kestrel::policy::Boot_info_writer;
using Blob = std::vector<uint8_t>;

namespace {

// One or more entries in every section, with junk in the reserved fields.
Boot_info_writer sample_writer() {
  Boot_info_writer writer;
  writer.set_system_name("sample");
  writer.platform().cpu_count = 1;
  writer.platform().vmid_bits = 8;
  writer.add(Memory_range{.base = 0x4000'0000, .size = 0x1000'0000});
  writer.add(Partition_entry{.name = writer.intern("p"), .vmid = 1});
  writer.add(Region_entry{.ipa = 0x1000, .pa = 0x4000'0000, .size = 0x1000, .attributes = region_read});
  writer.add(Thread_entry{.name = writer.intern("t"), .fault_endpoint = no_index});
  writer.add(Endpoint_entry{.name = writer.intern("e")});
  writer.add(Notification_entry{.name = writer.intern("n")});
  writer.add(Irq_entry{.intid = 40, .badge = 3, .reserved = 0xbeef});
  writer.add(Capability_entry{.kind = 1, .rights = right_send, .reserved = 0xcafe, .badge = 9});
  writer.add(Window_entry{.partition = 0, .reserved = 0xf00d, .duration_ns = 1000});
  writer.add(Cpu_plan_entry{.cpu = 0, .window_count = 1, .major_frame_ns = 1000});
  return writer;
}

Boot_info_header header_of(const Blob& blob) {
  Boot_info_header header;
  std::memcpy(&header, blob.data(), sizeof header);
  return header;
}

template <typename Entry>
Entry entry_at(const Blob& blob, Section section, uint32_t index) {
  const Section_header table = header_of(blob).sections[static_cast<uint32_t>(section)];
  Entry entry;
  std::memcpy(&entry, blob.data() + table.offset + index * sizeof(Entry), sizeof entry);
  return entry;
}

}  // namespace

TEST(BootInfoWriter, FillsTheHeader) {
  const Blob blob = sample_writer().finish();
  const Boot_info_header header = header_of(blob);
  EXPECT_EQ(std::memcmp(blob.data(), "KSTLBOOT", 8), 0);
  EXPECT_EQ(header.magic, boot_info_magic);
  EXPECT_EQ(header.version, boot_info_version);
  EXPECT_EQ(header.header_size, sizeof(Boot_info_header));
  EXPECT_EQ(header.total_size, blob.size());
  EXPECT_EQ(header.platform.cpu_count, 1U);
  EXPECT_EQ(header.system_flags, 0U);  // noThreadLeft = idle unless set
  const Section_header strings = header.sections[static_cast<uint32_t>(Section::strings)];
  EXPECT_STREQ(reinterpret_cast<const char*>(blob.data() + strings.offset + header.system_name), "sample");
}

TEST(BootInfoWriter, WritesTheSystemFlags) {
  Boot_info_writer writer = sample_writer();
  writer.set_system_flags(system_power_off_when_no_thread_left);
  EXPECT_EQ(header_of(writer.finish()).system_flags, system_power_off_when_no_thread_left);
}

TEST(BootInfoWriter, IdenticalBuildsAreByteIdentical) {
  const Blob first = sample_writer().finish();
  const Blob second = sample_writer().finish();
  EXPECT_EQ(first, second);
  const Boot_info_writer writer = sample_writer();
  EXPECT_EQ(writer.finish(), writer.finish()) << "finish() does not change the writer";
}

TEST(BootInfoWriter, ChecksumVerifies) {
  Blob blob = sample_writer().finish();
  const uint32_t stored = header_of(blob).checksum;
  EXPECT_EQ(kestrel::boot_info_checksum(blob.data(), blob.size()), stored);
  std::memset(blob.data() + offsetof(Boot_info_header, checksum), 0, sizeof stored);
  EXPECT_EQ(kestrel::crc32(blob.data(), blob.size()), stored) << "CRC-32 of the blob with the field zero";
}

TEST(BootInfoWriter, SectionsAreAlignedInOrderAndSized) {
  const Blob blob = sample_writer().finish();
  const Boot_info_header header = header_of(blob);
  const uint32_t entry_sizes[section_count] = {sizeof(Memory_range),
                                               sizeof(Partition_entry),
                                               sizeof(Region_entry),
                                               sizeof(Thread_entry),
                                               sizeof(Endpoint_entry),
                                               sizeof(Notification_entry),
                                               sizeof(Irq_entry),
                                               sizeof(Capability_entry),
                                               sizeof(Window_entry),
                                               sizeof(Cpu_plan_entry),
                                               sizeof(Measurement_entry),
                                               sizeof(Digest_entry),
                                               sizeof(Pristine_entry),
                                               sizeof(Guest_seed_entry),
                                               sizeof(Kernel_memory_entry),
                                               sizeof(Memory_pool_entry),
                                               sizeof(Map_window_entry),
                                               sizeof(Stop_signal_entry),
                                               sizeof(Guest_doorbell_entry),
                                               1};
  uint64_t end_of_previous = sizeof(Boot_info_header);
  for (uint32_t s = 0; s < section_count; ++s) {
    const Section_header& section = header.sections[s];
    EXPECT_EQ(section.offset % 8, 0U) << "section " << s;
    EXPECT_GE(section.offset, end_of_previous) << "section " << s;
    EXPECT_LT(section.offset, end_of_previous + 8) << "no more padding than alignment needs, section " << s;
    EXPECT_EQ(section.entry_size, entry_sizes[s]) << "section " << s;
    EXPECT_EQ(section.reserved, 0U);
    end_of_previous = section.offset + uint64_t{section.count} * section.entry_size;
  }
  EXPECT_EQ(end_of_previous, header.total_size) << "the string table ends the blob";
  EXPECT_EQ(header.sections[static_cast<uint32_t>(Section::threads)].count, 1U);
}

TEST(BootInfoWriter, ZeroesReservedFields) {
  const Blob blob = sample_writer().finish();
  EXPECT_EQ((entry_at<Irq_entry>(blob, Section::irqs, 0).reserved), 0U);
  EXPECT_EQ((entry_at<Capability_entry>(blob, Section::capabilities, 0).reserved), 0U);
  EXPECT_EQ((entry_at<Window_entry>(blob, Section::windows, 0).reserved), 0U);
  EXPECT_EQ((entry_at<Capability_entry>(blob, Section::capabilities, 0).badge), 9U) << "other fields kept";
}

TEST(BootInfoWriter, InternsEachStringOnce) {
  Boot_info_writer writer;
  EXPECT_EQ(writer.intern(""), 0U) << "the empty string is at offset 0";
  const uint32_t uart = writer.intern("uart");
  const uint32_t ram = writer.intern("ram");
  EXPECT_NE(uart, 0U);
  EXPECT_NE(uart, ram);
  EXPECT_EQ(writer.intern("uart"), uart);
  EXPECT_EQ(writer.intern(std::string("ra") + "m"), ram);
  EXPECT_EQ(writer.intern(""), 0U);
  EXPECT_EQ(writer.strings(), std::string("\0uart\0ram\0", 10));

  const Blob blob = writer.finish();
  const Section_header strings = header_of(blob).sections[static_cast<uint32_t>(Section::strings)];
  EXPECT_EQ(strings.count, 10U);
  EXPECT_STREQ(reinterpret_cast<const char*>(blob.data() + strings.offset + ram), "ram");
}

TEST(BootInfoWriter, RejectsNamesWithNul) {
  Boot_info_writer writer;
  EXPECT_THROW(writer.intern(std::string("a\0b", 3)), std::invalid_argument);
}

TEST(BootInfoWriter, AddReturnsIndicesAndEntriesCanBePatched) {
  Boot_info_writer writer;
  EXPECT_EQ(writer.add(Partition_entry{.vmid = 1}), 0U);
  EXPECT_EQ(writer.add(Partition_entry{.vmid = 2}), 1U);
  EXPECT_EQ(writer.add(Region_entry{.size = 0x1000}), 0U) << "each section counts its own entries";
  writer.partition(1).first_region = 0;
  writer.partition(1).region_count = 1;
  EXPECT_EQ(writer.partitions().size(), 2U);
  EXPECT_THROW(writer.partition(2), std::out_of_range);

  const Blob blob = writer.finish();
  const auto patched = entry_at<Partition_entry>(blob, Section::partitions, 1);
  EXPECT_EQ(patched.vmid, 2U);
  EXPECT_EQ(patched.region_count, 1U);
}

TEST(BootInfoWriter, EmptySectionsStillHaveTheirEntrySize) {
  const Blob blob = Boot_info_writer{}.finish();
  const Boot_info_header header = header_of(blob);
  EXPECT_EQ(header.sections[static_cast<uint32_t>(Section::irqs)].count, 0U);
  EXPECT_EQ(header.sections[static_cast<uint32_t>(Section::irqs)].entry_size, sizeof(Irq_entry));
  EXPECT_EQ(header.sections[static_cast<uint32_t>(Section::strings)].count, 1U) << "just the empty string";
  EXPECT_EQ(blob.size(), sizeof(Boot_info_header) + 1);
}

TEST(BootInfoWriter, WritesPristineCopiesWithReservedZero) {
  Boot_info_writer writer = sample_writer();
  writer.add(Pristine_entry{.partition = 0, .reserved = 7, .pa = 0x7000'0000, .guest_pa = 0x4808'0000, .size = 5});
  const Blob blob = writer.finish();
  const Section_header section = header_of(blob).sections[static_cast<uint32_t>(Section::pristine)];
  ASSERT_EQ(section.count, 1U);
  Pristine_entry copy{};
  std::memcpy(&copy, blob.data() + section.offset, sizeof copy);
  EXPECT_EQ(copy.pa, 0x7000'0000U);
  EXPECT_EQ(copy.guest_pa, 0x4808'0000U);
  EXPECT_EQ(copy.size, 5U);
  EXPECT_EQ(copy.reserved, 0U);
  EXPECT_GE(header_of(blob).version, 5U);
}

TEST(BootInfoWriter, WritesSeedPlaceholders) {
  Boot_info_writer writer = sample_writer();
  writer.add(Guest_seed_entry{.partition = 0, .size = 64, .pa = 0x4808'1234});
  writer.add(Guest_seed_entry{.partition = 0, .size = 8, .pa = 0x4808'1280});
  const Blob blob = writer.finish();
  const Section_header section = header_of(blob).sections[static_cast<uint32_t>(Section::guest_seeds)];
  ASSERT_EQ(section.count, 2U);
  Guest_seed_entry seeds[2]{};
  std::memcpy(seeds, blob.data() + section.offset, sizeof seeds);
  EXPECT_EQ(seeds[0].pa, 0x4808'1234U);
  EXPECT_EQ(seeds[0].size, 64U);
  EXPECT_EQ(seeds[1].pa, 0x4808'1280U);
  EXPECT_EQ(seeds[1].size, 8U);
  EXPECT_GE(header_of(blob).version, 5U);
}
