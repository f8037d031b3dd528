// SPDX-License-Identifier: Apache-2.0
// Device services tests: what the compiler makes of a block device and a
// network (docs/devices.md, "Policy"), on cases/valid-devices.capnp: each
// client's queue region is one set of zeroed pages in the client (or its
// VMM) and the driver, the driver owns the granted transport and its
// interrupt, and the doorbells carry device_queue.hpp's badges. The kernel's
// boot-info reader accepts the result. Mistakes are the case files'
// (cases/KP11*, cases/*-device-*).
#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <tuple>

#include <kestrel/boot_info.hpp>
#include <kestrel/policy/compiler.hpp>
#include <kestrel/policy/model.hpp>

#include "../../../runtime/include/kestrel/device_queue.hpp"
#include "policy_test_support.hpp"

using namespace kestrel::policy;
namespace queue = kestrel::device_queue;

namespace {

class DeviceServices : public testing::Test {
 protected:
  void SetUp() override {
    result_ = compile_policy((cases_directory() / "valid-devices.capnp").string(), {});
    ASSERT_TRUE(result_.ok()) << diagnostics_text(result_.diagnostics);
    aligned_.resize((result_.boot_info.size() + 7) / 8);
    std::memcpy(aligned_.data(), result_.boot_info.data(), result_.boot_info.size());
    read_.emplace(kestrel::read_boot_info(reinterpret_cast<const uint8_t*>(aligned_.data()), result_.boot_info.size()));
    ASSERT_TRUE(read_->ok()) << "the kernel refuses it: " << kestrel::to_string(read_->problem().error);
  }
  const Model& model() const { return *result_.model; }
  const Partition& partition(const std::string& name) const {
    return model().partitions.at(model().partition_index.at(name));
  }
  const Device_service& service(const std::string& name) const {
    return model().services.at(model().service_index.at(name));
  }
  const Region* region(const std::string& partition_name, uint64_t ipa) const {
    for (const auto& candidate : partition(partition_name).regions)
      if (candidate.ipa == ipa) return &candidate;
    return nullptr;
  }
  uint32_t notification(const std::string& name) const {
    for (uint32_t n = 0; n < model().notifications.size(); ++n)
      if (model().notifications[n].name == name) return n;
    return none;
  }
  // The badge `partition` signals notification `name` with; 0 if it cannot.
  std::vector<uint64_t> signal_badges(const std::string& partition_name, const std::string& name) const {
    std::vector<uint64_t> badges;
    for (const auto& capability : partition(partition_name).capabilities) {
      if (capability.kind == static_cast<uint32_t>(kestrel::abi::Capability_kind::notification) &&
          capability.object == notification(name) && (capability.rights & kestrel::abi::right_send) != 0)
        badges.push_back(capability.badge);
    }
    return badges;
  }

  Compile_result result_;
  std::vector<uint64_t> aligned_;
  std::optional<kestrel::Boot_info_result> read_;
};

}  // namespace

