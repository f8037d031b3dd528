// SPDX-License-Identifier: Apache-2.0
// Boot-info reader tests: a valid blob reads back, and every check rejects.
//
// Valid blobs come from the host's writer; each rejection breaks one thing
// (through the writer, or by patching bytes and fixing the checksum so that
// the check under test is the one that fails) and asserts the exact error,
// section and entry index. Most are rows of one table (BootInfoRejects);
// the blob-level ones that break bytes rather than fields are tests of
// their own.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <kestrel/abi/boot_info.hpp>
#include <kestrel/abi/limits.hpp>
#include <kestrel/boot_info.hpp>
#include <kestrel/crc32.hpp>
#include <kestrel/policy/boot_info_writer.hpp>

// Entries are written with designated initializers that leave the fields they
// do not name zero, on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

using namespace kestrel::abi;
using kestrel::Boot_info_error;
using kestrel::read_boot_info;
using kestrel::policy::Boot_info_writer;
using Blob = std::vector<uint8_t>;

namespace {

constexpr uint64_t ms = 1'000'000;  // in ns

// Two partitions: a guest VM with two vCPUs, and its native VMM, which holds
// the vCPUs' capabilities, serves the guest's fault endpoint and owns a UART
// interrupt. CPU 0 alternates between them; CPU 1 is the guest's alone.
Boot_info_writer valid_system() {
  Boot_info_writer writer;
  writer.set_system_name("demo");
  writer.platform() = {.cpu_count = 2,
                       .vmid_bits = 8,
                       .gic_distributor = 0x0800'0000,
                       .gic_redistributor = 0x080a'0000,
                       .uart = 0x0900'0000,
                       .hypervisor_timer_intid = 26,
                       .virtual_timer_intid = 27};
  writer.add(Memory_range{.base = 0x4000'0000, .size = 0x4000'0000});
  writer.add(Partition_entry{.name = writer.intern("guest"),
                             .vmid = 1,
                             .first_region = 0,
                             .region_count = 2,
                             .first_thread = 0,
                             .thread_count = 2,
                             .first_capability = 0,
                             .capability_count = 1,
                             .flags = partition_is_vm});
  writer.add(Partition_entry{.name = writer.intern("vmm"),
                             .vmid = 2,
                             .first_region = 2,
                             .region_count = 1,
                             .first_thread = 2,
                             .thread_count = 1,
                             .first_capability = 1,
                             .capability_count = 5});
  writer.add(Region_entry{.ipa = 0x4000'0000,
                          .pa = 0x4800'0000,
                          .size = 0x100'0000,
                          .attributes = region_read | region_write | region_execute,
                          .name = writer.intern("ram")});
  writer.add(Region_entry{.ipa = 0x0900'0000,
                          .pa = 0x0900'0000,
                          .size = 0x1000,
                          .attributes = region_read | region_write | region_device,
                          .name = writer.intern("uart")});
  writer.add(Region_entry{.ipa = 0x10'0000,
                          .pa = 0x4400'0000,
                          .size = 0x10'0000,
                          .attributes = region_read | region_write,
                          .name = writer.intern("ram")});
  for (uint32_t cpu = 0; cpu < 2; ++cpu) {
    writer.add(Thread_entry{.name = writer.intern("vcpu" + std::to_string(cpu)),
                            .partition = 0,
                            .entry = 0x4008'0000,
                            .stack_top = 0x4400'0000,
                            .priority = 100,
                            .cpu = cpu,
                            .flags = thread_vcpu,
                            .fault_endpoint = 0});
  }
  writer.add(Thread_entry{.name = writer.intern("main"),
                          .partition = 1,
                          .entry = 0x10'0000,
                          .stack_top = 0x20'0000,
                          .budget_ns = 2 * ms,
                          .period_ns = 10 * ms,
                          .priority = 200,
                          .cpu = 0,
                          .fault_endpoint = no_index});
  writer.add(Endpoint_entry{.name = writer.intern("guest-faults"), .server_partition = 1});
  writer.add(Notification_entry{.name = writer.intern("uart-rx"), .owner_partition = 1});
  writer.add(Irq_entry{.intid = 33, .notification = 0, .badge = 1, .partition = 1});
  const auto capability = [&](Capability_kind kind, uint32_t object, uint32_t rights, uint64_t badge = 0) {
    writer.add(
        Capability_entry{.kind = static_cast<uint32_t>(kind), .object = object, .rights = rights, .badge = badge});
  };
  capability(Capability_kind::endpoint, 0, right_send, 7);  // the guest's
  capability(Capability_kind::endpoint, 0, right_receive);  // the VMM's, from here on
  capability(Capability_kind::notification, 0, right_receive);
  capability(Capability_kind::irq, 0, right_control);
  capability(Capability_kind::vcpu, 0, right_control);
  capability(Capability_kind::vcpu, 1, right_control);
  writer.add(Window_entry{.partition = 0, .duration_ns = 6 * ms});
  writer.add(Window_entry{.partition = 1, .duration_ns = 4 * ms});
  writer.add(Window_entry{.partition = 0, .duration_ns = 10 * ms});
  writer.add(Cpu_plan_entry{.cpu = 0, .first_window = 0, .window_count = 2, .major_frame_ns = 10 * ms});
  writer.add(Cpu_plan_entry{
      .cpu = 1, .flags = cpu_exclusive, .first_window = 2, .window_count = 1, .major_frame_ns = 10 * ms});
  return writer;
}

// valid_system() plus measurements of both partitions and their digests.
Boot_info_writer measured_system() {
  Boot_info_writer writer = valid_system();
  writer.add(Measurement_entry{.partition = 0, .pa = 0x4800'0000, .size = 0x1234});
  writer.add(Measurement_entry{.partition = 0, .pa = 0x4820'0000, .size = 0x10});
  writer.add(Measurement_entry{.partition = 1, .pa = 0x4400'0000, .size = 0x10'0000});
  writer.add(Digest_entry{{1}});
  writer.add(Digest_entry{{2}});
  return writer;
}

// measured_system() with the guest restartable and a copy of its first
// measured range (0x1234 bytes at 0x4800'0000) in RAM nobody maps.
Boot_info_writer restartable_system() {
  Boot_info_writer writer = measured_system();
  writer.partition(0).flags |= partition_restartable;
  writer.add(Pristine_entry{.partition = 0, .pa = 0x7000'0000, .guest_pa = 0x4800'0000, .size = 0x1234});
  writer.add(Pristine_entry{.partition = 0, .pa = 0x7000'2000, .guest_pa = 0x4820'0008, .size = 0x8});
  return writer;
}

// measured_system() with the guest's two placeholders, an rng-seed (64
// bytes) and a kaslr-seed (8) one after the other in its first measured
// range: each property is its 12-byte header and its value.
Boot_info_writer seeded_system() {
  Boot_info_writer writer = measured_system();
  writer.add(Guest_seed_entry{.partition = 0, .size = 64, .pa = 0x4800'1000});
  writer.add(Guest_seed_entry{.partition = 0, .size = 8, .pa = 0x4800'1000 + 12 + 64});
  return writer;
}

// measured_system() as an image has it: the partitions' stage-2 table
// pages and the kernel objects area (in RAM, outside their memory).
Boot_info_writer kernel_memory_system() {
  Boot_info_writer writer = measured_system();
  writer.partition(0).table_pages = 3;
  writer.partition(1).table_pages = 2;
  writer.add(Kernel_memory_entry{
      .base = 0x4020'0000, .size = 0x3'1000, .table_pages = 5, .kernel_table_pages = 6, .stage2_input_bits = 39});
  return writer;
}

// valid_system() with a memory pool in the VMM's RAM (its capabilities 6
// and 7: the pool and a map_into the guest) and a map window in the guest
// above its RAM.
Boot_info_writer map_system() {
  Boot_info_writer writer = valid_system();
  writer.add(Memory_pool_entry{.partition = 1, .pa = 0x4408'0000, .pages = 8});
  writer.add(Map_window_entry{.partition = 0, .max_rights = map_read | map_write, .ipa = 0x5000'0000, .pages = 8});
  writer.add(Capability_entry{.kind = static_cast<uint32_t>(Capability_kind::memory_pool), .rights = right_control});
  writer.add(Capability_entry{.kind = static_cast<uint32_t>(Capability_kind::map_into), .rights = right_control});
  writer.partition(1).capability_count = 7;
  return writer;
}

Boot_info_header header_of(const Blob& blob) {
  Boot_info_header header;
  std::memcpy(&header, blob.data(), sizeof header);
  return header;
}

// `blob` with a correct checksum again after a test changed its bytes.
Blob resealed(Blob blob) {
  const uint32_t checksum = kestrel::boot_info_checksum(blob.data(), blob.size());
  std::memcpy(blob.data() + offsetof(Boot_info_header, checksum), &checksum, sizeof checksum);
  return blob;
}

// A valid blob with its header changed by `patch`, checksum fixed.
template <typename Patch>
Blob with_header(Patch patch) {
  Blob blob = valid_system().finish();
  Boot_info_header header = header_of(blob);
  patch(header);
  std::memcpy(blob.data(), &header, sizeof header);
  return resealed(std::move(blob));
}

Section_header& table(Boot_info_header& header, Section section) {
  return header.sections[static_cast<uint32_t>(section)];
}

testing::AssertionResult rejected_with(const uint8_t* data, size_t size, Boot_info_error error, Section section,
                                       uint32_t index) {
  const auto result = read_boot_info(data, size);
  if (result.ok()) return testing::AssertionFailure() << "accepted; expected \"" << kestrel::to_string(error) << '"';
  const auto& problem = result.problem();
  if (problem.error == error && problem.section == section && problem.index == index) {
    return testing::AssertionSuccess();
  }
  return testing::AssertionFailure() << "rejected with \"" << kestrel::to_string(problem.error) << "\" at "
                                     << kestrel::to_string(problem.section) << '[' << problem.index << "]; expected \""
                                     << kestrel::to_string(error) << "\" at " << kestrel::to_string(section) << '['
                                     << index << ']';
}

testing::AssertionResult rejected_with(const Blob& blob, Boot_info_error error, Section section = Section::count,
                                       uint32_t index = no_index) {
  return rejected_with(blob.data(), blob.size(), error, section, index);
}

testing::AssertionResult accepted(const Blob& blob) {
  const auto result = read_boot_info(blob.data(), blob.size());
  if (result.ok()) return testing::AssertionSuccess();
  return testing::AssertionFailure() << "rejected with \"" << kestrel::to_string(result.problem().error) << "\" at "
                                     << kestrel::to_string(result.problem().section) << '[' << result.problem().index
                                     << ']';
}

// Entries read back byte for byte as the writer was given them.
template <typename Entry>
bool same_entries(kestrel::Span<const Entry> read, std::span<const Entry> written) {
  return read.size() == written.size() && std::memcmp(read.data(), written.data(), read.size() * sizeof(Entry)) == 0;
}

}  // namespace

TEST(BootInfo, AcceptsValidSystemAndReadsItBack) {
  const Boot_info_writer writer = valid_system();
  const Blob blob = writer.finish();
  const auto result = read_boot_info(blob.data(), blob.size());
  ASSERT_TRUE(result.ok()) << kestrel::to_string(result.problem().error);
  const kestrel::Boot_info& info = result.info();

  EXPECT_STREQ(info.system_name(), "demo");
  EXPECT_EQ(info.header().total_size, blob.size());
  EXPECT_EQ(std::memcmp(&info.platform(), &writer.platform(), sizeof(Platform_entry)), 0);
  EXPECT_TRUE(same_entries(info.ram_ranges(), writer.ram_ranges()));
  EXPECT_TRUE(same_entries(info.partitions(), writer.partitions()));
  EXPECT_TRUE(same_entries(info.regions(), writer.regions()));
  EXPECT_TRUE(same_entries(info.threads(), writer.threads()));
  EXPECT_TRUE(same_entries(info.endpoints(), writer.endpoints()));
  EXPECT_TRUE(same_entries(info.notifications(), writer.notifications()));
  EXPECT_TRUE(same_entries(info.irqs(), writer.irqs()));
  EXPECT_TRUE(same_entries(info.capabilities(), writer.capabilities()));
  EXPECT_TRUE(same_entries(info.windows(), writer.windows()));
  EXPECT_TRUE(same_entries(info.cpu_plans(), writer.cpu_plans()));
  EXPECT_EQ(std::string(info.strings().data(), info.strings().size()), writer.strings());

  const Partition_entry& vmm = info.partitions()[1];
  EXPECT_STREQ(info.name(vmm.name), "vmm");
  ASSERT_EQ(info.threads_of(vmm).size(), 1U);
  EXPECT_STREQ(info.name(info.threads_of(vmm)[0].name), "main");
  EXPECT_EQ(info.regions_of(vmm)[0].pa, 0x4400'0000U);
  EXPECT_EQ(info.capabilities_of(vmm).size(), 5U);
  EXPECT_EQ(info.capabilities_of(vmm)[0].rights, right_receive);
  EXPECT_EQ(info.windows_of(info.cpu_plans()[0])[1].partition, 1U);
  EXPECT_STREQ(info.name(info.threads()[1].name), "vcpu1");
  EXPECT_STREQ(info.name(info.endpoints()[0].name), "guest-faults");
}

TEST(BootInfo, AcceptsMinimalSystem) {
  Boot_info_writer writer;
  writer.platform().cpu_count = 1;
  writer.platform().vmid_bits = 16;
  writer.platform().hypervisor_timer_intid = 26;
  writer.platform().virtual_timer_intid = 27;
  const Blob blob = writer.finish();
  const auto result = read_boot_info(blob.data(), blob.size());
  ASSERT_TRUE(result.ok()) << kestrel::to_string(result.problem().error);
  EXPECT_STREQ(result.info().system_name(), "");
  EXPECT_TRUE(result.info().partitions().empty());
}

TEST(BootInfo, AcceptsValuesAtTheLimits) {
  Boot_info_writer writer = valid_system();
  writer.partition(0).vmid = 255;
  writer.irq(0).intid = 1019;
  writer.add(Irq_entry{.intid = 32, .notification = 0, .partition = 1});
  writer.thread(2).priority = 255;
  writer.thread(2).budget_ns = writer.thread(2).period_ns;
  writer.thread(1).budget_ns = 5 * ms;  // with period 0: the spec only bounds budgets that have a period
  writer.endpoint(0).name = writer.intern(std::string(max_name_length, 'e'));
  writer.region(1).ipa = 0x4000'0000 + 0x100'0000;  // touches the guest's RAM without overlapping it
  EXPECT_TRUE(accepted(writer.finish()));

  writer.platform().vmid_bits = 16;
  writer.partition(0).vmid = 0xffff;
  writer.platform().cpu_count = max_cpus;
  EXPECT_TRUE(accepted(writer.finish()));
}

TEST(BootInfo, AcceptsSameIpaInDifferentPartitions) {
  Boot_info_writer writer = valid_system();
  writer.region(2).ipa = writer.region(0).ipa;
  EXPECT_TRUE(accepted(writer.finish()));
}

TEST(BootInfo, AcceptsEmptySectionAtAnyAlignedOffset) {
  Boot_info_writer writer;
  writer.platform() = valid_system().platform();
  const Blob blob = writer.finish();
  for (const uint32_t offset : {0U, 8U, static_cast<uint32_t>(blob.size()) & ~7U}) {
    Blob patched = blob;
    Boot_info_header header = header_of(patched);
    table(header, Section::irqs).offset = offset;
    std::memcpy(patched.data(), &header, sizeof header);
    EXPECT_TRUE(accepted(resealed(patched))) << "offset " << offset;
  }
}

TEST(BootInfo, NameOutsideTheTableIsEmpty) {
  const Blob blob = valid_system().finish();
  const auto result = read_boot_info(blob.data(), blob.size());
  ASSERT_TRUE(result.ok());
  EXPECT_STREQ(result.info().name(0), "");
  EXPECT_STREQ(result.info().name(0xffff'ffff), "");
}

TEST(BootInfo, AcceptsWritableAndExecutableWhereAllowed) {
  Boot_info_writer writer = valid_system();
  // The VMM's RAM, when the policy asked for it.
  writer.region(2).attributes = region_read | region_write | region_execute | region_write_execute;
  EXPECT_TRUE(accepted(writer.finish()));
  // The guest's RAM (region 0 of a VM) is writable and executable anyway.
  EXPECT_EQ(valid_system().region(0).attributes & region_write_execute, 0u);
  EXPECT_TRUE(accepted(valid_system().finish()));
}

TEST(BootInfo, AcceptsVmidsBeyond8BitsWith16BitVmids) {
  Boot_info_writer writer = valid_system();
  writer.partition(0).vmid = 256;
  writer.platform().vmid_bits = 16;
  EXPECT_TRUE(accepted(writer.finish()));
  writer.partition(0).vmid = 50'000;  // beyond the first window of the duplicate search
  writer.partition(1).vmid = 50'001;
  EXPECT_TRUE(accepted(writer.finish()));
}

TEST(BootInfo, AcceptsConsoleAndPowerCapabilitiesOfObjectZero) {
  for (const auto kind : {Capability_kind::console, Capability_kind::power}) {
    Boot_info_writer writer = valid_system();
    writer.capability(3).kind = static_cast<uint32_t>(kind);
    writer.capability(3).object = 0;
    const auto blob = writer.finish();
    EXPECT_TRUE(kestrel::read_boot_info(blob.data(), blob.size()).ok()) << static_cast<uint32_t>(kind);
  }
}

TEST(BootInfo, AcceptsMeasurementsAndReadsThemBack) {
  const auto blob = measured_system().finish();
  const auto result = kestrel::read_boot_info(blob.data(), blob.size());
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result.info().measurements().size(), 3u);
  EXPECT_EQ(result.info().measurements()[2].size, 0x10'0000u);
  ASSERT_EQ(result.info().digests().size(), 2u);
  EXPECT_EQ(result.info().digests()[1].sha256[0], 2u);
}

TEST(BootInfo, AcceptsPristineCopiesAndReadsThemBack) {
  const Blob blob = restartable_system().finish();
  const auto result = read_boot_info(blob.data(), blob.size());
  ASSERT_TRUE(result.ok()) << kestrel::to_string(result.problem().error);
  ASSERT_EQ(result.info().pristine().size(), 2u);
  EXPECT_EQ(result.info().pristine()[1].guest_pa, 0x4820'0008u);
}

// Boot-info from the policy compiler alone has no pristine copies yet; the
// image builder adds them.
TEST(BootInfo, AcceptsRestartableVmsWithoutCopiesBeforeTheImage) {
  Boot_info_writer compiled = valid_system();
  compiled.partition(0).flags |= partition_restartable;
  const Blob blob = compiled.finish();
  EXPECT_TRUE(read_boot_info(blob.data(), blob.size()).ok());
}

TEST(BootInfo, AcceptsStopSignalsToExistingNotificationsUpToBit63) {
  Boot_info_writer compiled = valid_system();
  compiled.add(Stop_signal_entry{0, 63});
  compiled.add(Stop_signal_entry{0, 0});
  compiled.partition(1).first_stop_signal = 0;
  compiled.partition(1).stop_signal_count = 2;
  const Blob blob = compiled.finish();
  const auto result = read_boot_info(blob.data(), blob.size());
  ASSERT_TRUE(result.ok()) << kestrel::to_string(result.problem().error);
  const auto signals = result.info().stop_signals_of(result.info().partitions()[1]);
  ASSERT_EQ(signals.size(), 2u);
  EXPECT_EQ(signals[0].bit, 63u);
  EXPECT_EQ(signals[1].bit, 0u);
}

// A VM's doorbells: one signalling a notification, one dropping the write.
TEST(BootInfo, AcceptsAVmsGuestDoorbellsAndReadsThemBack) {
  Boot_info_writer compiled = valid_system();
  compiled.add(Guest_doorbell_entry{.ipa = 0x0a00'0050, .badge = uint64_t{1} << 32, .notification = 0});
  compiled.add(Guest_doorbell_entry{.ipa = 0x0a00'0064, .badge = 0, .notification = no_index});
  compiled.partition(0).guest_doorbell_count = 2;
  const Blob blob = compiled.finish();
  const auto result = read_boot_info(blob.data(), blob.size());
  ASSERT_TRUE(result.ok()) << kestrel::to_string(result.problem().error);
  const auto doorbells = result.info().guest_doorbells_of(result.info().partitions()[0]);
  ASSERT_EQ(doorbells.size(), 2u);
  EXPECT_EQ(doorbells[0].ipa, 0x0a00'0050u);
  EXPECT_EQ(doorbells[1].notification, no_index);
  EXPECT_TRUE(result.info().guest_doorbells_of(result.info().partitions()[1]).empty());
}

TEST(BootInfo, AcceptsMemoryPoolsAndMapWindowsAndReadsThemBack) {
  const Blob blob = map_system().finish();
  const auto result = read_boot_info(blob.data(), blob.size());
  ASSERT_TRUE(result.ok()) << kestrel::to_string(result.problem().error);
  ASSERT_EQ(result.info().memory_pools().size(), 1u);
  EXPECT_EQ(result.info().memory_pools()[0].pa, 0x4408'0000u);
  ASSERT_EQ(result.info().map_windows().size(), 1u);
  EXPECT_EQ(result.info().map_windows()[0].ipa, 0x5000'0000u);
  EXPECT_EQ(map_bitmap_words(result.info().map_windows()[0]), 1u);
}

TEST(BootInfo, AcceptsKernelMemoryAndReadsItBack) {
  const Blob blob = kernel_memory_system().finish();
  const auto result = read_boot_info(blob.data(), blob.size());
  ASSERT_TRUE(result.ok()) << kestrel::to_string(result.problem().error);
  ASSERT_EQ(result.info().kernel_memory().size(), 1u);
  EXPECT_EQ(result.info().kernel_memory()[0].base, 0x4020'0000u);
  EXPECT_EQ(result.info().partitions()[0].table_pages, 3u);
}

TEST(BootInfo, AcceptsSeedPlaceholdersAndReadsThemBack) {
  const Blob blob = seeded_system().finish();
  const auto result = read_boot_info(blob.data(), blob.size());
  ASSERT_TRUE(result.ok()) << kestrel::to_string(result.problem().error);
  ASSERT_EQ(result.info().guest_seeds().size(), 2u);
  EXPECT_EQ(result.info().guest_seeds()[1].pa, 0x4800'104cu);
  EXPECT_EQ(result.info().guest_seeds()[1].size, 8u);
  EXPECT_EQ(guest_seed_property_size(result.info().guest_seeds()[0]), 76u);
  EXPECT_EQ(guest_seed_property_size(Guest_seed_entry{.size = 5}), 20u) << "the value padded to 4 bytes";
}

TEST(BootInfo, AcceptsSeedsEndingWhereTheMeasuredRangeEnds) {
  Boot_info_writer writer = seeded_system();
  writer.add(Guest_seed_entry{.partition = 0, .size = 8, .pa = 0x4800'1234 - 20});
  const Blob just_inside = writer.finish();
  EXPECT_TRUE(read_boot_info(just_inside.data(), just_inside.size()).ok());
}

TEST(BootInfo, AcceptsSeedsRightAfterTheOneBefore) {
  Boot_info_writer writer = seeded_system();
  writer.add(Guest_seed_entry{.partition = 0, .size = 8, .pa = 0x4800'1000 + 12 + 64 + 20});
  const Blob adjacent = writer.finish();
  EXPECT_TRUE(read_boot_info(adjacent.data(), adjacent.size()).ok());
}

// Breaking the blob's bytes rather than one field.

TEST(BootInfo, RejectsTruncated) {
  const Blob blob = valid_system().finish();
  for (const size_t size : {size_t{0}, size_t{1}, size_t{8}, sizeof(Boot_info_header) - 1}) {
    EXPECT_TRUE(rejected_with(blob.data(), size, Boot_info_error::truncated, Section::count, no_index))
        << size << " bytes";
  }
}

TEST(BootInfo, RejectsOversized) {
  Blob blob = valid_system().finish();
  blob.resize(size_t{boot_info_max_size} + 8, 0);
  Boot_info_header header = header_of(blob);
  header.total_size = static_cast<uint32_t>(blob.size());
  std::memcpy(blob.data(), &header, sizeof header);
  EXPECT_TRUE(rejected_with(resealed(blob), Boot_info_error::too_large));
  EXPECT_TRUE(
      rejected_with(blob.data(), size_t{boot_info_max_size} + 1, Boot_info_error::too_large, Section::count, no_index));
}

TEST(BootInfo, RejectsMisalignedData) {
  const Blob blob = valid_system().finish();
  Blob buffer(blob.size() + 8);
  for (const size_t shift : {1, 4}) {
    std::memcpy(buffer.data() + shift, blob.data(), blob.size());
    EXPECT_TRUE(
        rejected_with(buffer.data() + shift, blob.size(), Boot_info_error::misaligned_data, Section::count, no_index))
        << "shifted by " << shift;
  }
}

TEST(BootInfo, RejectsSizeMismatch) {
  const Blob blob = valid_system().finish();
  Blob longer = blob;
  longer.resize(blob.size() + 8, 0);
  EXPECT_TRUE(rejected_with(longer, Boot_info_error::size_mismatch));
  EXPECT_TRUE(rejected_with(blob.data(), blob.size() - 1, Boot_info_error::size_mismatch, Section::count, no_index));
}

TEST(BootInfo, RejectsWrongChecksum) {
  const Blob blob = valid_system().finish();
  for (const size_t position :
       {sizeof(Boot_info_header), sizeof(Boot_info_header) + 1, blob.size() / 2, blob.size() - 2, blob.size() - 1}) {
    Blob corrupted = blob;
    corrupted[position] ^= 0x20;
    EXPECT_TRUE(rejected_with(corrupted, Boot_info_error::bad_checksum)) << "byte " << position;
  }
  Blob wrong_field = blob;
  wrong_field[offsetof(Boot_info_header, checksum)] ^= 1;
  EXPECT_TRUE(rejected_with(wrong_field, Boot_info_error::bad_checksum));
}

TEST(BootInfo, RejectsWrongEntrySize) {
  for (uint32_t s = 0; s < section_count; ++s) {
    const auto section = static_cast<Section>(s);
    EXPECT_TRUE(rejected_with(with_header([&](auto& h) { table(h, section).entry_size += 1; }),
                              Boot_info_error::wrong_entry_size, section))
        << kestrel::to_string(section);
  }
}

TEST(BootInfo, RejectsUnterminatedStringTable) {
  Blob blob = valid_system().finish();
  blob.back() = 'x';
  EXPECT_TRUE(rejected_with(resealed(blob), Boot_info_error::strings_unterminated, Section::strings));
}

TEST(BootInfo, EveryErrorHasItsOwnText) {
  const auto last = static_cast<uint32_t>(Boot_info_error::guest_doorbell_invalid);
  std::set<std::string> texts;
  for (uint32_t e = 0; e <= last; ++e) {
    const std::string text = kestrel::to_string(static_cast<Boot_info_error>(e));
    EXPECT_FALSE(text.empty());
    EXPECT_NE(text, "unknown error") << e;
    texts.insert(text);
  }
  EXPECT_EQ(texts.size(), last + 1) << "two errors share a text";
  EXPECT_STREQ(kestrel::to_string(static_cast<Boot_info_error>(last + 1)), "unknown error");
  EXPECT_STREQ(kestrel::to_string(Section::cpu_plans), "cpu_plans");
  EXPECT_STREQ(kestrel::to_string(Section::count), "header");
}

// One field broken at a time.

namespace {

// Where a rejection is reported: an entry of a section, or the blob as a
// whole (Section::count, no_index).
struct Where {
  Section section = Section::count;
  uint32_t index = no_index;
};

// A valid system with one field broken through the writer, and the
// rejection that must follow.
struct Broken_field {
  const char* name;
  void (*mutate)(Boot_info_writer&);
  Boot_info_error error;
  Where where = {};
  Boot_info_writer (*system)() = valid_system;  // the valid system to break
};

// A valid blob with one field of its header broken (checksum fixed).
struct Broken_header {
  const char* name;
  void (*patch)(Boot_info_header&);
  Boot_info_error error;
  Section section = Section::count;
};

void PrintTo(const Broken_field& broken, std::ostream* out) { *out << broken.name; }
void PrintTo(const Broken_header& broken, std::ostream* out) { *out << broken.name; }

using W = Boot_info_writer&;
using H = Boot_info_header&;
using enum Boot_info_error;

const Broken_header broken_headers[] = {
    // The header.
    {"WrongMagic", [](H h) { h.magic ^= 1; }, bad_magic},
    {"Version0", [](H h) { h.version = 0; }, bad_version},
    // Version 1 had no measurements, version 4 no seed placeholders.
    {"Version1", [](H h) { h.version = 1; }, bad_version},
    {"Version4", [](H h) { h.version = 4; }, bad_version},
    {"NextVersion", [](H h) { h.version = boot_info_version + 1; }, bad_version},
    {"WrongHeaderSize", [](H h) { h.header_size += 8; }, bad_header_size},
    {"TotalSizeShort", [](H h) { h.total_size -= 8; }, size_mismatch},

    // The section table.
    {"MisalignedSection", [](H h) { table(h, Section::regions).offset += 4; }, section_misaligned, Section::regions},
    {"SectionPastTheEnd", [](H h) { table(h, Section::strings).offset += 8; }, section_out_of_bounds, Section::strings},
    {"SectionCountHuge", [](H h) { table(h, Section::threads).count = 0xffff'ffff; }, section_out_of_bounds,
     Section::threads},
    {"SectionOffsetWraps", [](H h) { table(h, Section::ram_ranges).offset = 0xffff'fff8; }, section_out_of_bounds,
     Section::ram_ranges},
    {"SectionOverlapsHeader", [](H h) { table(h, Section::partitions).offset = 8; }, section_overlaps_header,
     Section::partitions},
    {"SectionsOverlap", [](H h) { table(h, Section::threads).offset = table(h, Section::regions).offset + 8; },
     sections_overlap, Section::threads},
    {"SectionsAtTheSameOffset", [](H h) { table(h, Section::ram_ranges).offset = table(h, Section::cpu_plans).offset; },
     sections_overlap, Section::cpu_plans},

    // Strings and names.
    {"EmptyStringTable", [](H h) { table(h, Section::strings).count = 0; }, strings_empty, Section::strings},
    {"SystemNameOutOfBounds", [](H h) { h.system_name = static_cast<uint32_t>(valid_system().strings().size()); },
     name_out_of_bounds},
};

const Broken_field broken_fields[] = {
    // Sections with more entries than the kernel reads.
    {"TooManyRamRanges",
     [](W w) {
       for (uint32_t i = 1; i <= max_ram_ranges; ++i) w.add(Memory_range{.base = uint64_t{i} << 32, .size = 0x1000});
     },
     too_many_entries,
     {Section::ram_ranges}},
    {"TooManyIrqs",
     [](W w) {
       for (uint32_t i = 1; i <= max_irqs; ++i) w.add(Irq_entry{.intid = 33 + i, .notification = 0, .partition = 1});
     },
     too_many_entries,
     {Section::irqs}},

    // The platform.
    {"NoCpus", [](W w) { w.platform().cpu_count = 0; }, bad_cpu_count},
    {"TooManyCpus", [](W w) { w.platform().cpu_count = max_cpus + 1; }, bad_cpu_count},
    {"VmidBits0", [](W w) { w.platform().vmid_bits = 0; }, bad_vmid_bits},
    {"VmidBits12", [](W w) { w.platform().vmid_bits = 12; }, bad_vmid_bits},
    {"VmidBits32", [](W w) { w.platform().vmid_bits = 32; }, bad_vmid_bits},
    {"HypervisorTimerIsAnSgi", [](W w) { w.platform().hypervisor_timer_intid = 15; }, bad_timer_intid},
    {"HypervisorTimerIsAnSpi", [](W w) { w.platform().hypervisor_timer_intid = 32; }, bad_timer_intid},
    {"VirtualTimerIsAnSpi", [](W w) { w.platform().virtual_timer_intid = 40; }, bad_timer_intid},
    {"PartitionNameOutOfBounds",
     [](W w) { w.partition(1).name = static_cast<uint32_t>(w.strings().size()); },
     name_out_of_bounds,
     {Section::partitions, 1}},
    {"RegionNameOutOfBounds", [](W w) { w.region(2).name = 0xffff'ffff; }, name_out_of_bounds, {Section::regions, 2}},
    {"ThreadNameOutOfBounds",
     [](W w) { w.thread(1).name = static_cast<uint32_t>(w.strings().size()) + 100; },
     name_out_of_bounds,
     {Section::threads, 1}},
    {"EndpointNameOutOfBounds",
     [](W w) { w.endpoint(0).name = static_cast<uint32_t>(w.strings().size()); },
     name_out_of_bounds,
     {Section::endpoints, 0}},
    {"NotificationNameOutOfBounds",
     [](W w) { w.notification(0).name = static_cast<uint32_t>(w.strings().size()); },
     name_out_of_bounds,
     {Section::notifications, 0}},
    {"NameTooLong",
     [](W w) { w.notification(0).name = w.intern(std::string(max_name_length + 1, 'n')); },
     name_too_long,
     {Section::notifications, 0}},

    // RAM ranges and regions.
    {"RamRangeMisaligned", [](W w) { w.ram_range(0).base += 0x800; }, address_misaligned, {Section::ram_ranges, 0}},
    {"RamRangeEmpty", [](W w) { w.ram_range(0).size = 0; }, size_zero, {Section::ram_ranges, 0}},
    {"RamRangeWraps",
     [](W w) {
       w.ram_range(0).base = 0xffff'ffff'ffff'f000;
       w.ram_range(0).size = 0x2000;
     },
     address_overflow,
     {Section::ram_ranges, 0}},
    {"RegionIpaMisaligned", [](W w) { w.region(1).ipa += 0x10; }, address_misaligned, {Section::regions, 1}},
    {"RegionPaMisaligned", [](W w) { w.region(1).pa += 0x800; }, address_misaligned, {Section::regions, 1}},
    {"RegionSizeMisaligned", [](W w) { w.region(1).size += 1; }, address_misaligned, {Section::regions, 1}},
    {"NativeRegionWritableAndExecutable",
     [](W w) { w.region(2).attributes = region_read | region_write | region_execute; },
     writable_and_executable,
     {Section::regions, 2}},
    {"RegionEmpty", [](W w) { w.region(2).size = 0; }, size_zero, {Section::regions, 2}},
    {"RegionIpaWraps", [](W w) { w.region(2).ipa = 0xffff'ffff'fff0'0000; }, address_overflow, {Section::regions, 2}},
    {"RegionPaWraps", [](W w) { w.region(2).pa = 0xffff'ffff'ffff'f000; }, address_overflow, {Section::regions, 2}},
    {"UnknownRegionAttributes", [](W w) { w.region(0).attributes |= 1U << 8; }, unknown_flags, {Section::regions, 0}},
    {"RegionOverlapsTheEndOfTheOneBefore",
     [](W w) { w.region(1).ipa = w.region(0).ipa + w.region(0).size - 0x1000; },
     region_ipa_overlap,
     {Section::regions, 1}},
    {"RegionOverlapsTheStartOfTheOneBefore",
     [](W w) {
       w.region(1).ipa = w.region(0).ipa - 0x1000;
       w.region(1).size = 0x2000;
     },
     region_ipa_overlap,
     {Section::regions, 1}},

    // Partitions.
    {"UnknownPartitionFlags", [](W w) { w.partition(1).flags = 1U << 3; }, unknown_flags, {Section::partitions, 1}},
    // The stop signal: a notification that exists, a bit of a 64-bit word.
    {"StopSignalNotificationOutOfRange",
     [](W w) {
       w.add(Stop_signal_entry{50, 0});
       w.partition(1).stop_signal_count = 1;
     },
     stop_signal_invalid,
     {Section::partitions, 1}},
    {"StopSignalBitAbove63",
     [](W w) {
       w.add(Stop_signal_entry{0, 64});
       w.partition(1).stop_signal_count = 1;
     },
     stop_signal_invalid,
     {Section::partitions, 1}},
    {"StopSignalsOutsideTheirSection",
     [](W w) {
       w.add(Stop_signal_entry{0, 1});
       w.partition(1).first_stop_signal = 1;
       w.partition(1).stop_signal_count = 1;
     },
     stop_signal_invalid,
     {Section::partitions, 1}},
    // Guest doorbells: inside their section, sorted by address, each at a
    // notification that exists (or none).
    {"GuestDoorbellsOutsideTheirSection",
     [](W w) {
       w.add(Guest_doorbell_entry{.ipa = 0x0a00'0050, .badge = 1, .notification = 0});
       w.partition(0).first_guest_doorbell = 1;
       w.partition(0).guest_doorbell_count = 1;
     },
     guest_doorbell_invalid,
     {Section::partitions, 0}},
    {"GuestDoorbellNotificationOutOfRange",
     [](W w) {
       w.add(Guest_doorbell_entry{.ipa = 0x0a00'0050, .badge = 1, .notification = 50});
       w.partition(0).guest_doorbell_count = 1;
     },
     guest_doorbell_invalid,
     {Section::partitions, 0}},
    {"GuestDoorbellsUnsorted",
     [](W w) {
       w.add(Guest_doorbell_entry{.ipa = 0x0a00'0064, .badge = 0, .notification = no_index});
       w.add(Guest_doorbell_entry{.ipa = 0x0a00'0050, .badge = 1, .notification = 0});
       w.partition(0).guest_doorbell_count = 2;
     },
     guest_doorbell_invalid,
     {Section::partitions, 0}},
    {"GuestDoorbellTwice",
     [](W w) {
       w.add(Guest_doorbell_entry{.ipa = 0x0a00'0050, .badge = 1, .notification = 0});
       w.add(Guest_doorbell_entry{.ipa = 0x0a00'0050, .badge = 2, .notification = 0});
       w.partition(0).guest_doorbell_count = 2;
     },
     guest_doorbell_invalid,
     {Section::partitions, 0}},
    {"TooManyGuestDoorbells",
     [](W w) {
       for (uint64_t i = 0; i <= kestrel::abi::max_guest_doorbells_per_partition; ++i)
         w.add(Guest_doorbell_entry{.ipa = 0x0a00'0000 + 4 * i, .badge = 0, .notification = no_index});
       w.partition(0).guest_doorbell_count = kestrel::abi::max_guest_doorbells_per_partition + 1;
     },
     guest_doorbell_invalid,
     {Section::partitions, 0}},
    {"VmidZero", [](W w) { w.partition(1).vmid = 0; }, vmid_zero, {Section::partitions, 1}},
    {"VmidTooLargeFor8Bits", [](W w) { w.partition(0).vmid = 256; }, vmid_too_large, {Section::partitions, 0}},
    {"VmidTooLargeFor16Bits",
     [](W w) {
       w.platform().vmid_bits = 16;
       w.partition(0).vmid = 0x1'0000;
     },
     vmid_too_large,
     {Section::partitions, 0}},
    {"DuplicateVmid", [](W w) { w.partition(1).vmid = w.partition(0).vmid; }, vmid_duplicate, {Section::partitions, 1}},
    {"DuplicateVmidBeyondTheFirstSearchWindow",
     [](W w) {
       w.platform().vmid_bits = 16;
       w.partition(0).vmid = 50'000;
       w.partition(1).vmid = 50'000;
     },
     vmid_duplicate,
     {Section::partitions, 1}},
    {"RegionRangePastItsSection",
     [](W w) { w.partition(1).region_count = 2; },
     region_range_invalid,
     {Section::partitions, 1}},
    {"RegionRangeWraps",
     [](W w) { w.partition(1).first_region = 0xffff'ffff; },
     region_range_invalid,
     {Section::partitions, 1}},
    {"ThreadRangePastItsSection",
     [](W w) { w.partition(1).first_thread = 3; },
     thread_range_invalid,
     {Section::partitions, 1}},
    {"CapabilityRangePastItsSection",
     [](W w) { w.partition(1).capability_count = 6; },
     capability_range_invalid,
     {Section::partitions, 1}},
    {"TooManyRegionsInAPartition",
     [](W w) {
       w.partition(1).region_count = max_regions_per_partition + 1;
       for (uint32_t i = 1; i <= max_regions_per_partition; ++i) {
         w.add(Region_entry{.ipa = 0x10'0000 + uint64_t{i} * 0x10'0000, .pa = 0x4400'0000, .size = 0x1000});
       }
     },
     too_many_regions,
     {Section::partitions, 1}},
    {"TooManyThreadsInAPartition",
     [](W w) {
       w.partition(1).thread_count = max_threads_per_partition + 1;
       const Thread_entry vmm_thread = w.threads()[2];
       for (uint32_t i = 1; i <= max_threads_per_partition; ++i) w.add(vmm_thread);
     },
     too_many_threads,
     {Section::partitions, 1}},
    {"TooManyCapabilitiesInAPartition",
     [](W w) {
       w.partition(1).capability_count = max_capabilities_per_partition + 1;
       const uint32_t missing = max_capabilities_per_partition + 1 - 5;
       const Capability_entry vmm_capability = w.capabilities()[1];
       for (uint32_t i = 0; i < missing; ++i) w.add(vmm_capability);
     },
     too_many_capabilities,
     {Section::partitions, 1}},

    // Threads.
    {"ThreadPartitionInvalid", [](W w) { w.thread(2).partition = 2; }, partition_index_invalid, {Section::threads, 2}},
    {"ThreadOutsideItsPartitionsRange",
     [](W w) { w.thread(2).partition = 0; },
     thread_partition_mismatch,
     {Section::threads, 2}},
    {"ThreadInNoPartitionsRange",
     [](W w) {
       const Thread_entry stray = w.threads()[2];
       w.add(stray);
     },
     thread_partition_mismatch,
     {Section::threads, 3}},
    {"PartitionRangeHoldsAnotherPartitionsThread",
     [](W w) {
       w.partition(1).first_thread = 1;
       w.partition(1).thread_count = 2;
     },
     thread_partition_mismatch,
     {Section::threads, 1}},
    {"PriorityTooHigh", [](W w) { w.thread(2).priority = 256; }, priority_too_high, {Section::threads, 2}},
    {"ThreadCpuOutOfRange", [](W w) { w.thread(1).cpu = 2; }, cpu_out_of_range, {Section::threads, 1}},
    {"FaultEndpointInvalid",
     [](W w) { w.thread(0).fault_endpoint = 1; },
     fault_endpoint_invalid,
     {Section::threads, 0}},
    {"BudgetExceedsPeriod",
     [](W w) { w.thread(2).budget_ns = w.thread(2).period_ns + 1; },
     budget_exceeds_period,
     {Section::threads, 2}},
    {"UnknownThreadFlags", [](W w) { w.thread(2).flags = 1U << 2; }, unknown_flags, {Section::threads, 2}},

    // Endpoints, notifications and IRQs.
    {"EndpointPartitionInvalid",
     [](W w) { w.endpoint(0).server_partition = 2; },
     partition_index_invalid,
     {Section::endpoints, 0}},
    {"NotificationPartitionInvalid",
     [](W w) { w.notification(0).owner_partition = no_index; },
     partition_index_invalid,
     {Section::notifications, 0}},
    {"IrqIntid0", [](W w) { w.irq(0).intid = 0; }, intid_out_of_range, {Section::irqs, 0}},
    {"IrqIntid31", [](W w) { w.irq(0).intid = 31; }, intid_out_of_range, {Section::irqs, 0}},
    {"IrqIntid1020", [](W w) { w.irq(0).intid = 1020; }, intid_out_of_range, {Section::irqs, 0}},
    {"IrqIntid1023", [](W w) { w.irq(0).intid = 1023; }, intid_out_of_range, {Section::irqs, 0}},
    {"IrqNotificationInvalid", [](W w) { w.irq(0).notification = 1; }, notification_index_invalid, {Section::irqs, 0}},
    {"IrqPartitionInvalid", [](W w) { w.irq(0).partition = 2; }, partition_index_invalid, {Section::irqs, 0}},
    {"IntidBoundTwice",
     [](W w) {
       w.add(Irq_entry{.intid = 40, .notification = 0, .partition = 1});
       w.add(Irq_entry{.intid = 33, .notification = 0, .partition = 1});
     },
     intid_duplicate,
     {Section::irqs, 2}},

    // Capabilities (1..5 are the VMM's: endpoint 0, notification 0, IRQ 0, thread 0, thread 1).
    {"CapabilityKind0", [](W w) { w.capability(3).kind = 0; }, capability_kind_invalid, {Section::capabilities, 3}},
    {"CapabilityKind9", [](W w) { w.capability(3).kind = 9; }, capability_kind_invalid, {Section::capabilities, 3}},
    {"ConsoleCapabilityToObject1",
     [](W w) {
       w.capability(3).kind = static_cast<uint32_t>(Capability_kind::console);
       w.capability(3).object = 1;
     },
     capability_object_invalid,
     {Section::capabilities, 3}},
    {"PowerCapabilityToObject2",
     [](W w) {
       w.capability(3).kind = static_cast<uint32_t>(Capability_kind::power);
       w.capability(3).object = 2;
     },
     capability_object_invalid,
     {Section::capabilities, 3}},
    {"EndpointCapabilityObjectOutOfRange",
     [](W w) { w.capability(1).object = 1; },
     capability_object_invalid,
     {Section::capabilities, 1}},
    {"NotificationCapabilityObjectOutOfRange",
     [](W w) { w.capability(2).object = 1; },
     capability_object_invalid,
     {Section::capabilities, 2}},
    {"IrqCapabilityObjectOutOfRange",
     [](W w) { w.capability(3).object = 1; },
     capability_object_invalid,
     {Section::capabilities, 3}},
    {"VcpuCapabilityObjectOutOfRange",
     [](W w) { w.capability(4).object = 3; },
     capability_object_invalid,
     {Section::capabilities, 4}},
    {"VcpuCapabilityToANativeThread",
     [](W w) { w.capability(5).object = 2; },
     capability_object_not_vcpu,
     {Section::capabilities, 5}},
    {"UnknownRights", [](W w) { w.capability(0).rights |= 1U << 4; }, unknown_rights, {Section::capabilities, 0}},

    // Windows and CPU plans.
    {"WindowPartitionInvalid", [](W w) { w.window(1).partition = 2; }, partition_index_invalid, {Section::windows, 1}},
    {"CpuPlanForMissingCpu", [](W w) { w.cpu_plan(1).cpu = 2; }, cpu_out_of_range, {Section::cpu_plans, 1}},
    {"TwoPlansForOneCpu", [](W w) { w.cpu_plan(1).cpu = 0; }, cpu_plan_duplicate, {Section::cpu_plans, 1}},
    {"PlanWithoutWindows", [](W w) { w.cpu_plan(1).window_count = 0; }, no_windows, {Section::cpu_plans, 1}},
    {"WindowRangePastItsSection",
     [](W w) { w.cpu_plan(1).window_count = 2; },
     window_range_invalid,
     {Section::cpu_plans, 1}},
    {"WindowRangeWraps",
     [](W w) { w.cpu_plan(0).first_window = 0xffff'ffff; },
     window_range_invalid,
     {Section::cpu_plans, 0}},
    {"TooManyWindows",
     [](W w) {
       w.cpu_plan(1).window_count = max_windows_per_cpu + 1;
       for (uint32_t i = 0; i < max_windows_per_cpu; ++i) w.add(Window_entry{.partition = 0, .duration_ns = 1});
     },
     too_many_windows,
     {Section::cpu_plans, 1}},
    {"MajorFrameMismatch",
     [](W w) { w.cpu_plan(0).major_frame_ns -= 1; },
     major_frame_mismatch,
     {Section::cpu_plans, 0}},
    {"MajorFrameOverflow",
     [](W w) { w.window(0).duration_ns = UINT64_MAX; },
     major_frame_overflow,
     {Section::cpu_plans, 0}},
    {"UnknownCpuPlanFlags", [](W w) { w.cpu_plan(0).flags = 1U << 1; }, unknown_flags, {Section::cpu_plans, 0}},

    // Measurements and digests.
    {"MeasurementOfAnotherPartitionsRam",
     [](W w) { w.add(Measurement_entry{.partition = 1, .pa = 0x4800'0000, .size = 0x1000}); },
     measurement_outside_regions,
     {Section::measurements, 3},
     measured_system},
    {"MeasurementRunsPastItsRegion",
     [](W w) { w.add(Measurement_entry{.partition = 1, .pa = 0x440f'f000, .size = 0x2000}); },
     measurement_outside_regions,
     {Section::measurements, 3},
     measured_system},
    {"MeasurementWraps",
     [](W w) { w.add(Measurement_entry{.partition = 1, .pa = 0xffff'ffff'ffff'f000, .size = 0x2000}); },
     address_overflow,
     {Section::measurements, 3},
     measured_system},
    {"MeasurementEmpty",
     [](W w) { w.add(Measurement_entry{.partition = 1, .pa = 0x4400'0000, .size = 0}); },
     size_zero,
     {Section::measurements, 3},
     measured_system},
    {"MeasurementPartitionInvalid",
     [](W w) { w.add(Measurement_entry{.partition = 2, .pa = 0x4400'0000, .size = 1}); },
     partition_index_invalid,
     {Section::measurements, 3},
     measured_system},
    {"MeasurementsUnsorted",
     [](W w) { w.add(Measurement_entry{.partition = 0, .pa = 0x4800'0000, .size = 1}); },
     measurements_unsorted,
     {Section::measurements, 3},
     measured_system},
    {"MeasurementWithoutDigest",
     [](W w) { w.add(Measurement_entry{.partition = 0, .pa = 0x4800'0000, .size = 1}); },
     digest_count_invalid,
     {Section::digests}},
    {"DigestWithoutMeasurement",
     [](W w) { w.add(Digest_entry{{3}}); },
     digest_count_invalid,
     {Section::digests},
     measured_system},

    // Restartable VMs and their pristine copies.
    {"RestartableNativePartition",
     [](W w) { w.partition(1).flags = partition_restartable; },
     restartable_not_vm,
     {Section::partitions, 1},
     restartable_system},
    // An image's boot-info; the policy compiler's alone has no copies yet (accepted below).
    {"RestartableVmWithoutCopies",
     [](W w) { w.partition(0).flags |= partition_restartable; },
     restartable_without_pristine,
     {Section::partitions, 0},
     measured_system},
    {"CopiesWithoutDigests",
     [](W w) {
       w.partition(0).flags |= partition_restartable;
       w.add(Pristine_entry{.partition = 0, .pa = 0x7000'0000, .guest_pa = 0x4800'0000, .size = 1});
     },
     digest_count_invalid,
     {Section::digests}},
    {"CopyOfAPartitionNotRestartable",
     [](W w) { w.add(Pristine_entry{.partition = 1, .pa = 0x7001'0000, .guest_pa = 0x4400'0000, .size = 1}); },
     pristine_not_restartable,
     {Section::pristine, 2},
     restartable_system},
    {"CopyPartitionInvalid",
     [](W w) { w.add(Pristine_entry{.partition = 2, .pa = 0x7001'0000, .guest_pa = 0x4400'0000, .size = 1}); },
     partition_index_invalid,
     {Section::pristine, 2},
     restartable_system},
    {"CopyPastTheMeasuredRange",
     [](W w) { w.add(Pristine_entry{.partition = 0, .pa = 0x7001'0000, .guest_pa = 0x4800'1000, .size = 0x1000}); },
     pristine_outside_measurements,
     {Section::pristine, 2},
     restartable_system},
    {"CopyEmpty",
     [](W w) { w.add(Pristine_entry{.partition = 0, .pa = 0x7001'0000, .guest_pa = 0x4800'0000, .size = 0}); },
     size_zero,
     {Section::pristine, 2},
     restartable_system},
    {"CopyWraps",
     [](W w) {
       w.add(Pristine_entry{.partition = 0, .pa = 0xffff'ffff'ffff'f000, .guest_pa = 0x4800'0000, .size = 0x10});
     },
     address_overflow,
     {Section::pristine, 2},
     restartable_system},
    {"CopyOutsideRam",
     [](W w) { w.add(Pristine_entry{.partition = 0, .pa = 0x8000'0000, .guest_pa = 0x4800'0000, .size = 0x10}); },
     pristine_outside_ram,
     {Section::pristine, 2},
     restartable_system},
    {"CopyEndingPastRam",
     [](W w) { w.add(Pristine_entry{.partition = 0, .pa = 0x7fff'f000, .guest_pa = 0x4800'0000, .size = 0x1001}); },
     pristine_outside_ram,
     {Section::pristine, 2},
     restartable_system},
    {"CopyMisaligned",
     [](W w) { w.add(Pristine_entry{.partition = 0, .pa = 0x7001'0008, .guest_pa = 0x4800'0000, .size = 0x10}); },
     pristine_misaligned,
     {Section::pristine, 2},
     restartable_system},
    {"CopiesUnsorted",
     [](W w) { w.add(Pristine_entry{.partition = 0, .pa = 0x6000'0000, .guest_pa = 0x4800'0000, .size = 0x10}); },
     pristine_unsorted,
     {Section::pristine, 2},
     restartable_system},
    {"CopiesSharingAPage",
     [](W w) { w.add(Pristine_entry{.partition = 0, .pa = 0x7000'2000, .guest_pa = 0x4800'0000, .size = 0x10}); },
     pristine_unsorted,
     {Section::pristine, 2},
     restartable_system},
    {"CopyInAnotherPartitionsMemory",
     [](W w) {
       w.partition(0).flags |= partition_restartable;
       w.add(Pristine_entry{.partition = 0, .pa = 0x440f'f000, .guest_pa = 0x4800'0000, .size = 0x10});
     },
     pristine_overlaps_partition,
     {Section::pristine, 0},
     measured_system},
    {"CopyInItsOwnGuestRam",
     [](W w) {
       w.partition(0).flags |= partition_restartable;
       w.add(Pristine_entry{.partition = 0, .pa = 0x4000'0000, .guest_pa = 0x4800'0000, .size = 0x10});
       w.add(Pristine_entry{.partition = 0, .pa = 0x48ff'f000, .guest_pa = 0x4800'0000, .size = 0x10});
     },
     pristine_overlaps_partition,
     {Section::pristine, 1},
     measured_system},

    // Seed placeholders in VMs' device trees.
    {"SeedWithoutDigests",
     [](W w) { w.add(Guest_seed_entry{.partition = 0, .size = 8, .pa = 0x4800'1000}); },
     digest_count_invalid,
     {Section::digests}},
    {"SeedOfANativePartition",
     [](W w) { w.add(Guest_seed_entry{.partition = 1, .size = 8, .pa = 0x4400'0000}); },
     seed_not_vm,
     {Section::guest_seeds, 2},
     seeded_system},
    {"SeedPartitionInvalid",
     [](W w) { w.add(Guest_seed_entry{.partition = 2, .size = 8, .pa = 0x4400'0000}); },
     partition_index_invalid,
     {Section::guest_seeds, 2},
     seeded_system},
    {"SeedEmpty",
     [](W w) { w.add(Guest_seed_entry{.partition = 0, .size = 0, .pa = 0x4800'1100}); },
     seed_size_invalid,
     {Section::guest_seeds, 2},
     seeded_system},
    {"SeedTooLarge",
     [](W w) { w.add(Guest_seed_entry{.partition = 0, .size = max_guest_seed_size + 1, .pa = 0x4800'1100}); },
     seed_size_invalid,
     {Section::guest_seeds, 2},
     seeded_system},
    {"SeedMisaligned",
     [](W w) { w.add(Guest_seed_entry{.partition = 0, .size = 8, .pa = 0x4800'1102}); },
     seed_misaligned,
     {Section::guest_seeds, 2},
     seeded_system},
    {"SeedPastTheMeasuredRange",
     [](W w) { w.add(Guest_seed_entry{.partition = 0, .size = 8, .pa = 0x4800'1234 - 16}); },
     seed_outside_measurements,
     {Section::guest_seeds, 2},
     seeded_system},
    {"SeedWraps",
     [](W w) { w.add(Guest_seed_entry{.partition = 0, .size = 8, .pa = 0xffff'ffff'ffff'fff0}); },
     address_overflow,
     {Section::guest_seeds, 2},
     seeded_system},
    {"SeedsUnsorted",
     [](W w) { w.add(Guest_seed_entry{.partition = 0, .size = 8, .pa = 0x4800'0000}); },
     seeds_unsorted,
     {Section::guest_seeds, 2},
     seeded_system},
    {"SeedOverlapsTheOneBefore",
     [](W w) { w.add(Guest_seed_entry{.partition = 0, .size = 8, .pa = 0x4800'1000 + 12 + 64 + 16}); },
     seeds_unsorted,
     {Section::guest_seeds, 2},
     seeded_system},

    // The kernel objects area (boot-info version 6).
    {"KernelMemoryWithoutDigests",
     [](W w) { w.add(Kernel_memory_entry{.base = 0x4020'0000, .size = 0x1'0000, .kernel_table_pages = 6, .stage2_input_bits = 39}); },
     digest_count_invalid,
     {Section::digests}},
    {"TablePagesWithoutKernelMemory",
     [](W w) { w.partition(1).table_pages = 1; },
     table_pages_mismatch,
     {Section::kernel_memory},
     measured_system},
    {"TwoKernelMemoryAreas",
     [](W w) { w.add(Kernel_memory_entry{.base = 0x4030'0000, .size = 0x1'0000, .kernel_table_pages = 6, .stage2_input_bits = 40}); },
     too_many_entries,
     {Section::kernel_memory},
     kernel_memory_system},
    {"KernelMemoryIpaOf41Bits",
     [](W w) { w.kernel_memory(0).stage2_input_bits = 41; },
     kernel_memory_malformed,
     {Section::kernel_memory, 0},
     kernel_memory_system},
    {"KernelMemoryIpaTooSmallForARegion",
     [](W w) { w.region(0).ipa += uint64_t{1} << 39; },
     kernel_memory_malformed,
     {Section::kernel_memory, 0},
     kernel_memory_system},
    {"KernelMemoryWithoutKernelTables",
     [](W w) { w.kernel_memory(0).kernel_table_pages = 0; },
     kernel_memory_malformed,
     {Section::kernel_memory, 0},
     kernel_memory_system},
    {"KernelMemoryMisaligned",
     [](W w) { w.kernel_memory(0).base = 0x4020'1000; },
     address_misaligned,
     {Section::kernel_memory, 0},
     kernel_memory_system},
    {"KernelMemoryEmpty",
     [](W w) { w.kernel_memory(0).size = 0; },
     size_zero,
     {Section::kernel_memory, 0},
     kernel_memory_system},
    {"KernelMemoryWraps",
     [](W w) {
       w.kernel_memory(0).base = 0xffff'ffff'fff0'0000;
       w.kernel_memory(0).size = 0x20'0000;
     },
     address_overflow,
     {Section::kernel_memory, 0},
     kernel_memory_system},
    {"TablePagesDoNotAddUp",
     [](W w) { w.partition(0).table_pages = 4; },
     table_pages_mismatch,
     {Section::kernel_memory, 0},
     kernel_memory_system},
    {"KernelMemoryOutsideRam",
     [](W w) { w.kernel_memory(0).base = 0x7fff'0000; },
     kernel_memory_outside_ram,
     {Section::kernel_memory, 0},
     kernel_memory_system},
    {"KernelMemoryOverlapsAPartition",
     [](W w) { w.kernel_memory(0).base = 0x43ff'0000; },
     kernel_memory_overlaps_partition,
     {Section::kernel_memory, 0},
     kernel_memory_system},

    // Memory pools and map windows (boot-info version 8).
    {"PoolCapabilityWithoutPool",
     [](W w) { w.capability(6).object = 1; },
     capability_object_invalid,
     {Section::capabilities, 6},
     map_system},
    {"MapIntoCapabilityWithoutWindow",
     [](W w) { w.capability(7).object = 1; },
     capability_object_invalid,
     {Section::capabilities, 7},
     map_system},
    {"PoolOfAnotherPartition",
     [](W w) { w.memory_pool(0).partition = 0; w.memory_pool(0).pa = 0x4800'0000; },
     capability_not_owner,
     {Section::capabilities, 6},
     map_system},
    {"PoolOutsideItsOwnersMemory",
     [](W w) { w.memory_pool(0).pa = 0x4800'0000; },
     pool_outside_owner,
     {Section::memory_pools, 0},
     map_system},
    {"PoolReachingPastItsRegion",
     [](W w) { w.memory_pool(0).pa = 0x440f'9000; },
     pool_outside_owner,
     {Section::memory_pools, 0},
     map_system},
    {"PoolInDeviceMemory",
     [](W w) { w.memory_pool(0).partition = 0; w.memory_pool(0).pa = 0x0900'0000; w.memory_pool(0).pages = 1; },
     pool_outside_owner,
     {Section::memory_pools, 0},
     map_system},
    {"PoolInSharedMemory",
     [](W w) { w.region(2).attributes |= region_shared_channel; },
     pool_outside_owner,
     {Section::memory_pools, 0},
     map_system},
    {"PoolMisaligned",
     [](W w) { w.memory_pool(0).pa += 0x800; },
     address_misaligned,
     {Section::memory_pools, 0},
     map_system},
    {"PoolEmpty",
     [](W w) { w.memory_pool(0).pages = 0; },
     size_zero,
     {Section::memory_pools, 0},
     map_system},
    {"PoolPagesOverflow",
     [](W w) { w.memory_pool(0).pages = uint64_t{1} << 60; },
     address_overflow,
     {Section::memory_pools, 0},
     map_system},
    {"PoolOfNoPartition",
     [](W w) { w.memory_pool(0).partition = 2; },
     partition_index_invalid,
     {Section::memory_pools, 0},
     map_system},
    {"WindowOfNoPartition",
     [](W w) { w.map_window(0).partition = 2; },
     partition_index_invalid,
     {Section::map_windows, 0},
     map_system},
    {"WindowWriteOnly",
     [](W w) { w.map_window(0).max_rights = map_write; },
     window_rights_invalid,
     {Section::map_windows, 0},
     map_system},
    {"WindowExecutable",
     [](W w) { w.map_window(0).max_rights = map_read | map_write | 4; },
     window_rights_invalid,
     {Section::map_windows, 0},
     map_system},
    {"WindowMisaligned",
     [](W w) { w.map_window(0).ipa += 0x10; },
     address_misaligned,
     {Section::map_windows, 0},
     map_system},
    {"WindowEmpty",
     [](W w) { w.map_window(0).pages = 0; },
     size_zero,
     {Section::map_windows, 0},
     map_system},
    {"WindowTooLarge",
     [](W w) { w.map_window(0).pages = static_cast<uint32_t>(max_map_window_pages + 1); },
     window_too_large,
     {Section::map_windows, 0},
     map_system},
    {"WindowOverlapsItsPartitionsRegion",
     [](W w) { w.map_window(0).ipa = 0x40ff'c000; },
     window_overlaps_memory,
     {Section::map_windows, 0},
     map_system},
    {"WindowOverlapsAnotherOfItsWindows",
     [](W w) {
       w.add(Map_window_entry{.partition = 0, .max_rights = map_read, .ipa = 0x5000'7000, .pages = 1, .first_bitmap_word = 1});
     },
     window_overlaps_memory,
     {Section::map_windows, 1},
     map_system},
    // Each window's bits follow the windows before it, with no gap or overlap.
    {"WindowBitmapOverlapsTheOneBefore",
     [](W w) {
       w.add(Map_window_entry{.partition = 0, .max_rights = map_read, .ipa = 0x6000'0000, .pages = 1, .first_bitmap_word = 0});
     },
     window_bitmap_misplaced,
     {Section::map_windows, 1},
     map_system},
    {"FirstWindowBitmapNotAtZero",
     [](W w) { w.map_window(0).first_bitmap_word = 1; },
     window_bitmap_misplaced,
     {Section::map_windows, 0},
     map_system},
    {"WindowBeyondTheIpaSpace",
     [](W w) { w.map_window(0).ipa = uint64_t{1} << 40; },
     window_overlaps_memory,
     {Section::map_windows, 0},
     map_system},
};

template <typename Row>
std::string row_name(const testing::TestParamInfo<Row>& info) {
  return info.param.name;
}

class BootInfoRejectsHeader : public testing::TestWithParam<Broken_header> {};
class BootInfoRejectsField : public testing::TestWithParam<Broken_field> {};

}  // namespace

TEST_P(BootInfoRejectsHeader, Broken) {
  const Broken_header& broken = GetParam();
  EXPECT_TRUE(rejected_with(with_header(broken.patch), broken.error, broken.section));
}

INSTANTIATE_TEST_SUITE_P(Table, BootInfoRejectsHeader, testing::ValuesIn(broken_headers), row_name<Broken_header>);

TEST_P(BootInfoRejectsField, Broken) {
  const Broken_field& broken = GetParam();
  Boot_info_writer writer = broken.system();
  broken.mutate(writer);
  EXPECT_TRUE(rejected_with(writer.finish(), broken.error, broken.where.section, broken.where.index));
}

INSTANTIATE_TEST_SUITE_P(Table, BootInfoRejectsField, testing::ValuesIn(broken_fields), row_name<Broken_field>);
