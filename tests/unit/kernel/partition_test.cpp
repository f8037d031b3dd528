// SPDX-License-Identifier: Apache-2.0
// Partition tests: which buffers a partition may hand the kernel, and its
// capability slots. The kernel reads partition memory only through these.
#include <gtest/gtest.h>

#include <optional>

#include <kestrel/boot_info.hpp>
#include <kestrel/partition.hpp>
#include <kestrel/policy/boot_info_writer.hpp>

// Designated initializers leave the fields a test does not care about zero.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

using namespace kestrel;
using namespace kestrel::abi;

namespace {

std::vector<uint8_t> one_partition_blob() {
  policy::Boot_info_writer writer;
  writer.set_system_name("test");
  writer.platform() =
      Platform_entry{.cpu_count = 1, .vmid_bits = 8, .hypervisor_timer_intid = 26, .virtual_timer_intid = 27};
  writer.add(Memory_range{.base = 0x4000'0000, .size = 0x4000'0000});
  writer.add(Partition_entry{.name = writer.intern("app"),
                             .vmid = 1,
                             .first_region = 0,
                             .region_count = 3,
                             .first_thread = 0,
                             .thread_count = 1,
                             .first_capability = 0,
                             .capability_count = 1});
  writer.add(Region_entry{.ipa = 0x20'0000,
                          .pa = 0x4080'0000,
                          .size = 0x1'0000,
                          .attributes = region_read | region_execute,
                          .name = writer.intern("code")});
  writer.add(Region_entry{.ipa = 0x21'0000,
                          .pa = 0x4090'0000,
                          .size = 0x1'0000,
                          .attributes = region_read | region_write,
                          .name = writer.intern("data")});
  writer.add(Region_entry{.ipa = 0x900'0000,
                          .pa = 0x900'0000,
                          .size = 0x1000,
                          .attributes = region_read | region_write | region_device,
                          .name = writer.intern("uart")});
  writer.add(Thread_entry{.name = writer.intern("main"),
                          .partition = 0,
                          .entry = 0x20'0000,
                          .stack_top = 0x22'0000,
                          .fault_endpoint = no_index});
  writer.add(Capability_entry{.kind = static_cast<uint32_t>(Capability_kind::console), .rights = right_send});
  writer.add(Cpu_plan_entry{.cpu = 0, .first_window = 0, .window_count = 1, .major_frame_ns = 1000});
  writer.add(Window_entry{.partition = 0, .duration_ns = 1000});
  return writer.finish();
}

class PartitionTest : public testing::Test {
 protected:
  void SetUp() override {
    const auto read = read_boot_info(blob_.data(), blob_.size());
    ASSERT_TRUE(read.ok()) << to_string(read.problem().error);
    info_.emplace(read.info());
    partition_.create(*info_, 0);
  }
  std::vector<uint8_t> blob_ = one_partition_blob();
  std::optional<Boot_info> info_;  // Boot_info is made only by read_boot_info
  Partition partition_;
};

uint64_t address(const uint8_t* pointer) { return reinterpret_cast<uint64_t>(pointer); }

}  // namespace

TEST_F(PartitionTest, TakesItsNameAndVmidFromBootInfo) {
  EXPECT_STREQ(partition_.name(), "app");
  EXPECT_EQ(partition_.vmid(), 1u);
  EXPECT_FALSE(partition_.is_vm());
  EXPECT_EQ(partition_.regions().size(), 3u);
}

TEST_F(PartitionTest, ReadableTranslatesInsideOneRegion) {
  EXPECT_EQ(address(partition_.readable(0x20'0000, 1)), 0x4080'0000u);
  EXPECT_EQ(address(partition_.readable(0x20'0ff0, 0x10)), 0x4080'0ff0u);
  EXPECT_EQ(address(partition_.readable(0x21'0000, 0x1'0000)), 0x4090'0000u) << "a whole region";
}

TEST_F(PartitionTest, ReadableRefusesWhatThePartitionDoesNotOwn) {
  EXPECT_EQ(partition_.readable(0x20'fff0, 0x20), nullptr) << "spans two regions";
  EXPECT_EQ(partition_.readable(0x10'0000, 4), nullptr) << "no region";
  EXPECT_EQ(partition_.readable(0x21'fffc, 8), nullptr) << "runs off the end";
  EXPECT_EQ(partition_.readable(0x900'0000, 4), nullptr) << "device memory is never read on a partition's behalf";
  EXPECT_EQ(partition_.readable(0x20'0000, 0), nullptr) << "empty";
  EXPECT_EQ(partition_.readable(0xffff'ffff'ffff'fff0, 0x20), nullptr) << "wraps";
  EXPECT_EQ(partition_.readable(0x20'0000, UINT64_MAX), nullptr);
}

TEST_F(PartitionTest, CapabilitySlots) {
  ASSERT_NE(partition_.capability(0), nullptr);
  EXPECT_EQ(partition_.capability(0)->kind, static_cast<uint32_t>(Capability_kind::console));
  EXPECT_EQ(partition_.capability(1), nullptr);
  EXPECT_EQ(partition_.capability(UINT64_MAX), nullptr);
}
