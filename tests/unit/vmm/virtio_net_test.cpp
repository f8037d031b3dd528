// SPDX-License-Identifier: Apache-2.0
// virtio-net model tests (vmm-server/include/kestrel/vmm/virtio_net.hpp over
// device_queues.hpp's Net_queue): Linux's driver on one side (features, the
// MAC and link status, receive buffers posted, frames sent behind a
// virtio_net_hdr), a fake switch port on the other (the Consumer of the
// transmit ring and Producer of the receive ring of the same queue region).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <kestrel/device_queue.hpp>
#include <kestrel/vmm/device_queues.hpp>
#include <kestrel/vmm/virtio_net.hpp>

#include "virtio_driver.hpp"

namespace {

namespace dq = kestrel::device_queue;
namespace virtio = kestrel::vmm::virtio;
namespace net = kestrel::vmm::virtio_net;
namespace virtq = kestrel::vmm::virtq;
using kestrel::vmm::Level_change;
using kestrel::vmm::testing::Driver;
using kestrel::vmm::testing::Driver_queue;
using kestrel::vmm::testing::Guest_ram;
using kestrel::vmm::testing::ram_base;

struct Counting_doorbell {
  int* rings = nullptr;
  void ring() { ++*rings; }
};
using Queue = kestrel::vmm::Net_queue<Counting_doorbell>;
using Net = kestrel::vmm::Virtio_net<Queue>;

struct alignas(4096) Region {
  uint8_t bytes[dq::net_queue_bytes];
};

constexpr uint32_t queue_size = 64;
constexpr uint64_t guest_ram_size = 1 << 20;
constexpr uint64_t buffers = ram_base + 0x10000;
constexpr uint8_t port_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

// The switch's side of the port's queue region.
class Fake_switch {
 public:
  explicit Fake_switch(Region& region)
      : region_(region),
        header_(reinterpret_cast<dq::Net_queue_header*>(region.bytes)),
        transmitted_(&header_->transmit),
        to_client_(&header_->receive) {}

  // Every frame the client transmitted, taken.
  std::vector<std::string> take() {
    std::vector<std::string> frames;
    dq::Net_frame frame{};
    while (transmitted_.peek(frame) == dq::Ring_status::ok) {
      const uint8_t* slot = region_.bytes + dq::net_transmit_slot_offset(transmitted_.consumed());
      frames.emplace_back(reinterpret_cast<const char*>(slot), frame.length);
      transmitted_.advance();
    }
    return frames;
  }
  // A frame for the client; false when its ring is full. `length` may lie.
  bool deliver(const std::string& frame, uint32_t length = 0) {
    uint8_t* slot = region_.bytes + dq::net_receive_slot_offset(to_client_.next());
    std::memcpy(slot, frame.data(), std::min<size_t>(frame.size(), dq::net_slot_bytes));
    return to_client_.push({length != 0 ? length : static_cast<uint32_t>(frame.size()), 0}) == dq::Ring_status::ok;
  }
  dq::Net_queue_header* header() { return header_; }

 private:
  Region& region_;
  dq::Net_queue_header* header_;
  dq::Consumer<dq::Net_frame, dq::net_queue_depth> transmitted_;
  dq::Producer<dq::Net_frame, dq::net_queue_depth> to_client_;
};

std::string frame_of(size_t bytes, uint8_t seed) {
  std::string frame(bytes, '\0');
  for (size_t i = 0; i < bytes; ++i) frame[i] = static_cast<char>(seed + i * 13);
  return frame;
}

class Virtio_net_test : public ::testing::Test {
 protected:
  Guest_ram ram{guest_ram_size};
  std::unique_ptr<Region> region = std::make_unique<Region>();
  int rings = 0;
  Fake_switch port{*region};
  Net device{ram.memory(), port_mac, Queue(reinterpret_cast<uintptr_t>(region->bytes), Counting_doorbell{&rings})};
  Driver<Net> driver{device};
  std::vector<Driver_queue> queues;
  uint64_t next_buffer = buffers;

  void SetUp() override {
    ASSERT_TRUE(driver.negotiate(virtio::f_version_1 | net::f_mac | net::f_status));
    queues.push_back(driver.setup_queue(ram, net::receiveq, queue_size, ram_base + 0x1000));
    queues.push_back(driver.setup_queue(ram, net::transmitq, queue_size, ram_base + 0x4000));
  }
  void driver_ok() {
    driver.add_status(virtio::status_driver_ok);
    ASSERT_TRUE(device.transport().operational());
  }
  Driver_queue& receiveq() { return queues[0]; }
  Driver_queue& transmitq() { return queues[1]; }

