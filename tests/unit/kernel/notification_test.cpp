// SPDX-License-Identifier: Apache-2.0
// Notification tests on the fake arch: signal, wait and poll, recv that
// also waits on a notification, interrupts delivered to one and
// acknowledged, and the rights each call needs.
#include <gtest/gtest.h>

#include <kestrel/irq.hpp>
#include <kestrel/scheduler.hpp>

#include "ipc_system.hpp"

using namespace kestrel;
using namespace kestrel::test;

namespace {

// <cxxabi.h> (through GoogleTest) has a global `abi` too.
namespace abi = kestrel::abi;
using abi::Capability_kind;
using abi::Status;
using abi::Syscall;

// Partition "app": "signaller" (10), "waiter" (20), "idle" (1). One
// notification; slots: 0 send (badge 0b001), 1 send (badge 0b100), 2
// receive, 3 an endpoint to receive on, 4 the IRQ (control), 5 the IRQ
// without the control right.
class NotificationTest : public testing::Test {
 protected:
  static constexpr uint32_t intid = 40;

  void SetUp() override {
    const uint32_t app = system_.add_partition("app");
    signaller_ = system_.add_thread(app, "signaller", {.priority = 10});
    waiter_ = system_.add_thread(app, "waiter", {.priority = 20});
    system_.add_thread(app, "idle", {.priority = 1});
    notification_ = system_.add_notification(app);
    const uint32_t endpoint = system_.add_endpoint(app);
    const uint32_t irq = system_.add_irq(intid, notification_, 0x100, app);
    system_.add_capability(app, Capability_kind::notification, notification_, abi::right_send, 0b001);
    system_.add_capability(app, Capability_kind::notification, notification_, abi::right_send, 0b100);
    system_.add_capability(app, Capability_kind::notification, notification_, abi::right_receive);
    system_.add_capability(app, Capability_kind::endpoint, endpoint, abi::right_receive);
    system_.add_capability(app, Capability_kind::irq, irq, abi::right_control);
    system_.add_capability(app, Capability_kind::irq, irq, abi::right_send);
    system_.start();
  }

  Thread& signaller() { return system_.thread(signaller_); }
  Thread& waiter() { return system_.thread(waiter_); }

  // The waiter blocks in wait; the signaller runs.
  void waiter_waits() {
    system_.run(waiter());
    EXPECT_EQ(system_.syscall(waiter(), Syscall::wait, {receive_slot}), &signaller());
    EXPECT_EQ(waiter().state, Thread::State::blocked_notification);
  }

