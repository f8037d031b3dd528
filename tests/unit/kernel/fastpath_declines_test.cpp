// SPDX-License-Identifier: Apache-2.0
// Fast-path declines: fastpath.hpp promises that a fast path changes
// nothing unless every condition holds. For each condition, a state where
// only it fails: the fast path returns nullptr and the kernel's state and
// the fake machine are as before (the general path then handles the call).
#include <gtest/gtest.h>

#include <kestrel/fastpath.hpp>
#include <kestrel/syscall_handler.hpp>

#include "kernel_snapshot.hpp"

using namespace kestrel;
using namespace kestrel::test;

namespace {

// <cxxabi.h> (through GoogleTest) has a global `abi` too.
namespace abi = kestrel::abi;
using abi::Capability_kind;
using abi::Syscall;

size_t requests_recorded() {
  const arch::fake::Machine& m = arch::fake::machine;
  return m.loaded.size() + m.saved.size() + m.translation_switches.size() + m.kernel_timers.size() +
         m.kicked_cpus.size() + m.forgotten_fp.size() + m.before_return.size() + m.injected.size();
}

// Partition "client": "client" (10), "middle" (7), "idle" (1). Partition
// "server": "server" (20) waits on endpoint 0, "remote" (20, CPU 1) on
// endpoint 1, "low" (5) on endpoint 2; nobody on endpoint 3. Client slots
// 0-3: send on endpoints 0-3 (badge 0x11); 4: endpoint 0 without the send
// right; 5: a notification (send, badge 0 at slot 5, badge 1 at slot 6);
// the server's slot 0 receives on endpoint 0, 1 its notification.
class FastpathDeclinesTest : public testing::Test {
 protected:
  void SetUp() override {
    const uint32_t client = system_.add_partition("client");
    const uint32_t server = system_.add_partition("server");
    client_ = system_.add_thread(client, "client", {.priority = 10});
    system_.add_thread(client, "middle", {.priority = 7});
    system_.add_thread(client, "idle", {.priority = 1});
    server_ = system_.add_thread(server, "server", {.priority = 20});
    const uint32_t remote = system_.add_thread(server, "remote", {.priority = 20, .cpu = 1});
    const uint32_t low = system_.add_thread(server, "low", {.priority = 5});
    for (uint32_t e = 0; e < 4; ++e) system_.add_endpoint(server);
    const uint32_t notification = system_.add_notification(server);
    for (uint32_t e = 0; e < 4; ++e) {
      system_.add_capability(client, Capability_kind::endpoint, e, abi::right_send, 0x11);
    }
    system_.add_capability(client, Capability_kind::endpoint, 0, abi::right_receive);
    system_.add_capability(client, Capability_kind::notification, notification, abi::right_send, 0);
    system_.add_capability(client, Capability_kind::notification, notification, abi::right_send, 1);
    for (uint32_t e = 0; e < 3; ++e) {
      system_.add_capability(server, Capability_kind::endpoint, e, abi::right_receive);
    }
    system_.add_capability(server, Capability_kind::notification, notification, abi::right_receive);
    system_.add_irq(bound_intid, notification, 0b10, server);
    system_.start();
    receive(system_.thread(server_), 0);
    receive(system_.thread(remote), 1);
    receive(system_.thread(low), 2);
    system_.run(client_thread());
  }

  void receive(Thread& thread, uint64_t slot) {
    system_.run(thread);
    Ipc_system::set_arguments(thread, Syscall::recv, {slot, 0});
    EXPECT_TRUE(handle_syscall(thread, thread.context));
  }

  Thread& client_thread() { return system_.thread(client_); }
  Thread& server_thread() { return system_.thread(server_); }

  // `fast_path` declines `thread`'s call and changes nothing.
  void expect_declined(Thread* (*fast_path)(Thread&), Thread& thread) {
    const Kernel_snapshot before = take_snapshot(system_);
    const size_t recorded = requests_recorded();
    EXPECT_EQ(fast_path(thread), nullptr);
    EXPECT_TRUE(expect_same(before, take_snapshot(system_))) << "a declining fast path changed the state";
    EXPECT_EQ(requests_recorded(), recorded) << "a declining fast path asked the arch layer for something";
  }

  void expect_call_declined(uint64_t slot, uint64_t info) {
    Ipc_system::set_arguments(client_thread(), Syscall::call, {slot, 0, info});
    expect_declined(fastpath_call, client_thread());
  }

