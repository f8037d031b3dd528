// SPDX-License-Identifier: Apache-2.0
// IPC tests on the fake arch: call, reply_recv, send, nb_send and recv
// through handle_syscall and the kernel entry, message copying and badges,
// and the status codes docs/abi.md gives for bad capabilities, rights and
// messages. A refused call changes nothing but the caller's x0.
#include <gtest/gtest.h>

#include <kestrel/cpu.hpp>
#include <kestrel/ipc.hpp>
#include <kestrel/scheduler.hpp>
#include <kestrel/syscall_handler.hpp>

#include "kernel_snapshot.hpp"

using namespace kestrel;
using namespace kestrel::test;

namespace {

// <cxxabi.h> (through GoogleTest) has a global `abi` too.
namespace abi = kestrel::abi;
using abi::Capability_kind;
using abi::Status;
using abi::Syscall;

// Partition "client": threads "client" and "second" (priority 10) and
// "idle" (1, keeps the CPU busy). Partition "server": "server" (20).
class IpcTest : public testing::Test {
 protected:
  void SetUp() override {
    client_partition_ = system_.add_partition("client");
    server_partition_ = system_.add_partition("server");
    client_ = system_.add_thread(client_partition_, "client", {.priority = 10});
    second_ = system_.add_thread(client_partition_, "second", {.priority = 10});
    system_.add_thread(client_partition_, "idle", {.priority = 1});
    server_ = system_.add_thread(server_partition_, "server", {.priority = 20});
    endpoint_ = system_.add_endpoint(server_partition_);
    const uint32_t notification = system_.add_notification(client_partition_);
    send_slot_ = system_.add_capability(client_partition_, Capability_kind::endpoint, endpoint_, abi::right_send, 0x5a);
    second_send_slot_ =
        system_.add_capability(client_partition_, Capability_kind::endpoint, endpoint_, abi::right_send, 0x6b);
    no_send_slot_ = system_.add_capability(client_partition_, Capability_kind::endpoint, endpoint_, abi::right_receive);
    notification_slot_ = system_.add_capability(client_partition_, Capability_kind::notification, notification,
                                                abi::right_send | abi::right_receive);
    receive_slot_ = system_.add_capability(server_partition_, Capability_kind::endpoint, endpoint_, abi::right_receive);
    server_send_slot_ =
        system_.add_capability(server_partition_, Capability_kind::endpoint, endpoint_, abi::right_send);
    system_.start();
  }

  Thread& client() { return system_.thread(client_); }
  Thread& second() { return system_.thread(second_); }
  Thread& server() { return system_.thread(server_); }

  // The server waits in recv; the client runs.
  void server_waits() {
    system_.run(server());
    EXPECT_EQ(system_.syscall(server(), Syscall::recv, {receive_slot_, 0}), &client());
    EXPECT_EQ(server().state, Thread::State::blocked_receive);
  }

  // Registers x2.. of `thread` set to a message; x3.. after it to junk.
  static void set_message(Thread& thread, uint64_t label, uint64_t length) {
    thread.context.x[2] = abi::message_info(label, length);
    for (int r = 3; r < 31; ++r) thread.context.x[r] = 0x1000 + static_cast<uint64_t>(r);
  }