  static constexpr uint64_t send_slot = 0, other_send_slot = 1, receive_slot = 2, endpoint_slot = 3, irq_slot = 4,
                            irq_slot_without_control = 5;
  Ipc_system system_;
  uint32_t signaller_ = 0, waiter_ = 0, notification_ = 0;
};

TEST_F(NotificationTest, SignalsOrTheirBadgesAndWaitTakesTheWord) {
  system_.run(signaller());
  system_.syscall(signaller(), Syscall::signal, {send_slot});
  system_.syscall(signaller(), Syscall::signal, {other_send_slot});
  system_.syscall(signaller(), Syscall::signal, {send_slot});
  EXPECT_EQ(Ipc_system::status(signaller()), Status::ok);
  system_.run(waiter());
  EXPECT_EQ(system_.syscall(waiter(), Syscall::wait, {receive_slot}), &waiter()) << "the word is there: no wait";
  EXPECT_EQ(Ipc_system::status(waiter()), Status::ok);
  EXPECT_EQ(waiter().context.x[1], 0b101u);
  EXPECT_EQ(system_.syscall(waiter(), Syscall::poll, {receive_slot}), &waiter());
  EXPECT_EQ(waiter().context.x[1], 0u) << "taken: the word is zero again";
}

TEST_F(NotificationTest, ASignalWakesTheWaiterWithTheWord) {
  waiter_waits();
  EXPECT_EQ(system_.syscall(signaller(), Syscall::signal, {other_send_slot}), &waiter()) << "the better waiter runs";
  EXPECT_EQ(Ipc_system::status(signaller()), Status::ok);
  EXPECT_EQ(signaller().state, Thread::State::ready);
  EXPECT_EQ(Ipc_system::status(waiter()), Status::ok);
  EXPECT_EQ(waiter().context.x[1], 0b100u);
  EXPECT_EQ(system_.notification(notification_).waiter(), nullptr);
  EXPECT_FALSE(system_.notification(notification_).has_word());
}

TEST_F(NotificationTest, PollNeverBlocks) {
  system_.run(waiter());
  EXPECT_EQ(system_.syscall(waiter(), Syscall::poll, {receive_slot}), &waiter());
  EXPECT_EQ(Ipc_system::status(waiter()), Status::ok);
  EXPECT_EQ(waiter().context.x[1], 0u);
}

TEST_F(NotificationTest, ASecondWaiterWouldDeadlock) {
  waiter_waits();
  EXPECT_EQ(system_.syscall(signaller(), Syscall::wait, {receive_slot}), &signaller());
  EXPECT_EQ(Ipc_system::status(signaller()), Status::would_deadlock);
  EXPECT_EQ(system_.notification(notification_).waiter(), &waiter());
}

TEST_F(NotificationTest, EachCallNeedsItsRight) {
  system_.run(signaller());
  system_.syscall(signaller(), Syscall::signal, {receive_slot});
  EXPECT_EQ(Ipc_system::status(signaller()), Status::missing_right);
  system_.syscall(signaller(), Syscall::wait, {send_slot});
  EXPECT_EQ(Ipc_system::status(signaller()), Status::missing_right);
  system_.syscall(signaller(), Syscall::poll, {send_slot});
  EXPECT_EQ(Ipc_system::status(signaller()), Status::missing_right);
  system_.syscall(signaller(), Syscall::signal, {endpoint_slot});
  EXPECT_EQ(Ipc_system::status(signaller()), Status::wrong_capability_type);
  system_.syscall(signaller(), Syscall::wait, {77});
  EXPECT_EQ(Ipc_system::status(signaller()), Status::invalid_capability);
  EXPECT_FALSE(system_.notification(notification_).has_word()) << "no refused signal set a bit";
}

TEST_F(NotificationTest, RecvAlsoWaitingOnANotificationEndsWithItsWord) {
  system_.run(waiter());
  EXPECT_EQ(system_.syscall(waiter(), Syscall::recv, {endpoint_slot, 1 + receive_slot}), &signaller());
  EXPECT_EQ(waiter().state, Thread::State::blocked_receive);
  EXPECT_EQ(system_.syscall(signaller(), Syscall::signal, {send_slot}), &waiter());
  EXPECT_EQ(Ipc_system::status(waiter()), Status::ok);
  EXPECT_EQ(waiter().context.x[1], 0b001u) << "the word as the badge";
  EXPECT_EQ(waiter().context.x[2], abi::message_info(abi::notification_label, 0));
  EXPECT_EQ(system_.endpoint(0).receiver, nullptr) << "it no longer waits on the endpoint";
  EXPECT_EQ(waiter().also_waiting_on, nullptr);
}

TEST_F(NotificationTest, RecvTakesAPendingWordAtOnce) {
  system_.run(signaller());
  system_.syscall(signaller(), Syscall::signal, {other_send_slot});
  system_.run(waiter());
  EXPECT_EQ(system_.syscall(waiter(), Syscall::recv, {endpoint_slot, 1 + receive_slot}), &waiter());
  EXPECT_EQ(waiter().context.x[1], 0b100u);
  EXPECT_EQ(waiter().context.x[2], abi::message_info(abi::notification_label, 0));
  EXPECT_EQ(system_.endpoint(0).receiver, nullptr);
}

TEST_F(NotificationTest, AnInterruptSignalsItsNotificationAndIrqAckEndsIt) {
  ASSERT_EQ(arch::fake::machine.enabled_interrupts.size(), 1u);
  EXPECT_EQ(arch::fake::machine.enabled_interrupts[0].intid, intid);
  EXPECT_EQ(arch::fake::machine.enabled_interrupts[0].cpu, 0u);
  EXPECT_TRUE(system_.notification(notification_).bound_to_interrupt);
  waiter_waits();
  EXPECT_TRUE(device_interrupt(intid));
  EXPECT_FALSE(device_interrupt(intid + 1)) << "nobody owns it";
  EXPECT_EQ(waiter().state, Thread::State::ready);
  EXPECT_EQ(waiter().context.x[1], 0x100u) << "the IRQ's badge";
  system_.run(waiter());
  EXPECT_EQ(system_.syscall(waiter(), Syscall::irq_ack, {irq_slot_without_control}), &waiter());
  EXPECT_EQ(Ipc_system::status(waiter()), Status::missing_right);
  EXPECT_TRUE(arch::fake::machine.ended_interrupts.empty());
  system_.syscall(waiter(), Syscall::irq_ack, {irq_slot});
  EXPECT_EQ(Ipc_system::status(waiter()), Status::ok);
  EXPECT_EQ(arch::fake::machine.ended_interrupts, std::vector<uint32_t>{intid});
}

}  // namespace