TEST_F(DeviceServices, EachQueueIsOneSetOfPagesInTheClientOrItsVmmAndInTheDriver) {
  const Device_service& disk = service("disk");
  const uint64_t block_bytes = (queue::block_queue_bytes + 0xfff) & ~uint64_t{0xfff};
  EXPECT_EQ(disk.queue_bytes(), block_bytes);
  // Client 0 is the VM: its VMM holds the queue; client 1 the native app.
  const Region* vmm_side = region("vmm", 0x4000'0000);
  const Region* app_side = region("app", 0x4000'0000);
  const Region* driver_first = region("blk", 0x1000'0000);
  const Region* driver_second = region("blk", 0x1000'0000 + block_bytes);
  ASSERT_TRUE(vmm_side && app_side && driver_first && driver_second);
  for (const Region* queue_region : {vmm_side, app_side, driver_first, driver_second}) {
    EXPECT_EQ(queue_region->kind, Region::Kind::device_queue);
    EXPECT_EQ(queue_region->size, block_bytes);
    EXPECT_EQ(queue_region->access, Access::read_write);
    EXPECT_EQ(queue_region->type, Memory_type::write_back);
    EXPECT_TRUE(queue_region->shared);
  }
  EXPECT_EQ(vmm_side->pa, driver_first->pa);
  EXPECT_EQ(app_side->pa, driver_second->pa);
  EXPECT_NE(vmm_side->pa, app_side->pa);
  EXPECT_EQ(model().queue_physical.at(disk.first_queue + 1), app_side->pa);
  EXPECT_EQ(region("linux", 0x4000'0000)->kind, Region::Kind::guest_ram) << "the VM itself maps no queue";
  // A net queue in the port and in the switch.
  const Device_service& lan = service("lan");
  const uint64_t net_bytes = (queue::net_queue_bytes + 0xfff) & ~uint64_t{0xfff};
  const Region* port = region("app", 0x4020'0000);
  const Region* switch_side = region("net", 0x1000'0000 + net_bytes);
  ASSERT_TRUE(port && switch_side);
  EXPECT_EQ(port->pa, switch_side->pa);
  EXPECT_EQ(port->size, lan.queue_bytes());
}

TEST_F(DeviceServices, NoQueueSharesPagesWithAnythingElseAndTheImageLoadsNothingThere) {
  // Every other placed page in RAM is elsewhere: the queues start as the
  // zeroed RAM the image builder never writes (it loads only into memory
  // regions, and its pristine copies go where no region is).
  std::vector<std::pair<uint64_t, uint64_t>> queues;
  for (const auto& owner : model().partitions) {
    for (const auto& placed : owner.regions)
      if (placed.kind == Region::Kind::device_queue) queues.emplace_back(placed.pa, placed.size);
  }
  for (const auto& owner : model().partitions) {
    for (const auto& placed : owner.regions) {
      if (placed.kind == Region::Kind::device_queue || placed.kind == Region::Kind::device) continue;
      for (const auto& [base, size] : queues)
        EXPECT_TRUE(placed.pa + placed.size <= base || base + size <= placed.pa)
            << owner.name << " " << placed.name << " overlaps a queue";
    }
  }
}

TEST_F(DeviceServices, TheDriverOwnsItsTransportAtItsPhysicalAddressAndItsInterrupt) {
  const Region* mmio = region("blk", 0x0a00'3000);
  ASSERT_TRUE(mmio);
  EXPECT_EQ(mmio->kind, Region::Kind::device);
  EXPECT_EQ(mmio->pa, 0x0a00'3000u);
  const uint32_t driver_notification = notification("disk.driver");
  ASSERT_NE(driver_notification, none);
  EXPECT_EQ(model().notifications[driver_notification].owner, model().partition_index.at("blk"));
  bool delivered = false;
  for (const auto& irq : read_->info().irqs()) {
    if (irq.intid != 79) continue;  // virtio31
    delivered = true;
    EXPECT_EQ(irq.notification, driver_notification);
    EXPECT_EQ(irq.badge, queue::device_interrupt_bit);
    EXPECT_EQ(irq.partition, model().partition_index.at("blk"));
  }
  EXPECT_TRUE(delivered);
  EXPECT_EQ(partition("blk").grants.size(), 1u);
}

TEST_F(DeviceServices, ClientsRingTheDriverWithTheirOwnBitAndTheDriverAnswersOnTheirDoorbells) {
  // Client 0 (the VM, through its VMM) and client 1 (app).
  EXPECT_EQ(signal_badges("vmm", "disk.driver"), std::vector<uint64_t>{queue::client_doorbell_bit(0)});
  EXPECT_EQ(signal_badges("app", "disk.driver"), std::vector<uint64_t>{queue::client_doorbell_bit(1)});
  EXPECT_EQ(signal_badges("app", "lan.driver"), std::vector<uint64_t>{queue::client_doorbell_bit(1)});
  EXPECT_TRUE(signal_badges("linux", "disk.driver").empty()) << "a VM makes no system calls";
  // A native client owns its doorbell; the driver rings it with responses_bit.
  const uint32_t doorbell = notification("disk.doorbell.app");
  ASSERT_NE(doorbell, none);
  EXPECT_EQ(model().notifications[doorbell].owner, model().partition_index.at("app"));
  EXPECT_EQ(signal_badges("blk", "disk.doorbell.app"), std::vector<uint64_t>{queue::responses_bit});
  const auto& app_client = service("disk").clients[1];
  EXPECT_EQ(app_client.doorbell, doorbell);
  EXPECT_EQ(app_client.responses_badge, queue::responses_bit);
  EXPECT_EQ(app_client.stopped_badge, queue::driver_stopped_bit);
}

TEST_F(DeviceServices, AVmsDevicesShareOneDoorbellOfItsVmmTwoBitsEach) {
  const uint32_t doorbells = notification("linux.device-doorbells");
  ASSERT_NE(doorbells, none);
  EXPECT_EQ(model().notifications[doorbells].owner, model().partition_index.at("vmm"));
  EXPECT_EQ(notification("disk.doorbell.linux"), none);
  // vda is the VM's backed device 0 (bits 0, 1), eth0 device 1 (bits 2, 3).
  EXPECT_EQ(signal_badges("blk", "linux.device-doorbells"), std::vector<uint64_t>{1});
  EXPECT_EQ(signal_badges("net", "linux.device-doorbells"), std::vector<uint64_t>{4});
  const auto& disk_client = service("disk").clients[0];
  EXPECT_EQ(disk_client.doorbell, doorbells);
  EXPECT_EQ(disk_client.responses_badge, 1u);
  EXPECT_EQ(disk_client.stopped_badge, 2u);
  const auto& lan_port = service("lan").clients[0];
  EXPECT_EQ(lan_port.responses_badge, 4u);
  EXPECT_EQ(lan_port.stopped_badge, 8u);
  // The kernel sets bit 32 + k when the guest writes device k's
  // QueueNotify (a guest doorbell).
  EXPECT_EQ(disk_client.guest_notify_badge, uint64_t{1} << 32);
  EXPECT_EQ(lan_port.guest_notify_badge, uint64_t{1} << 33);
  EXPECT_EQ(service("disk").clients[1].guest_notify_badge, 0u) << "a native client writes no QueueNotify";
}

// Each backed device's QueueNotify rings the VMM's devices thread and its
// InterruptACK is dropped, in the kernel, without an exit; nothing else in
// the device's frame, and no native partition, has a doorbell.
TEST_F(DeviceServices, AVmsBackedDevicesGetGuestDoorbellsForQueueNotifyAndInterruptAck) {
  const auto& info = read_->info();
  const uint32_t doorbells = notification("linux.device-doorbells");
  auto doorbells_of = [&](const std::string& name) {
    std::vector<std::tuple<uint64_t, uint32_t, uint64_t>> found;
    const auto index = model().partition_index.at(name);
    for (const auto& doorbell : info.guest_doorbells_of(info.partitions()[index])) {
      found.emplace_back(doorbell.ipa, doorbell.notification, doorbell.badge);
    }
    return found;
  };
  // vda at 0xa010000 (backed device 0), eth0 at 0xa011000 (device 1).
  EXPECT_EQ(doorbells_of("linux"),
            (std::vector<std::tuple<uint64_t, uint32_t, uint64_t>>{{0xa010050, doorbells, uint64_t{1} << 32},
                                                                   {0xa010064, kestrel::abi::no_index, 0},
                                                                   {0xa011050, doorbells, uint64_t{1} << 33},
                                                                   {0xa011064, kestrel::abi::no_index, 0}}));
  EXPECT_TRUE(doorbells_of("vmm").empty());
  EXPECT_TRUE(doorbells_of("app").empty());
}

TEST_F(DeviceServices, ReachesAreSymmetricAndMacsParsed) {
  const auto& ports = service("lan").clients;
  ASSERT_EQ(ports.size(), 2u);
  EXPECT_EQ(ports[0].reaches, std::vector<uint32_t>{1});
  EXPECT_EQ(ports[1].reaches, std::vector<uint32_t>{0}) << "linux names app; app reaches linux all the same";
  EXPECT_TRUE(ports[0].reaches_outside);
  EXPECT_FALSE(ports[1].reaches_outside);
  const uint8_t expected[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x57};
  EXPECT_TRUE(ports[1].mac_valid);
  EXPECT_EQ(std::memcmp(ports[1].mac, expected, 6), 0);
}

// When a driver stops, the kernel rings each client's doorbell with its
// stopped badge: the boot-info stop signals of the driver's partition.
TEST_F(DeviceServices, ADriversStopRingsEachClientsDoorbellWithItsStoppedBit) {
  const auto& info = read_->info();
  auto stop_signals_of = [&](const std::string& name) {
    std::vector<std::pair<uint32_t, uint32_t>> signals;
    const auto index = model().partition_index.at(name);
    for (const auto& signal : info.stop_signals_of(info.partitions()[index])) {
      signals.emplace_back(signal.notification, signal.bit);
    }
    return signals;
  };
  const uint32_t vm_doorbells = notification("linux.device-doorbells");
  const uint32_t app_disk = notification("disk.doorbell.app");
  const uint32_t app_lan = notification("lan.doorbell.app");
  ASSERT_NE(app_lan, none);
  // The disk's clients: the VM (bit 1 of its VMM's word), then app (driver_stopped_bit).
  EXPECT_EQ(stop_signals_of("blk"), (std::vector<std::pair<uint32_t, uint32_t>>{{vm_doorbells, 1}, {app_disk, 1}}));
  // The network's: the VM (its second backed device: bit 3), then app.
  EXPECT_EQ(stop_signals_of("net"), (std::vector<std::pair<uint32_t, uint32_t>>{{vm_doorbells, 3}, {app_lan, 1}}));
  EXPECT_TRUE(stop_signals_of("app").empty()) << "a client's stop tells nobody";
}
