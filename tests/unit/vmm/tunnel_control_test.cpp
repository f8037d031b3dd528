// SPDX-License-Identifier: Apache-2.0
// Tunnel control: the registers a guest drives its tunnels through, what a
// write asks the VMM to do, and the doorbell bits it reads (and clears).
#include <gtest/gtest.h>

#include <kestrel/vmm/tunnel_control.hpp>

namespace {

namespace vmm = kestrel::vmm;
namespace reg = kestrel::vmm::tunnel_register;
using vmm::Tunnel_request_kind;

constexpr vmm::Tunnel_place places[] = {{3, 0x60000000, 0x2000, 2}, {5, 0x60004000, 0x1000, 1}};

class TunnelControl : public testing::Test {
 protected:
  vmm::Tunnel_control<4> control_{places, 2};
};

TEST_F(TunnelControl, SaysWhatItIsAndThatNothingWasAskedYet) {
  EXPECT_EQ(control_.read(reg::id, 4), vmm::tunnel_control_id);
  EXPECT_EQ(control_.read(reg::status, 4), vmm::no_status);
}

TEST_F(TunnelControl, AnOperationOnASelectedTunnelIsACallForTheVmm) {
  control_.write(reg::tunnel, 4, 5);
  control_.write(reg::instance, 4, 0);
  const vmm::Tunnel_request open = control_.write(reg::operation, 4, 1);
  EXPECT_EQ(open.kind, Tunnel_request_kind::call);
  EXPECT_EQ(open.tunnel, 1u) << "the index of tunnel id 5";
  EXPECT_EQ(open.operation, 1u);
  control_.complete(0, 0x60004000, 0x1000, 0);
  EXPECT_EQ(control_.read(reg::status, 4), 0u);
  EXPECT_EQ(control_.read(reg::address_low, 4), 0x60004000u);
  EXPECT_EQ(control_.read(reg::address_high, 4), 0u);
  EXPECT_EQ(control_.read(reg::size, 4), 0x1000u);

  control_.write(reg::tunnel, 4, 3);
  control_.write(reg::instance, 4, 1);
  const vmm::Tunnel_request close = control_.write(reg::operation, 4, 3);
  EXPECT_EQ(close.kind, Tunnel_request_kind::call);
  EXPECT_EQ(close.tunnel, 0u);
  EXPECT_EQ(close.instance, 1u) << "close names the instance the guest chose";
  control_.complete(10, 0, 0, 0);
  EXPECT_EQ(control_.read(reg::status, 4), 10u);
  EXPECT_EQ(control_.read(reg::address_low, 4), 0u) << "a refusal gives no place";
  EXPECT_EQ(control_.read(reg::instance, 4), 1u);
}

TEST_F(TunnelControl, RefusesWithoutAskingTheIpcm) {
  control_.write(reg::tunnel, 4, 4);  // not a tunnel of this VM
  EXPECT_EQ(control_.write(reg::operation, 4, 1).kind, Tunnel_request_kind::none);
  EXPECT_EQ(control_.read(reg::status, 4), vmm::tunnel_status_not_an_end);
  EXPECT_EQ(control_.write(reg::ring, 4, 1).kind, Tunnel_request_kind::none);
  control_.write(reg::tunnel, 4, 3);
  for (const uint64_t operation : {0u, 4u, 0xffffffffu}) {
    EXPECT_EQ(control_.write(reg::operation, 4, operation).kind, Tunnel_request_kind::none);
    EXPECT_EQ(control_.read(reg::status, 4), vmm::tunnel_status_bad_operation);
  }
}

TEST_F(TunnelControl, RingsTheSelectedTunnel) {
  control_.write(reg::tunnel, 4, 5);
  const vmm::Tunnel_request ring = control_.write(reg::ring, 4, 0);
  EXPECT_EQ(ring.kind, Tunnel_request_kind::ring);
  EXPECT_EQ(ring.tunnel, 1u);
}

TEST_F(TunnelControl, PendingBitsAreThoseOfTheSelectedTunnelAndAReadClearsThem) {
  control_.rang(0, 2);
  control_.rang(0, 1);
  control_.rang(1, 2);
  control_.rang(7, 1);  // no such tunnel: ignored
  control_.write(reg::tunnel, 4, 3);
  EXPECT_EQ(control_.read(reg::pending, 4), 3u) << "every ring since the last read";
  EXPECT_EQ(control_.read(reg::pending, 4), 0u);
  control_.write(reg::tunnel, 4, 5);
  EXPECT_EQ(control_.read(reg::pending, 4), 2u);
  control_.rang(1, 1);
  control_.reset();
  EXPECT_EQ(control_.read(reg::pending, 4), 0u) << "a reset of the VM forgets them";
}

TEST_F(TunnelControl, OtherAccessesReadZeroAndDoNothing) {
  control_.rang(0, 1);
  control_.write(reg::tunnel, 4, 3);
  for (const unsigned size : {1u, 2u, 8u}) {
    EXPECT_EQ(control_.read(reg::id, size), 0u);
    EXPECT_EQ(control_.read(reg::pending, size), 0u);
    EXPECT_EQ(control_.write(reg::operation, size, 1).kind, Tunnel_request_kind::none);
  }
  EXPECT_EQ(control_.read(reg::tunnel + 2, 4), 0u);
  EXPECT_EQ(control_.read(0xffc, 4), 0u);
  EXPECT_EQ(control_.write(0x800, 4, 1).kind, Tunnel_request_kind::none);
  EXPECT_EQ(control_.read(reg::pending, 4), 1u) << "no stray access took the bits";
}

}  // namespace