  void expect_send_declined(uint64_t slot, uint64_t info) {
    Ipc_system::set_arguments(client_thread(), Syscall::send, {slot, 0, info});
    expect_declined(fastpath_send, client_thread());
  }

  static constexpr uint32_t bound_intid = 40;  // signals the server's notification
  Ipc_system system_;
  uint32_t client_ = 0, server_ = 0;
};

TEST_F(FastpathDeclinesTest, CallWithABadCapability) {
  expect_call_declined(99, abi::message_info(1, 1));
  expect_call_declined(4, abi::message_info(1, 1));  // no send right
  expect_call_declined(5, abi::message_info(1, 1));  // a notification
}

TEST_F(FastpathDeclinesTest, CallWithoutAReceiverOnThisCpu) {
  expect_call_declined(3, abi::message_info(1, 1));  // nobody waits
  expect_call_declined(1, abi::message_info(1, 1));  // the receiver is on CPU 1
}

TEST_F(FastpathDeclinesTest, CallWhoseMessageDoesNotArriveWhole) {
  expect_call_declined(0, abi::message_info(abi::kernel_label_base, 0));
  expect_call_declined(0, abi::message_info(1, 6));  // words beyond the registers, no IPC buffers
}

TEST_F(FastpathDeclinesTest, CallToAReceiverWithABetterThreadReady) {
  expect_call_declined(2, abi::message_info(1, 1));  // "middle" (7) beats "low" (5)
}

TEST_F(FastpathDeclinesTest, ReplyRecvThatIsNotAPlainReply) {
  Thread& server = server_thread();
  Ipc_system::set_arguments(client_thread(), Syscall::call, {0, 0, abi::message_info(1, 1)});
  ASSERT_EQ(fastpath_call(client_thread()), &server);
  Ipc_system::set_arguments(server, Syscall::reply_recv, {0, 2, abi::message_info(1, 1)});
  expect_declined(fastpath_reply_recv, server);  // also waits on a notification
  Ipc_system::set_arguments(server, Syscall::reply_recv, {1, 0, abi::message_info(1, 1)});
  expect_declined(fastpath_reply_recv, server);  // another thread waits on that endpoint
  Ipc_system::set_arguments(server, Syscall::reply_recv, {0, 0, abi::message_info(1, 9)});
  expect_declined(fastpath_reply_recv, server);  // too long for registers, no IPC buffers
  Ipc_system::set_arguments(server, Syscall::reply_recv, {3, 0, abi::message_info(1, 1)});
  expect_declined(fastpath_reply_recv, server);  // slot 3 is a notification
}

TEST_F(FastpathDeclinesTest, SignalWithNobodyToWake) {
  Ipc_system::set_arguments(client_thread(), Syscall::signal, {6});
  expect_declined(fastpath_signal, client_thread());  // nobody waits
  Ipc_system::set_arguments(client_thread(), Syscall::signal, {5});
  expect_declined(fastpath_signal, client_thread());  // badge 0
}

TEST_F(FastpathDeclinesTest, SendWithABadCapabilityOrNoReceiverOnThisCpu) {
  expect_send_declined(99, abi::message_info(1, 1));
  expect_send_declined(4, abi::message_info(1, 1));  // no send right
  expect_send_declined(3, abi::message_info(1, 1));  // nobody waits
  expect_send_declined(1, abi::message_info(1, 1));  // the receiver is on CPU 1
}

TEST_F(FastpathDeclinesTest, SendToAReceiverThatIsNotBetterOrWhoseMessageDoesNotArriveWhole) {
  expect_send_declined(2, abi::message_info(1, 1));  // "low" (5) does not preempt the client (10)
  expect_send_declined(0, abi::message_info(abi::kernel_label_base, 0));
  expect_send_declined(0, abi::message_info(1, 6));  // words beyond the registers, no IPC buffers
}

TEST_F(FastpathDeclinesTest, InterruptWithNobodyToWake) {
  const Kernel_snapshot before = take_snapshot(system_);
  const size_t recorded = requests_recorded();
  EXPECT_EQ(fastpath_interrupt(client_thread(), bound_intid + 1), nullptr) << "bound to nothing";
  EXPECT_EQ(fastpath_interrupt(client_thread(), bound_intid), nullptr) << "nobody waits on its notification";
  EXPECT_TRUE(expect_same(before, take_snapshot(system_))) << "a declining fast path changed the state";
  EXPECT_EQ(requests_recorded(), recorded) << "a declining fast path asked the arch layer for something";
}

}  // namespace
