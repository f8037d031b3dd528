// SPDX-License-Identifier: Apache-2.0
// virtio-mmio transport tests (vmm-server/include/kestrel/vmm/virtio_mmio.hpp),
// through the virtio-console model that owns one: identification, feature
// negotiation, queue set-up and the configurations it refuses, reset, and
// access sizes. Guest memory bounds (guest_memory.hpp) too.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include <kestrel/vmm/guest_memory.hpp>
#include <kestrel/vmm/virtio_console.hpp>

#include "virtio_driver.hpp"

namespace {

using kestrel::vmm::Guest_memory;
using kestrel::vmm::Virtio_console;
using kestrel::vmm::testing::Driver;
using kestrel::vmm::testing::Guest_ram;
using kestrel::vmm::testing::ram_base;
using kestrel::vmm::testing::ram_size;
namespace virtio = kestrel::vmm::virtio;

struct Recorder {
  std::string bytes;
  void put(char c) { bytes += c; }
};

class Virtio_mmio_test : public ::testing::Test {
 protected:
  Guest_ram ram;
  Virtio_console<Recorder> console{ram.memory()};
  Driver<Virtio_console<Recorder>> driver{console};

  uint32_t status() { return driver.read(virtio::status); }
  bool queue_ready(uint32_t index) {
    driver.write(virtio::queue_sel, index);
    return driver.read(virtio::queue_ready) == 1;
  }
};

TEST_F(Virtio_mmio_test, IdentifiesAsAModernVirtioConsole) {
  EXPECT_EQ(driver.read(virtio::magic_value), 0x74726976u);  // "virt"
  EXPECT_EQ(driver.read(virtio::version), 2u);
  EXPECT_EQ(driver.read(virtio::device_id), 3u);
  EXPECT_NE(driver.read(virtio::vendor_id), 0u);
  EXPECT_EQ(status(), 0u);
  EXPECT_EQ(driver.read(virtio::interrupt_status), 0u);
  EXPECT_EQ(driver.read(virtio::config_generation), 0u);
}

TEST_F(Virtio_mmio_test, OffersVersion1AndNothingElse) {
  driver.write(virtio::device_features_sel, 0);
  EXPECT_EQ(driver.read(virtio::device_features), 0u);
  driver.write(virtio::device_features_sel, 1);
  EXPECT_EQ(driver.read(virtio::device_features), 1u) << "VIRTIO_F_VERSION_1 is bit 32";
  driver.write(virtio::device_features_sel, 2);
  EXPECT_EQ(driver.read(virtio::device_features), 0u);
}

TEST_F(Virtio_mmio_test, FeaturesOkSticksWhenTheDriverAcceptsVersion1) {
  EXPECT_TRUE(driver.negotiate());
  EXPECT_EQ(status(), virtio::status_acknowledge | virtio::status_driver | virtio::status_features_ok);
  EXPECT_EQ(console.transport().driver_features(), virtio::f_version_1);
}

TEST_F(Virtio_mmio_test, ALegacyDriverFailsFeaturesOk) {
  EXPECT_FALSE(driver.negotiate(0));
  EXPECT_EQ(status() & virtio::status_features_ok, 0u);
  // Without FEATURES_OK, DRIVER_OK does not make the device serve queues.
  driver.add_status(virtio::status_driver_ok);
  EXPECT_FALSE(console.transport().operational());
}

TEST_F(Virtio_mmio_test, AFeatureNotOfferedFailsFeaturesOk) {
  EXPECT_FALSE(driver.negotiate(virtio::f_version_1 | (uint64_t{1} << 28)))  // VIRTIO_F_INDIRECT_DESC
      << "indirect descriptors are not offered";
  EXPECT_FALSE(driver.negotiate(virtio::f_version_1 | 1)) << "VIRTIO_CONSOLE_F_SIZE is not offered";
}

TEST_F(Virtio_mmio_test, DriverFeaturesAreFixedOnceFeaturesOkIsSet) {
  ASSERT_TRUE(driver.negotiate());
  driver.write(virtio::driver_features_sel, 0);
  driver.write(virtio::driver_features, 0xffff'ffff);
  EXPECT_EQ(console.transport().driver_features(), virtio::f_version_1);
}

TEST_F(Virtio_mmio_test, QueueSetUpReadsBackAndMakesTheQueueReady) {
  ASSERT_TRUE(driver.negotiate());
  driver.write(virtio::queue_sel, 1);
  EXPECT_EQ(driver.read(virtio::queue_num_max), 64u);
  EXPECT_EQ(driver.read(virtio::queue_ready), 0u);
  driver.configure_queue(1, 16, ram_base + 0x1000, ram_base + 0x1100, ram_base + 0x2000);
  EXPECT_EQ(driver.read(virtio::queue_ready), 1u);
  EXPECT_EQ(driver.read(virtio::queue_num), 16u);
  EXPECT_EQ(driver.read(virtio::queue_desc_low), static_cast<uint32_t>(ram_base + 0x1000));
  EXPECT_EQ(driver.read(virtio::queue_desc_high), 0u);
  EXPECT_EQ(driver.read(virtio::queue_driver_low), static_cast<uint32_t>(ram_base + 0x1100));
  EXPECT_EQ(driver.read(virtio::queue_device_low), static_cast<uint32_t>(ram_base + 0x2000));
  // A ready queue's configuration is fixed.
  driver.write(virtio::queue_num, 8);
  driver.write(virtio::queue_desc_low, 0);
  EXPECT_EQ(driver.read(virtio::queue_num), 16u);
  EXPECT_EQ(driver.read(virtio::queue_desc_low), static_cast<uint32_t>(ram_base + 0x1000));
  // QueueReady = 0 takes it down again.
  driver.write(virtio::queue_ready, 0);
  EXPECT_EQ(driver.read(virtio::queue_ready), 0u);
  EXPECT_EQ(status() & virtio::status_device_needs_reset, 0u);
}

TEST_F(Virtio_mmio_test, OnlyTwoQueuesExist) {
  driver.write(virtio::queue_sel, 2);
  EXPECT_EQ(driver.read(virtio::queue_num_max), 0u) << "how Linux learns a queue is not there";
  driver.write(virtio::queue_num, 4);
  driver.write(virtio::queue_ready, 1);
  EXPECT_EQ(driver.read(virtio::queue_ready), 0u);
  EXPECT_EQ(driver.read(virtio::queue_num), 0u);
  driver.write(virtio::queue_sel, 0xffff'ffff);
  EXPECT_EQ(driver.read(virtio::queue_num_max), 0u);
}

// Queue sizes and ring placements no queue can work with: the queue stays
// not ready and the device asks for a reset.
struct Bad_queue {
  const char* what;
  uint32_t size;
  uint64_t descriptors;
  uint64_t available;
  uint64_t used;
};

class Virtio_mmio_bad_queue : public Virtio_mmio_test, public ::testing::WithParamInterface<Bad_queue> {};

TEST_P(Virtio_mmio_bad_queue, StaysNotReadyAndNeedsReset) {
  const Bad_queue& bad = GetParam();
  ASSERT_TRUE(driver.negotiate());
  driver.configure_queue(0, bad.size, bad.descriptors, bad.available, bad.used);
  EXPECT_FALSE(queue_ready(0)) << bad.what;
  EXPECT_NE(status() & virtio::status_device_needs_reset, 0u) << bad.what;
  // Before DRIVER_OK no configuration change interrupt; it comes with DRIVER_OK.
  EXPECT_EQ(driver.read(virtio::interrupt_status), 0u);
  driver.add_status(virtio::status_driver_ok);
  EXPECT_EQ(driver.read(virtio::interrupt_status), virtio::interrupt_configuration_change) << bad.what;
  EXPECT_FALSE(console.transport().operational());
}

constexpr uint64_t ok_descriptors = ram_base + 0x1000;
constexpr uint64_t ok_available = ram_base + 0x1100;
constexpr uint64_t ok_used = ram_base + 0x2000;

INSTANTIATE_TEST_SUITE_P(
    Hostile, Virtio_mmio_bad_queue,
    ::testing::Values(
        Bad_queue{"size 0", 0, ok_descriptors, ok_available, ok_used},
        Bad_queue{"size not a power of two", 12, ok_descriptors, ok_available, ok_used},
        Bad_queue{"size above QueueNumMax", 128, ok_descriptors, ok_available, ok_used},
        Bad_queue{"size 2^32-1", 0xffff'ffff, ok_descriptors, ok_available, ok_used},
        Bad_queue{"descriptor table misaligned", 16, ok_descriptors + 8, ok_available, ok_used},
        Bad_queue{"available ring misaligned", 16, ok_descriptors, ok_available + 1, ok_used},
        Bad_queue{"used ring misaligned", 16, ok_descriptors, ok_available, ok_used + 2},
        Bad_queue{"descriptor table below RAM", 16, ram_base - 0x100, ok_available, ok_used},
        Bad_queue{"descriptor table runs past RAM", 16, ram_base + ram_size - 0x80, ok_available, ok_used},
        Bad_queue{"available ring past RAM", 16, ok_descriptors, ram_base + ram_size, ok_used},
        Bad_queue{"used ring runs past RAM", 16, ok_descriptors, ok_available, ram_base + ram_size - 0x40},
        Bad_queue{"used ring at the top of the address space", 16, ok_descriptors, ok_available,
                  0xffff'ffff'ffff'fff0}),
    [](const ::testing::TestParamInfo<Bad_queue>& param) { return "case" + std::to_string(param.index); });

TEST_F(Virtio_mmio_test, ResetOnStatusZeroClearsEverything) {
  ASSERT_TRUE(driver.negotiate());
  driver.configure_queue(0, 16, ok_descriptors, ok_available, ok_used);
  driver.add_status(virtio::status_driver_ok);
  ASSERT_TRUE(console.transport().operational());
  driver.write(virtio::queue_sel, 5);
  driver.write(virtio::status, 0);
  EXPECT_EQ(status(), 0u);
  EXPECT_FALSE(console.transport().operational());
  EXPECT_EQ(console.transport().driver_features(), 0u);
  EXPECT_FALSE(queue_ready(0));
  EXPECT_EQ(driver.read(virtio::queue_num), 0u);
  EXPECT_EQ(driver.read(virtio::queue_desc_low), 0u);
  EXPECT_EQ(driver.read(virtio::interrupt_status), 0u);
  // And it works again after a new negotiation.
  EXPECT_TRUE(driver.negotiate());
}

TEST_F(Virtio_mmio_test, ResetClearsDeviceNeedsResetAndItsInterrupt) {
  ASSERT_TRUE(driver.negotiate());
  driver.add_status(virtio::status_driver_ok);
  driver.configure_queue(0, 3, ok_descriptors, ok_available, ok_used);
  ASSERT_NE(status() & virtio::status_device_needs_reset, 0u);
  ASSERT_EQ(driver.read(virtio::interrupt_status), virtio::interrupt_configuration_change);
  // The driver cannot clear it by writing the status back without it.
  driver.write(virtio::status, status() & ~virtio::status_device_needs_reset);
  EXPECT_NE(status() & virtio::status_device_needs_reset, 0u);
  driver.write(virtio::status, 0);
  EXPECT_EQ(status(), 0u);
  EXPECT_EQ(driver.read(virtio::interrupt_status), 0u);
}

TEST_F(Virtio_mmio_test, RegistersTakeOnlyAligned32BitAccesses) {
  EXPECT_EQ(console.read(virtio::magic_value, 1), 0u);
  EXPECT_EQ(console.read(virtio::magic_value, 2), 0u);
  EXPECT_EQ(console.read(virtio::magic_value, 8), 0u);
  EXPECT_EQ(console.read(virtio::magic_value + 2, 4), 0u);
  EXPECT_EQ(console.read(virtio::magic_value, 3), 0u);
  console.write(virtio::status, 1, virtio::status_acknowledge);
  console.write(virtio::status, 8, virtio::status_acknowledge);
  EXPECT_EQ(status(), 0u);
  // Outside any register: reads 0, writes change nothing.
  EXPECT_EQ(driver.read(0x0f8), 0u);
  driver.write(0x0f8, 0xffff'ffff);
  EXPECT_EQ(driver.read(0x0f8), 0u);
  EXPECT_EQ(console.read(0xffff'ffff'ffff'fffc, 4), 0u);
}

TEST_F(Virtio_mmio_test, ConfigurationSpaceReadsZeroAndIgnoresWrites) {
  for (uint64_t offset = virtio::config; offset < virtio::config + 12; ++offset) {
    EXPECT_EQ(console.read(offset, 1), 0u) << offset;
  }
  EXPECT_EQ(console.read(virtio::config, 4), 0u);
  console.write(virtio::config + 8, 4, 'x');  // emerg_wr: not offered
  EXPECT_TRUE(console.output().bytes.empty());
}

TEST_F(Virtio_mmio_test, NoSharedMemoryRegions) {
  driver.write(0x0ac, 0);  // SHMSel
  EXPECT_EQ(driver.read(virtio::shm_len_low), 0xffff'ffffu);
  EXPECT_EQ(driver.read(virtio::shm_len_high), 0xffff'ffffu);
}

TEST(Guest_memory, GivesPointersOnlyForRangesInsideRam) {
  alignas(16) uint8_t buffer[0x100] = {};
  const Guest_memory memory{0x1000, sizeof buffer, reinterpret_cast<uintptr_t>(buffer)};
  EXPECT_EQ(memory.at(0x1000, 0x100), buffer);
  EXPECT_EQ(memory.at(0x10ff, 1), buffer + 0xff);
  EXPECT_EQ(memory.at(0x1100, 0), buffer + 0x100);
  EXPECT_EQ(memory.at(0x1100, 1), nullptr);
  EXPECT_EQ(memory.at(0x10ff, 2), nullptr);
  EXPECT_EQ(memory.at(0xfff, 1), nullptr);
  EXPECT_EQ(memory.at(0x1000, 0x101), nullptr);
  EXPECT_EQ(memory.at(0x1080, ~uint64_t{0}), nullptr) << "a length that wraps";
  EXPECT_EQ(memory.at(~uint64_t{0}, 2), nullptr);
  EXPECT_TRUE(memory.mapped());
}

TEST(Guest_memory, UnmappedRamHasNoPointers) {
  const Guest_memory unmapped{0x4000'0000, 0x1000'0000, 0};
  EXPECT_FALSE(unmapped.mapped());
  EXPECT_EQ(unmapped.at(0x4000'0000, 1), nullptr);
  const Guest_memory wrapping{0xffff'ffff'ffff'f000, 0x2000, 0x1000};
  EXPECT_FALSE(wrapping.mapped());
  EXPECT_EQ(Guest_memory{}.at(0, 0), nullptr);
}

}  // namespace
