// SPDX-License-Identifier: Apache-2.0
// Slots, devices tests: kestrel::devices in the generated kestrel/slots.hpp
// (device_description.hpp's structures) for the clients, the VMM and the
// drivers of cases/valid-devices.capnp, and Emulated_device::backend.
#include <gtest/gtest.h>

#include <kestrel/policy/compiler.hpp>
#include <kestrel/policy/text.hpp>
#include <kestrel_cli/slots.hpp>

#include "../policy/policy_test_support.hpp"

using namespace kestrel_cli;

namespace {

class DeviceSlots : public testing::Test {
 protected:
  void SetUp() override {
    result_ = kestrel::policy::compile_policy((cases_directory() / "valid-devices.capnp").string(), {});
    ASSERT_TRUE(result_.ok()) << diagnostics_text(result_.diagnostics);
  }
  const kestrel::policy::Model& model() const { return *result_.model; }
  std::string header(const std::string& partition) const {
    return slots_header(model(), model().partition_index.at(partition), "valid-devices.capnp");
  }
  // The text from `start` to the next line that is exactly `end`.
  static std::string section(const std::string& text, const std::string& start, const std::string& end = "};") {
    const auto from = text.find(start);
    if (from == std::string::npos) return {};
    return text.substr(from, text.find("\n" + end + "\n", from) - from);
  }
  uint64_t queue_pa(const std::string& device, uint32_t client) const {
    const auto& service = model().services.at(model().service_index.at(device));
    return model().queue_physical.at(service.first_queue + client);
  }

  kestrel::policy::Compile_result result_;
};

}  // namespace

TEST_F(DeviceSlots, ANativeClientGetsItsSliceAndPortWithItsSlotsAndBadges) {
  const std::string text = header("app");
  EXPECT_NE(text.find("#include <kestrel/device_description.hpp>"), std::string::npos);
  const std::string block = section(text, "constexpr Block_client_description block_clients[1] = {");
  ASSERT_FALSE(block.empty()) << text;
  EXPECT_NE(text.find("constexpr uint32_t block_client_count = 1;"), std::string::npos);
  for (const char* line :
       {".device = \"disk\",", ".client = \"app\",", ".index = 1,", ".queue_address = 0x40000000,", ".sectors = 4096,",
        ".read_only = true,", ".ring_driver = slots::signal_disk_driver,", ".wait = slots::wait_disk_doorbell_app,",
        ".responses_badge = 0x1,", ".stopped_badge = 0x2,", ".guest_notify_badge = 0x0,"})
    EXPECT_NE(block.find(line), std::string::npos) << line << "\n" << block;
  const std::string net = section(text, "constexpr Net_client_description net_clients[1] = {");
  for (const char* line : {".network = \"lan\",", ".index = 1,", ".queue_address = 0x40200000,",
                           ".mac = {0x52, 0x54, 0x0, 0x12, 0x34, 0x57},", ".ring_driver = slots::signal_lan_driver,",
                           ".wait = slots::wait_lan_doorbell_app,"})
    EXPECT_NE(net.find(line), std::string::npos) << line << "\n" << net;
  EXPECT_NE(text.find("constexpr uint32_t block_driver_count = 0;"), std::string::npos);
  EXPECT_NE(text.find("constexpr uint32_t net_driver_count = 0;"), std::string::npos);
}

TEST_F(DeviceSlots, AVmmHoldsItsVmsQueuesAndItsDevicesNameThem) {
  const std::string text = header("vmm");
  const std::string block = section(text, "constexpr Block_client_description block_clients[1] = {");
  for (const char* line : {".device = \"disk\",", ".client = \"linux\",", ".index = 0,", ".read_only = false,",
                           ".sectors = 524288,", ".wait = slots::wait_linux_device_doorbells,",
                           ".responses_badge = 0x1,", ".stopped_badge = 0x2,", ".guest_notify_badge = 0x100000000,"})
    EXPECT_NE(block.find(line), std::string::npos) << line << "\n" << block;
  const std::string net = section(text, "constexpr Net_client_description net_clients[1] = {");
  for (const char* line : {".client = \"linux\",", ".wait = slots::wait_linux_device_doorbells,",
                           ".responses_badge = 0x4,", ".stopped_badge = 0x8,", ".guest_notify_badge = 0x200000000,"})
    EXPECT_NE(net.find(line), std::string::npos) << line << "\n" << net;
  // vda is block_clients[0], eth0 net_clients[0]; the last field is backend.
  EXPECT_NE(text.find("{\"vda\", static_cast<Emulated_kind>(1), 0xa010000, 0x1000, 80, 0},"), std::string::npos)
      << text;
  EXPECT_NE(text.find("{\"eth0\", static_cast<Emulated_kind>(2), 0xa011000, 0x1000, 81, 0},"), std::string::npos);
}

TEST_F(DeviceSlots, ADriverGetsItsTransportDmaAndEveryClientsQueueWithPhysicalAddresses) {
  const std::string text = header("blk");
  EXPECT_NE(text.find("constexpr uint32_t block_driver_count = 1;"), std::string::npos);
  const std::string driver = section(text, "constexpr Block_driver_description block_drivers[1] = {");
  ASSERT_FALSE(driver.empty()) << text;
  const auto& blk = model().partitions.at(model().partition_index.at("blk"));
  uint64_t dma_pa = 0;
  for (const auto& region : blk.regions)
    if (region.name == "dma") dma_pa = region.pa;
  for (const std::string& line :
       {std::string(".mmio_address = 0xa003e00,"), std::string(".interrupt = slots::irq_virtio31,"),
        std::string(".wait = slots::wait_disk_driver,"), std::string(".dma_address = 0x200000,"),
        ".dma_physical = " + kestrel::policy::hex(dma_pa) + ",", std::string(".dma_size = 0x10000,"),
        std::string(".disk_sectors = 1048576,"), std::string(".client_count = 2,"),
        std::string(".queue_address = 0x10000000,"), std::string(".queue_address = 0x10101000,"),
        ".queue_physical = " + kestrel::policy::hex(queue_pa("disk", 0)) + ",",
        ".queue_physical = " + kestrel::policy::hex(queue_pa("disk", 1)) + ",", std::string(".first_sector = 524288,"),
        std::string(".ring_client = slots::signal_linux_device_doorbells,"),
        std::string(".ring_client = slots::signal_disk_doorbell_app,")})
    EXPECT_NE(driver.find(line), std::string::npos) << line << "\n" << driver;
}

TEST_F(DeviceSlots, TheSwitchGetsSymmetricReachMasksWithBit63ForTheOutside) {
  const std::string driver = section(header("net"), "constexpr Net_driver_description net_drivers[1] = {");
  ASSERT_FALSE(driver.empty());
  // linux (port 0) reaches app (port 1) and the outside; app reaches linux.
  EXPECT_NE(driver.find(".reaches = 0x8000000000000002,"), std::string::npos) << driver;
  EXPECT_NE(driver.find(".reaches = 0x1,"), std::string::npos) << driver;
  EXPECT_NE(driver.find(".mmio_address = 0xa002e00,"), std::string::npos);
  EXPECT_NE(driver.find(".port_count = 2,"), std::string::npos);
}

TEST_F(DeviceSlots, APartitionWithoutDevicesHasEmptyTablesThatStillCompile) {
  const std::string text = header("linux");
  EXPECT_NE(text.find("constexpr uint32_t block_client_count = 0;\n"
                      "constexpr Block_client_description block_clients[1] = {\n};"),
            std::string::npos)
      << text;
}
