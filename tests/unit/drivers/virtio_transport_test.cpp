// SPDX-License-Identifier: Apache-2.0
// The virtio-mmio transport (drivers-untrusted/virtio/transport.hpp)
// against a fake register file: probing, the status sequence of feature
// negotiation, queue setup, interrupts and configuration reads.
#include <gtest/gtest.h>

#include <cstring>

#include "fake_virtio.hpp"
#include "transport.hpp"

namespace {

using fake_virtio::Device;
using fake_virtio::Registers;
using virtio::Transport;

TEST(Virtio_transport, ProbeTellsWhatIsBehindTheTransport) {
  Device device;
  Transport<Registers> transport{Registers{&device}};
  EXPECT_EQ(transport.probe(virtio::device_block), virtio::Probe_status::ok);
  EXPECT_EQ(transport.probe(virtio::device_net), virtio::Probe_status::wrong_device);
  device.device_id = 0;
  EXPECT_EQ(transport.probe(virtio::device_block), virtio::Probe_status::no_device);
  device.version = 1;
  EXPECT_EQ(transport.probe(virtio::device_block), virtio::Probe_status::legacy);
  device.magic = 0;
  EXPECT_EQ(transport.probe(virtio::device_block), virtio::Probe_status::no_transport);
}

TEST(Virtio_transport, NegotiationFollowsTheStatusSequenceAndTakesOnlyOfferedFeatures) {
  Device device;
  device.status = 0x8f;  // left over from a previous driver
  device.features = virtio::feature_version_1 | virtio::feature_bit(9) | virtio::feature_bit(1);
  Transport<Registers> transport{Registers{&device}};
  uint64_t accepted = 0;
  ASSERT_EQ(transport.negotiate(virtio::feature_bit(9) | virtio::feature_bit(5), 0, accepted),
            virtio::Negotiation_status::ok);
  EXPECT_EQ(accepted, virtio::feature_version_1 | virtio::feature_bit(9));
  EXPECT_EQ(device.driver_features, accepted);
  using namespace virtio::status;
  const std::vector<uint32_t> expected{0, acknowledge, acknowledge | driver, acknowledge | driver | features_ok};
  EXPECT_EQ(device.status_writes, expected);
  transport.driver_ok();
  EXPECT_EQ(device.status, acknowledge | driver | features_ok | driver_ok);
}

TEST(Virtio_transport, ADeviceWithoutVersion1IsRefusedAndMarkedFailed) {
  Device device;
  device.features = virtio::feature_bit(9);
  Transport<Registers> transport{Registers{&device}};
  uint64_t accepted = 1;
  EXPECT_EQ(transport.negotiate(virtio::feature_bit(9), 0, accepted), virtio::Negotiation_status::no_version_1);
  EXPECT_EQ(accepted, 0u);
  EXPECT_NE(device.status & virtio::status::failed, 0u);
}

TEST(Virtio_transport, AMissingRequiredFeatureIsRefused) {
  Device device;
  Transport<Registers> transport{Registers{&device}};
  uint64_t accepted = 0;
  EXPECT_EQ(transport.negotiate(0, virtio::feature_bit(5), accepted), virtio::Negotiation_status::missing_feature);
  EXPECT_NE(device.status & virtio::status::failed, 0u);
}

TEST(Virtio_transport, FeaturesOkThatDoesNotStickIsAFailure) {
  Device device;
  device.refuse_features = true;
  Transport<Registers> transport{Registers{&device}};
  uint64_t accepted = 0;
  EXPECT_EQ(transport.negotiate(0, 0, accepted), virtio::Negotiation_status::features_refused);
  EXPECT_EQ(accepted, 0u);
  EXPECT_NE(device.status & virtio::status::failed, 0u);
  EXPECT_EQ(device.status & virtio::status::driver_ok, 0u);
}

TEST(Virtio_transport, QueueSetupWritesSizeAndSplitAddressesThenReady) {
  Device device;
  Transport<Registers> transport{Registers{&device}};
  EXPECT_EQ(transport.queue_size_max(1), 256u);
  const virtio::Queue_addresses addresses{0x1'2345'6000, 0x1'2345'7000, 0x9'0000'0040};
  ASSERT_EQ(transport.set_up_queue(1, 64, addresses), virtio::Queue_status::ok);
  EXPECT_EQ(device.queues[1].size, 64u);
  EXPECT_EQ(device.queues[1].descriptors, addresses.descriptors);
  EXPECT_EQ(device.queues[1].available, addresses.available);
  EXPECT_EQ(device.queues[1].used, addresses.used);
  EXPECT_EQ(device.queues[1].ready, 1u);
  EXPECT_EQ(device.queues[0].ready, 0u);
  EXPECT_EQ(transport.set_up_queue(1, 64, addresses), virtio::Queue_status::in_use);
  EXPECT_EQ(transport.set_up_queue(0, 512, addresses), virtio::Queue_status::too_small);
  device.queues[0].size_max = 0;
  EXPECT_EQ(transport.set_up_queue(0, 64, addresses), virtio::Queue_status::no_queue);
  EXPECT_EQ(device.queues[0].ready, 0u);
}

TEST(Virtio_transport, ResetClearsQueuesForANewSetup) {
  Device device;
  Transport<Registers> transport{Registers{&device}};
  ASSERT_EQ(transport.set_up_queue(0, 8, {1, 2, 3}), virtio::Queue_status::ok);
  uint64_t accepted = 0;
  ASSERT_EQ(transport.negotiate(0, 0, accepted), virtio::Negotiation_status::ok);
  EXPECT_EQ(transport.set_up_queue(0, 8, {1, 2, 3}), virtio::Queue_status::ok);
}

TEST(Virtio_transport, NotifyAndInterruptAcknowledge) {
  Device device;
  Transport<Registers> transport{Registers{&device}};
  transport.notify(1);
  EXPECT_EQ(device.notified, std::vector<uint32_t>{1});
  device.interrupt_status = virtio::interrupt_used_buffer | virtio::interrupt_config_change;
  EXPECT_EQ(transport.take_interrupt(), 3u);
  EXPECT_EQ(device.interrupt_status, 0u);
  EXPECT_EQ(transport.take_interrupt(), 0u);
}

TEST(Virtio_transport, ConfigurationReads) {
  Device device;
  const uint64_t capacity = 0x1'0000'2000;
  std::memcpy(device.config, &capacity, 8);
  const uint8_t mac[6] = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
  std::memcpy(device.config + 8, mac, 6);
  Transport<Registers> transport{Registers{&device}};
  EXPECT_EQ(transport.config64(0), capacity);
  for (uint32_t i = 0; i < 6; ++i) EXPECT_EQ(transport.config8(8 + i), mac[i]) << i;
}

}  // namespace
