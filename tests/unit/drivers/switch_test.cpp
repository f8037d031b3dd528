// SPDX-License-Identifier: Apache-2.0
// The virtual switch's decisions (drivers-untrusted/virtio-net/switch.hpp):
// spoofing, reachability, broadcast, unknown unicast and the outside.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "switch.hpp"

namespace {

using virtual_switch::Drop;
using virtual_switch::outside_bit;

constexpr uint8_t broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
constexpr uint8_t multicast[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
constexpr uint8_t stranger[6] = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x02};  // QEMU user-mode's gateway

// Ports 0, 1, 2: 0 and 1 reach each other and outside; 2 reaches 1 only.
struct Switch_test : ::testing::Test {
  virtual_switch::Port ports[3] = {
      {{0x52, 0x54, 0, 0, 0, 0x10}, (1u << 1) | outside_bit},
      {{0x52, 0x54, 0, 0, 0, 0x11}, (1u << 0) | (1u << 2) | outside_bit},
      {{0x52, 0x54, 0, 0, 0, 0x12}, (1u << 1)},
  };
  virtual_switch::Switch the_switch{ports, 3, true};

  static std::vector<uint8_t> frame(const uint8_t* to, const uint8_t* from, uint32_t length = 60) {
    std::vector<uint8_t> bytes(length, 0xab);
    std::memcpy(bytes.data(), to, 6);
    std::memcpy(bytes.data() + 6, from, 6);
    return bytes;
  }
  virtual_switch::Decision from(uint32_t port, const std::vector<uint8_t>& bytes) {
    return the_switch.from_port(port, bytes.data(), static_cast<uint32_t>(bytes.size()));
  }
  virtual_switch::Decision outside(const std::vector<uint8_t>& bytes) {
    return the_switch.from_outside(bytes.data(), static_cast<uint32_t>(bytes.size()));
  }
};

TEST_F(Switch_test, UnicastToAReachablePortGoesThereOnly) {
  const auto decision = from(0, frame(ports[1].mac, ports[0].mac));
  EXPECT_EQ(decision.drop, Drop::none);
  EXPECT_EQ(decision.ports, 1u << 1);
  EXPECT_FALSE(decision.outside);
}

TEST_F(Switch_test, UnicastToAPortNotReachedIsDropped) {
  EXPECT_EQ(from(0, frame(ports[2].mac, ports[0].mac)).drop, Drop::not_reachable);
  EXPECT_EQ(from(2, frame(ports[0].mac, ports[2].mac)).drop, Drop::not_reachable);
}

TEST_F(Switch_test, AOneSidedReachPassesNothing) {
  ports[0].reaches |= 1u << 2;  // 2 does not list 0
  EXPECT_EQ(from(0, frame(ports[2].mac, ports[0].mac)).drop, Drop::not_reachable);
}

TEST_F(Switch_test, ASpoofedSourceIsDropped) {
  EXPECT_EQ(from(0, frame(ports[1].mac, ports[1].mac)).drop, Drop::spoofed_source);
  EXPECT_EQ(from(0, frame(ports[1].mac, stranger)).drop, Drop::spoofed_source);
  EXPECT_EQ(from(2, frame(broadcast, ports[0].mac)).drop, Drop::spoofed_source);
}

TEST_F(Switch_test, BroadcastGoesToEveryReachablePortAndOutIfAllowed) {
  auto decision = from(1, frame(broadcast, ports[1].mac));
  EXPECT_EQ(decision.drop, Drop::none);
  EXPECT_EQ(decision.ports, (1u << 0) | (1u << 2));
  EXPECT_TRUE(decision.outside);
  decision = from(2, frame(multicast, ports[2].mac));
  EXPECT_EQ(decision.ports, 1u << 1);
  EXPECT_FALSE(decision.outside);
}

TEST_F(Switch_test, UnknownUnicastGoesOutOnlyFromAPortThatReachesOutside) {
  auto decision = from(0, frame(stranger, ports[0].mac));
  EXPECT_EQ(decision.drop, Drop::none);
  EXPECT_EQ(decision.ports, 0u);
  EXPECT_TRUE(decision.outside);
  EXPECT_EQ(from(2, frame(stranger, ports[2].mac)).drop, Drop::unknown_destination);
}

TEST_F(Switch_test, WithoutANicNothingGoesOut) {
  virtual_switch::Switch no_nic{ports, 3, false};
  const auto bytes = frame(stranger, ports[0].mac);
  EXPECT_EQ(no_nic.from_port(0, bytes.data(), 60).drop, Drop::unknown_destination);
  const auto all = frame(broadcast, ports[0].mac);
  EXPECT_FALSE(no_nic.from_port(0, all.data(), 60).outside);
}

TEST_F(Switch_test, FramesFromOutsideReachOnlyPortsThatReachOutside) {
  auto decision = outside(frame(ports[0].mac, stranger));
  EXPECT_EQ(decision.drop, Drop::none);
  EXPECT_EQ(decision.ports, 1u << 0);
  EXPECT_EQ(outside(frame(ports[2].mac, stranger)).drop, Drop::not_reachable);
  decision = outside(frame(broadcast, stranger));
  EXPECT_EQ(decision.ports, (1u << 0) | (1u << 1));
  EXPECT_FALSE(decision.outside);
  EXPECT_EQ(outside(frame(stranger, stranger)).drop, Drop::unknown_destination);
}

TEST_F(Switch_test, FromOutsideAPortsAddressOrAGroupSourceIsDropped) {
  EXPECT_EQ(outside(frame(ports[1].mac, ports[0].mac)).drop, Drop::spoofed_source);
  EXPECT_EQ(outside(frame(ports[1].mac, multicast)).drop, Drop::multicast_source);
}

TEST_F(Switch_test, LengthsOutsideAnEthernetFrameAreDropped) {
  EXPECT_EQ(from(0, frame(ports[1].mac, ports[0].mac, 13)).drop, Drop::bad_length);
  EXPECT_EQ(from(0, frame(ports[1].mac, ports[0].mac, 14)).drop, Drop::none);
  EXPECT_EQ(from(0, frame(ports[1].mac, ports[0].mac, 1518)).drop, Drop::none);
  EXPECT_EQ(from(0, frame(ports[1].mac, ports[0].mac, 1519)).drop, Drop::bad_length);
  EXPECT_EQ(outside(frame(ports[0].mac, stranger, 1519)).drop, Drop::bad_length);
}

TEST_F(Switch_test, AFrameToItselfOrFromAnUnknownPortIsDropped) {
  EXPECT_EQ(from(1, frame(ports[1].mac, ports[1].mac)).drop, Drop::to_itself);
  EXPECT_EQ(from(3, frame(ports[1].mac, ports[0].mac)).drop, Drop::not_reachable);
}

}  // namespace