  Ipc_system system_;
  uint32_t client_partition_ = 0, server_partition_ = 0;
  uint32_t client_ = 0, second_ = 0, server_ = 0, endpoint_ = 0;
  uint32_t send_slot_ = 0, second_send_slot_ = 0, no_send_slot_ = 0, notification_slot_ = 0;
  uint32_t receive_slot_ = 0, server_send_slot_ = 0;
};

TEST_F(IpcTest, CallHandsTheMessageAndBadgeToTheWaitingServer) {
  server_waits();
  for (int r = 0; r < 31; ++r) server().context.x[r] = 0xdead;
  set_message(client(), 0x1234, 3);
  EXPECT_EQ(system_.syscall(client(), Syscall::call, {send_slot_}), &server());
  EXPECT_EQ(Ipc_system::status(server()), Status::ok);
  EXPECT_EQ(server().context.x[1], 0x5au) << "the badge of the caller's capability";
  EXPECT_EQ(server().context.x[2], abi::message_info(0x1234, 3));
  EXPECT_EQ(server().context.x[3], 0x1003u);
  EXPECT_EQ(server().context.x[4], 0x1004u);
  EXPECT_EQ(server().context.x[5], 0x1005u);
  EXPECT_EQ(server().context.x[6], 0xdeadu) << "only the message's words are written";
  EXPECT_EQ(server().context.x[8], 0xdeadu);
  EXPECT_EQ(client().state, Thread::State::blocked_reply);
  EXPECT_EQ(server().reply_to, &client());
  EXPECT_EQ(system_.endpoint(endpoint_).receiver, nullptr);
}

TEST_F(IpcTest, ReplyRecvAnswersTheCallerAndWaitsAgain) {
  server_waits();
  set_message(client(), 1, 0);
  system_.syscall(client(), Syscall::call, {send_slot_});
  set_message(server(), 0x99, 2);
  server().context.x[3] = 111;
  server().context.x[4] = 222;
  EXPECT_EQ(system_.syscall(server(), Syscall::reply_recv, {receive_slot_, 0, server().context.x[2]}), &client());
  EXPECT_EQ(Ipc_system::status(client()), Status::ok);
  EXPECT_EQ(client().context.x[1], 0u) << "a reply carries no badge";
  EXPECT_EQ(client().context.x[2], abi::message_info(0x99, 2));
  EXPECT_EQ(client().context.x[3], 111u);
  EXPECT_EQ(client().context.x[4], 222u);
  EXPECT_EQ(client().state, Thread::State::ready);
  EXPECT_EQ(server().state, Thread::State::blocked_receive);
  EXPECT_EQ(server().reply_to, nullptr);
  EXPECT_EQ(system_.endpoint(endpoint_).receiver, &server());
}

TEST_F(IpcTest, CallersQueueOldestFirstAndRecvTakesThemInOrder) {
  system_.run(client());
  set_message(client(), 1, 1);
  EXPECT_EQ(system_.syscall(client(), Syscall::call, {send_slot_}), &server()) << "the server runs to its receive";
  EXPECT_EQ(client().state, Thread::State::blocked_call);
  system_.run(second());
  set_message(second(), 2, 1);
  system_.syscall(second(), Syscall::call, {second_send_slot_});
  EXPECT_EQ(second().state, Thread::State::blocked_call);
  system_.run(server());
  EXPECT_EQ(system_.syscall(server(), Syscall::recv, {receive_slot_, 0}), &server()) << "a message was waiting";
  EXPECT_EQ(server().context.x[1], 0x5au);
  EXPECT_EQ(server().context.x[2], abi::message_info(1, 1));
  EXPECT_EQ(client().state, Thread::State::blocked_reply);
  EXPECT_EQ(system_.syscall(server(), Syscall::reply_recv, {receive_slot_, 0, abi::message_info(0, 0)}), &server());
  EXPECT_EQ(server().context.x[1], 0x6bu) << "then the second caller's";
  EXPECT_EQ(server().reply_to, &second());
}

TEST_F(IpcTest, SendContinuesOnceDeliveredAndNbSendRefusesWithoutReceiver) {
  system_.run(client());
  set_message(client(), 5, 0);
  EXPECT_EQ(system_.syscall(client(), Syscall::nb_send, {send_slot_}), &client());
  EXPECT_EQ(Ipc_system::status(client()), Status::would_block);
  server_waits();
  set_message(client(), 5, 1);
  EXPECT_EQ(system_.syscall(client(), Syscall::send, {send_slot_}), &server()) << "the better server runs at once";
  EXPECT_EQ(Ipc_system::status(client()), Status::ok);
  EXPECT_EQ(client().state, Thread::State::ready) << "a send waits for no reply";
  EXPECT_EQ(server().reply_to, nullptr);
  EXPECT_EQ(server().context.x[2], abi::message_info(5, 1));
}

TEST_F(IpcTest, WordsBeyondTheRegistersTravelThroughBothIpcBuffers) {
  system_.run(server());
  EXPECT_EQ(system_.syscall(server(), Syscall::set_ipc_buffer, {region_ipa + 0x1000}), &server());
  EXPECT_EQ(Ipc_system::status(server()), Status::ok);
  server_waits();
  EXPECT_EQ(system_.syscall(client(), Syscall::set_ipc_buffer, {region_ipa + 0x2000}), &client());
  for (uint64_t i = 0; i < abi::max_message_words; ++i) client().ipc_buffer[i] = 500 + i;
  set_message(client(), 3, 9);
  system_.syscall(client(), Syscall::call, {send_slot_});
  const auto* received = reinterpret_cast<const uint64_t*>(system_.memory(server_partition_, region_ipa + 0x1000));
  EXPECT_EQ(server().context.x[2], abi::message_info(3, 9));
  for (uint64_t i = 5; i < 9; ++i) EXPECT_EQ(received[i], 500 + i) << "word " << i;
  EXPECT_EQ(received[9], 0u) << "nothing past the message";
}

TEST_F(IpcTest, AReceiverWithoutIpcBufferGetsTheWordsThatFitInRegisters) {
  server_waits();
  EXPECT_EQ(system_.syscall(client(), Syscall::set_ipc_buffer, {region_ipa + 0x2000}), &client());
  set_message(client(), 3, 9);
  system_.syscall(client(), Syscall::call, {send_slot_});
  EXPECT_EQ(server().context.x[2], abi::message_info(3, 5)) << "the length says how many arrived";
}

TEST_F(IpcTest, AServerThatStopsMidCallReleasesItsCallerWithPeerStopped) {
  server_waits();
  set_message(client(), 1, 0);
  system_.syscall(client(), Syscall::call, {send_slot_});
  EXPECT_EQ(system_.syscall(server(), Syscall::thread_exit), &client());
  EXPECT_EQ(Ipc_system::status(client()), Status::peer_stopped);
  EXPECT_EQ(server().state, Thread::State::stopped);
  // The server's partition has no thread left: later calls fail at once.
  set_message(client(), 1, 0);
  EXPECT_EQ(system_.syscall(client(), Syscall::call, {send_slot_}), &client());
  EXPECT_EQ(Ipc_system::status(client()), Status::peer_stopped);
}

// The IPCM's watcher hears of a stopped tunnel end this way (docs/ipcm.md),
// and a driver's clients of their driver (docs/devices.md): the partition's
// stop signals, every one, once its last thread has stopped, not before.
TEST(IpcStopSignal, APartitionsLastThreadToStopSignalsEachOfItsStopNotifications) {
  Ipc_system system;
  const uint32_t watcher_partition = system.add_partition("watcher");
  const uint32_t client_partition = system.add_partition("client");
  const uint32_t end_partition = system.add_partition("end");
  const uint32_t watcher = system.add_thread(watcher_partition, "watcher", {.priority = 10});
  const uint32_t client = system.add_thread(client_partition, "client", {.priority = 9});
  const uint32_t first = system.add_thread(end_partition, "first", {.priority = 5});
  const uint32_t second = system.add_thread(end_partition, "second", {.priority = 5});
  const uint32_t ends_stopped = system.add_notification(watcher_partition);
  const uint32_t doorbell = system.add_notification(client_partition);
  const uint32_t wait_slot =
      system.add_capability(watcher_partition, Capability_kind::notification, ends_stopped, abi::right_receive);
  const uint32_t client_wait_slot =
      system.add_capability(client_partition, Capability_kind::notification, doorbell, abi::right_receive);
  system.add_stop_signal(end_partition, ends_stopped, 5);
  system.add_stop_signal(end_partition, doorbell, 1);
  system.start();
  system.run(system.thread(watcher));
  EXPECT_EQ(system.syscall(system.thread(watcher), Syscall::wait, {wait_slot}), &system.thread(client));
  EXPECT_EQ(system.syscall(system.thread(client), Syscall::wait, {client_wait_slot}), &system.thread(first));
  EXPECT_EQ(system.syscall(system.thread(first), Syscall::thread_exit), &system.thread(second));
  EXPECT_EQ(system.thread(watcher).state, Thread::State::blocked_notification) << "a thread of it is left";
  EXPECT_EQ(system.thread(client).state, Thread::State::blocked_notification) << "a thread of it is left";
  EXPECT_EQ(system.syscall(system.thread(second), Syscall::thread_exit), &system.thread(watcher));
  EXPECT_EQ(Ipc_system::status(system.thread(watcher)), Status::ok);
  EXPECT_EQ(system.thread(watcher).context.x[1], uint64_t{1} << 5) << "its bit, once";
  EXPECT_EQ(system.thread(client).state, Thread::State::ready) << "the second signal woke it too";
  EXPECT_EQ(system.thread(client).context.x[1], uint64_t{1} << 1);
}

// A VM's write to a guest doorbell: its VMM's thread is woken with the
// badge but does not run yet (the vCPU stays current, no exit is sent),
// and the vCPU goes on past the store; a dropped doorbell wakes nobody; an
// address that is no doorbell is left to the exit path.
TEST(IpcGuestDoorbell, ARungDoorbellWakesTheVmmThreadWithoutAnExitOrASwitch) {
  Ipc_system system;
  const uint32_t vmm_partition = system.add_partition("vmm");
  const uint32_t vm_partition = system.add_partition("vm", abi::partition_is_vm);
  const uint32_t devices = system.add_thread(vmm_partition, "devices", {.priority = 150});
  const uint32_t vcpu = system.add_thread(vm_partition, "vcpu", {.priority = 100, .vcpu = true});
  const uint32_t doorbells = system.add_notification(vmm_partition);
  const uint32_t wait_slot =
      system.add_capability(vmm_partition, Capability_kind::notification, doorbells, abi::right_receive);
  system.add_guest_doorbell(vm_partition, 0x0a00'0050, doorbells, uint64_t{1} << 32);
  system.add_guest_doorbell(vm_partition, 0x0a00'0064, abi::no_index, 0);
  system.start();
  system.run(system.thread(devices));
  EXPECT_EQ(system.syscall(system.thread(devices), Syscall::wait, {wait_slot}), &system.thread(vcpu));
  Thread& guest = system.thread(vcpu);

  uint64_t return_address = 0x4000'1000;
  EXPECT_FALSE(ring_guest_doorbell(guest, 0x0a00'0060, return_address)) << "not a doorbell: an exit";
  EXPECT_EQ(return_address, 0x4000'1000u);
  EXPECT_TRUE(ring_guest_doorbell(guest, 0x0a00'0064, return_address)) << "dropped";
  EXPECT_EQ(return_address, 0x4000'1004u);
  EXPECT_EQ(system.thread(devices).state, Thread::State::blocked_notification) << "a dropped write wakes nobody";

  EXPECT_TRUE(ring_guest_doorbell(guest, 0x0a00'0050, return_address));
  EXPECT_EQ(return_address, 0x4000'1008u);
  EXPECT_EQ(system.thread(devices).state, Thread::State::ready);
  EXPECT_EQ(system.thread(devices).context.x[1], uint64_t{1} << 32) << "the doorbell's badge";
  EXPECT_EQ(kestrel::this_cpu_scheduler().current(), &guest) << "posted: the vCPU keeps its CPU";
  EXPECT_EQ(guest.state, Thread::State::ready);
}

TEST(IpcGuestDoorbell, AnotherVmsDoorbellIsNotThisVms) {
  Ipc_system system;
  const uint32_t vmm_partition = system.add_partition("vmm");
  const uint32_t first_vm = system.add_partition("first", abi::partition_is_vm);
  const uint32_t second_vm = system.add_partition("second", abi::partition_is_vm);
  system.add_thread(vmm_partition, "devices", {.priority = 150});
  const uint32_t first = system.add_thread(first_vm, "vcpu", {.priority = 100, .vcpu = true});
  const uint32_t second = system.add_thread(second_vm, "vcpu", {.priority = 100, .vcpu = true});
  const uint32_t doorbells = system.add_notification(vmm_partition);
  system.add_guest_doorbell(first_vm, 0x0a00'0050, doorbells, 1);
  system.start();
  uint64_t return_address = 0;
  EXPECT_FALSE(ring_guest_doorbell(system.thread(second), 0x0a00'0050, return_address));
  EXPECT_TRUE(ring_guest_doorbell(system.thread(first), 0x0a00'0050, return_address));
  EXPECT_TRUE(system.notification(doorbells).has_word()) << "nobody waited: the word keeps the badge";
}

// A refused system call: x0 holds `expected`, and nothing else changed.
void expect_refused(Ipc_system& system, Thread& thread, Syscall number, std::initializer_list<uint64_t> arguments,
                    Status expected) {
  Ipc_system::set_arguments(thread, number, arguments);
  Kernel_snapshot before = take_snapshot(system);
  EXPECT_EQ(system.syscall(thread, number, arguments), &thread);
  EXPECT_EQ(Ipc_system::status(thread), expected);
  Kernel_snapshot after = take_snapshot(system);
  for (Thread_snapshot& snapshot : after.threads) {
    if (snapshot.name == thread.name())
      snapshot.context.x[0] = before.threads[&snapshot - &after.threads[0]].context.x[0];
  }
  EXPECT_TRUE(expect_same(before, after)) << "a refused call changed more than x0";
}

TEST_F(IpcTest, BadCapabilitiesGetTheDocumentedStatusAndChangeNothing) {
  server_waits();
  set_message(client(), 1, 1);
  expect_refused(system_, client(), Syscall::call, {99}, Status::invalid_capability);
  expect_refused(system_, client(), Syscall::call, {notification_slot_}, Status::wrong_capability_type);
  expect_refused(system_, client(), Syscall::call, {no_send_slot_}, Status::missing_right);
  expect_refused(system_, client(), Syscall::send, {no_send_slot_}, Status::missing_right);
  expect_refused(system_, client(), Syscall::nb_send, {99}, Status::invalid_capability);
  expect_refused(system_, client(), Syscall::recv, {send_slot_, 0}, Status::missing_right);
  expect_refused(system_, client(), Syscall::recv, {no_send_slot_, 1 + 99}, Status::invalid_capability);
  expect_refused(system_, client(), Syscall::recv, {no_send_slot_, 1 + send_slot_}, Status::wrong_capability_type);
  expect_refused(system_, client(), static_cast<Syscall>(abi::syscall_count), {}, Status::invalid_syscall);
}

TEST_F(IpcTest, BadMessagesAreRefusedBeforeAnythingHappens) {
  server_waits();
  set_message(client(), abi::kernel_label_base, 0);
  expect_refused(system_, client(), Syscall::call, {send_slot_, 0, client().context.x[2]}, Status::invalid_argument);
  expect_refused(system_, client(), Syscall::call, {send_slot_, 0, abi::message_info(1, 6)},
                 Status::invalid_argument);  // words beyond the registers need an IPC buffer
  EXPECT_EQ(system_.syscall(client(), Syscall::set_ipc_buffer, {region_ipa}), &client());
  expect_refused(system_, client(), Syscall::call, {send_slot_, 0, abi::message_info(1, abi::max_message_words + 1)},
                 Status::invalid_argument);
}

TEST_F(IpcTest, ASecondReceiverWouldDeadlock) {
  server_waits();
  system_.run(client());
  expect_refused(system_, client(), Syscall::recv, {no_send_slot_, 0}, Status::would_deadlock);
}

TEST_F(IpcTest, ReplyRecvRefusesABadReplyBeforeItReplies) {
  server_waits();
  set_message(client(), 1, 0);
  system_.syscall(client(), Syscall::call, {send_slot_});
  expect_refused(system_, server(), Syscall::reply_recv,
                 {receive_slot_, 0, abi::message_info(abi::kernel_label_base, 0)}, Status::invalid_argument);
  EXPECT_EQ(client().state, Thread::State::blocked_reply) << "the caller still waits for a reply";
  expect_refused(system_, server(), Syscall::reply_recv, {server_send_slot_, 0, 0}, Status::missing_right);
}

TEST_F(IpcTest, SetIpcBufferChecksAlignmentAndMemory) {
  system_.run(client());
  expect_refused(system_, client(), Syscall::set_ipc_buffer, {region_ipa + 4}, Status::invalid_argument);
  expect_refused(system_, client(), Syscall::set_ipc_buffer, {region_ipa + region_size - 8}, Status::bad_address);
  expect_refused(system_, client(), Syscall::set_ipc_buffer, {0x1000}, Status::bad_address);
  EXPECT_EQ(system_.syscall(client(), Syscall::set_ipc_buffer, {region_ipa + 0x100}), &client());
  EXPECT_EQ(client().ipc_buffer, reinterpret_cast<uint64_t*>(system_.memory(client_partition_, region_ipa + 0x100)));
  EXPECT_EQ(system_.syscall(client(), Syscall::set_ipc_buffer, {0}), &client());
  EXPECT_EQ(client().ipc_buffer, nullptr);
}

}  // namespace