  // Linux's small receive buffer: header and a full frame in one.
  uint64_t post_receive(uint32_t bytes = net::header_bytes + 1518) {
    const uint64_t at = next_buffer;
    next_buffer += 0x800;
    receiveq().add_chain({{at, bytes}}, true);
    return at;
  }
  // A frame behind a header with `flags` (which the device ignores), in
  // one descriptor or two.
  void send(const std::string& frame, bool split = false) {
    const uint64_t at = next_buffer;
    next_buffer += 0x800;
    std::string header(net::header_bytes, '\0');
    header[0] = 1;  // VIRTIO_NET_HDR_F_NEEDS_CSUM: not negotiated, ignored
    ram.put_bytes(at, header);
    ram.put_bytes(at + net::header_bytes, frame);
    if (split) {
      transmitq().add_chain({{at, net::header_bytes}, {at + net::header_bytes, static_cast<uint32_t>(frame.size())}},
                            false);
    } else {
      transmitq().add_chain({{at, static_cast<uint32_t>(net::header_bytes + frame.size())}}, false);
    }
  }
  void notify(uint32_t queue) { driver.write(virtio::queue_notify, queue); }
};

TEST_F(Virtio_net_test, OffersTheMacAndTheLinkStatus) {
  driver.write(virtio::device_features_sel, 0);
  EXPECT_EQ(driver.read(virtio::device_features), net::f_mac | net::f_status);
  driver.write(virtio::device_features_sel, 1);
  EXPECT_EQ(driver.read(virtio::device_features), 1u);  // VERSION_1
  EXPECT_EQ(driver.read(virtio::device_id), net::device_id);
  for (uint32_t i = 0; i < 6; ++i) EXPECT_EQ(device.read(virtio::config + net::config_mac + i, 1), port_mac[i]);
  EXPECT_EQ(device.read(virtio::config + net::config_status, 2), net::s_link_up);
  EXPECT_EQ(device.read(virtio::config + net::config_bytes, 1), 0u);
}

TEST_F(Virtio_net_test, TransmitStripsTheHeader) {
  driver_ok();
  const std::string first = frame_of(60, 1);
  const std::string second = frame_of(1000, 2);
  send(first);
  send(second, true);
  notify(net::transmitq);
  EXPECT_EQ(rings, 1) << "one ring per notification";
  const auto frames = port.take();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0], first);
  EXPECT_EQ(frames[1], second);
  EXPECT_EQ(transmitq().used_index(), 2);
  EXPECT_EQ(transmitq().used_length(0), 0u);
  EXPECT_EQ(device.counts().transmitted, 2u);
  EXPECT_EQ(device.take_level_change(), Level_change::rose);
}

TEST_F(Virtio_net_test, TransmitDropsFramesOfImpossibleLengths) {
  driver_ok();
  send(frame_of(13, 1));    // shorter than an Ethernet header
  send(frame_of(14, 2));    // the shortest
  send(frame_of(1518, 3));  // the longest, with a VLAN tag
  send(frame_of(1519, 4));
  send(frame_of(0, 5));  // a header alone
  notify(net::transmitq);
  const auto frames = port.take();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0], frame_of(14, 2));
  EXPECT_EQ(frames[1], frame_of(1518, 3));
  EXPECT_EQ(device.counts().dropped_malformed, 3u);
  EXPECT_EQ(transmitq().used_index(), 5) << "every chain goes back to the guest";
}

TEST_F(Virtio_net_test, TransmitWaitsForRoomInAFullRing) {
  driver_ok();
  for (uint32_t i = 0; i < dq::net_queue_depth + 2; ++i) send(frame_of(64, static_cast<uint8_t>(i)));
  notify(net::transmitq);
  EXPECT_EQ(device.counts().transmitted, dq::net_queue_depth);
  EXPECT_EQ(device.counts().dropped_full, 0u);
  EXPECT_EQ(device.counts().waited_full, 1u);
  EXPECT_EQ(transmitq().used_index(), dq::net_queue_depth) << "two chains wait in the transmitq";
  auto frames = port.take();
  ASSERT_EQ(frames.size(), dq::net_queue_depth);
  EXPECT_EQ(frames.back(), frame_of(64, dq::net_queue_depth - 1));
  // The switch took them and rings: the two that waited go, in order.
  rings = 0;
  device.receive();
  EXPECT_EQ(rings, 1);
  EXPECT_EQ(transmitq().used_index(), dq::net_queue_depth + 2);
  frames = port.take();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0], frame_of(64, dq::net_queue_depth));
  EXPECT_EQ(frames[1], frame_of(64, dq::net_queue_depth + 1));
  EXPECT_EQ(device.counts().transmitted, dq::net_queue_depth + 2);
  // A ring with nothing waiting sends nothing.
  device.receive();
  EXPECT_EQ(rings, 1);
}

