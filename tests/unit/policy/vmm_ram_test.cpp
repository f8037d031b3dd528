// SPDX-License-Identifier: Apache-2.0
// VMM RAM tests: VirtualMachine.vmmRamAddress maps exactly the guest's RAM
// pages into its VMM, read-write and never executable, and the kernel's
// boot-info reader accepts the result. Mistakes are the case files'
// (cases/KP0618-*, cases/*-vmm-ram-*).
#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <regex>
#include <tuple>

#include <kestrel/boot_info.hpp>
#include <kestrel/policy/compiler.hpp>
#include <kestrel/policy/model.hpp>
#include <kestrel/policy/text.hpp>

#include "policy_test_support.hpp"

namespace fs = std::filesystem;
using namespace kestrel::policy;

namespace {

// VM "first" comes before its VMM in the policy, VM "second" after it.
const fs::path valid_policy = cases_directory() / "valid-vmm-ram.capnp";

std::optional<kestrel::abi::Region_entry> region_at(const kestrel::Boot_info& info, const std::string& partition_name,
                                                    uint64_t ipa) {
  for (const auto& partition : info.partitions()) {
    if (info.name(partition.name) != partition_name) continue;
    for (const auto& region : info.regions_of(partition)) {
      if (region.ipa == ipa) return region;
    }
  }
  return std::nullopt;
}

class VmmRam : public testing::Test {
 protected:
  void SetUp() override {
    result_ = compile_policy(valid_policy.string(), {});
    ASSERT_TRUE(result_.ok()) << diagnostics_text(result_.diagnostics);
    // The kernel reads boot-info 8-byte aligned, as the image builder puts it.
    aligned_.resize((result_.boot_info.size() + 7) / 8);
    std::memcpy(aligned_.data(), result_.boot_info.data(), result_.boot_info.size());
    read_.emplace(kestrel::read_boot_info(reinterpret_cast<const uint8_t*>(aligned_.data()), result_.boot_info.size()));
    ASSERT_TRUE(read_->ok()) << "the kernel refuses it: " << kestrel::to_string(read_->problem().error);
  }
  const kestrel::Boot_info& info() const { return read_->info(); }

  Compile_result result_;
  std::vector<uint64_t> aligned_;
  std::optional<kestrel::Boot_info_result> read_;
};

}  // namespace

TEST_F(VmmRam, TheVmmSeesExactlyTheGuestsRamPages) {
  for (const auto& [vm, guest_ipa, vmm_ipa, size] : {std::tuple{"first", 0x4000'0000u, 0x8000'0000u, 0x40'0000u},
                                                     {"second", 0x8000'0000u, 0x8040'0000u, 0x20'0000u}}) {
    SCOPED_TRACE(vm);
    const auto guest_ram = region_at(info(), vm, guest_ipa);
    const auto view = region_at(info(), "vmm", vmm_ipa);
    ASSERT_TRUE(guest_ram && view);
    EXPECT_EQ(view->pa, guest_ram->pa);
    EXPECT_EQ(view->size, size);
    EXPECT_EQ(guest_ram->size, size);
    EXPECT_STREQ(info().name(view->name), vm) << "named after its VM";
  }
}

TEST_F(VmmRam, TheViewIsReadWriteWriteBackAndNeverExecutable) {
  const auto view = region_at(info(), "vmm", 0x8000'0000);
  ASSERT_TRUE(view);
  // Both mappings of the pages say so, as a channel's ends do.
  EXPECT_EQ(view->attributes,
            kestrel::abi::region_read | kestrel::abi::region_write | kestrel::abi::region_shared_channel);
  const auto guest_ram = region_at(info(), "first", 0x4000'0000);
  ASSERT_TRUE(guest_ram);
  EXPECT_EQ(guest_ram->attributes, kestrel::abi::region_read | kestrel::abi::region_write |
                                       kestrel::abi::region_execute | kestrel::abi::region_shared_channel |
                                       kestrel::abi::region_guest_ram);
}

TEST_F(VmmRam, NoOtherRegionSharesTheGuestsPages) {
  const auto guest_ram = region_at(info(), "first", 0x4000'0000);
  ASSERT_TRUE(guest_ram);
  int mappings = 0;
  for (const auto& region : info().regions()) {
    const bool overlaps = region.pa < guest_ram->pa + guest_ram->size && guest_ram->pa < region.pa + region.size;
    mappings += overlaps ? 1 : 0;
  }
  EXPECT_EQ(mappings, 2) << "the guest's own mapping and its VMM's";
}

TEST_F(VmmRam, TheSummaryShowsTheMappingInBothPartitions) {
  const auto guest_ram = region_at(info(), "first", 0x4000'0000);
  ASSERT_TRUE(guest_ram);
  const std::string physical = " -> " + hex(guest_ram->pa) + "  ";
  for (const std::string& line :
       {"[0x80000000, 0x80400000)" + physical + "rw-  guest-ram-of first\n",
        "[0x40000000, 0x40400000)" + physical + "rwx  guest-ram guest-ram, also in \"vmm\" at 0x80000000\n"}) {
    EXPECT_NE(result_.summary.find(line), std::string::npos) << line << "\nin:\n" << result_.summary;
  }
}

TEST(VmmRamAbsent, WithoutTheFieldTheVmmSeesNoGuestRam) {
  Scratch_directory scratch;
  const fs::path path = scratch.path() / "no-view.capnp";
  const std::string text = read_file(valid_policy);
  const std::regex field{R"(,\s*vmmRamAddress = 0x[0-9a-f]+)"};
  ASSERT_TRUE(std::regex_search(text, field));
  write_file(path, std::regex_replace(text, field, ""));
  const auto result = compile_policy(path.string(), {});
  ASSERT_TRUE(result.ok()) << diagnostics_text(result.diagnostics);
  for (const auto& partition : result.model->partitions) {
    for (const auto& region : partition.regions) {
      EXPECT_NE(region.kind, Region::Kind::guest_ram_view) << partition.name;
      EXPECT_FALSE(region.kind == Region::Kind::guest_ram && region.shared) << partition.name;
    }
  }
}