TEST_F(Virtio_net_test, FramesWaitingForRoomAreDroppedWhenTheDriverStops) {
  driver_ok();
  for (uint32_t i = 0; i < dq::net_queue_depth + 3; ++i) send(frame_of(64, static_cast<uint8_t>(i)));
  notify(net::transmitq);
  EXPECT_EQ(transmitq().used_index(), dq::net_queue_depth);
  device.driver_stopped();
  EXPECT_EQ(transmitq().used_index(), dq::net_queue_depth + 3) << "every chain goes back to the guest";
  EXPECT_EQ(device.counts().dropped_stopped, 3u);
}

TEST_F(Virtio_net_test, ReceiveFillsPostedBuffers) {
  const uint64_t buffer = post_receive();
  driver_ok();
  const std::string frame = frame_of(98, 7);
  ASSERT_TRUE(port.deliver(frame));
  device.receive();
  ASSERT_EQ(receiveq().used_index(), 1);
  EXPECT_EQ(receiveq().used_length(0), net::header_bytes + 98);
  std::string header(net::header_bytes, '\0');
  header[net::num_buffers_offset] = 1;
  EXPECT_EQ(ram.bytes(buffer, net::header_bytes), header);
  EXPECT_EQ(ram.bytes(buffer + net::header_bytes, 98), frame);
  EXPECT_EQ(device.take_level_change(), Level_change::rose);
  EXPECT_EQ(device.counts().received, 1u);
}

TEST_F(Virtio_net_test, FramesWaitForBuffersInTheRing) {
  driver_ok();
  ASSERT_TRUE(port.deliver(frame_of(60, 1)));
  ASSERT_TRUE(port.deliver(frame_of(1518, 2)));
  device.receive();
  EXPECT_EQ(receiveq().used_index(), 0);
  const uint64_t first = post_receive();
  notify(net::receiveq);  // Linux kicks after refilling
  ASSERT_EQ(receiveq().used_index(), 1);
  EXPECT_EQ(ram.bytes(first + net::header_bytes, 60), frame_of(60, 1));
  const uint64_t second = post_receive();
  notify(net::receiveq);
  ASSERT_EQ(receiveq().used_index(), 2);
  EXPECT_EQ(receiveq().used_length(1), net::header_bytes + 1518);
  EXPECT_EQ(ram.bytes(second + net::header_bytes, 1518), frame_of(1518, 2));
}

TEST_F(Virtio_net_test, ReceiveDropsBadLengthsAndFramesTooBigForTheBuffer) {
  post_receive(net::header_bytes + 100);  // too small for the first frame
  post_receive();
  post_receive();
  driver_ok();
  ASSERT_TRUE(port.deliver(frame_of(200, 1)));
  ASSERT_TRUE(port.deliver(frame_of(60, 2), 13));                      // a driver that lies: too short
  ASSERT_TRUE(port.deliver(frame_of(60, 3), dq::net_slot_bytes + 1));  // and past its slot
  ASSERT_TRUE(port.deliver(frame_of(14, 4)));
  device.receive();
  EXPECT_EQ(device.counts().dropped_small_buffer, 1u);
  EXPECT_EQ(device.counts().dropped_malformed, 2u);
  ASSERT_EQ(receiveq().used_index(), 2);
  EXPECT_EQ(receiveq().used_length(0), 0u) << "the small buffer back, empty";
  EXPECT_EQ(receiveq().used_length(1), net::header_bytes + 14);
}

TEST_F(Virtio_net_test, AStoppedDriverTakesTheLinkDown) {
  driver_ok();
  device.driver_stopped();
  EXPECT_EQ(device.read(virtio::config + net::config_status, 2), 0u);
  EXPECT_NE(driver.read(virtio::interrupt_status) & virtio::interrupt_configuration_change, 0u);
  EXPECT_EQ(driver.read(virtio::config_generation), 1u);
  send(frame_of(60, 1));
  notify(net::transmitq);
  EXPECT_TRUE(port.take().empty());
  EXPECT_EQ(device.counts().dropped_stopped, 1u);
  EXPECT_EQ(transmitq().used_index(), 1);
  EXPECT_EQ(rings, 0);
}

TEST_F(Virtio_net_test, ACorruptIndexFromTheSwitchIsAStop) {
  post_receive();
  driver_ok();
  port.header()->receive.produced = 1000;
  device.receive();
  EXPECT_EQ(receiveq().used_index(), 0);
  EXPECT_EQ(device.read(virtio::config + net::config_status, 2), 0u);
}

TEST_F(Virtio_net_test, ABrokenChainNeedsAReset) {
  driver_ok();
  transmitq().add_chain({{ram_base + guest_ram_size - 8, 64}}, false);  // past the end of RAM
  notify(net::transmitq);
  EXPECT_NE(driver.read(virtio::status) & virtio::status_device_needs_reset, 0u);
  EXPECT_TRUE(port.take().empty());
}

}  // namespace
