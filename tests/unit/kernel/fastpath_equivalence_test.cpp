// SPDX-License-Identifier: Apache-2.0
// Fast-path equivalence: from the same starting state, a call, a
// reply_recv, a signal, a VM exit and the answer to it leave the same state
// whether the fast path takes them (fastpath.cpp) or the general path does
// (syscall.cpp, ipc.cpp, cpu.cpp): every thread's registers and IPC state,
// the queues, the scheduler's choice, the donor of each thread's time and
// the fake CPU's registers (kernel_snapshot.hpp lists what is compared).
// And a fast path that declines changes nothing (fastpath.hpp's promise).
#include <gtest/gtest.h>

#include <functional>

#include <kestrel/cpu.hpp>
#include <kestrel/fastpath.hpp>
#include <kestrel/scheduler.hpp>
#include <kestrel/syscall_handler.hpp>
#include <kestrel/user_exception.hpp>

#include "kernel_snapshot.hpp"

using namespace kestrel;
using namespace kestrel::test;

namespace {

// <cxxabi.h> (through GoogleTest) has a global `abi` too.
namespace abi = kestrel::abi;
using abi::Capability_kind;
using abi::Syscall;

// Builds a system and brings it to the moment `thread` enters the kernel
// with its arguments set; returns that thread.
using Build = std::function<Thread&(Ipc_system&)>;
using Fast_path = Thread* (*)(Thread&);

Kernel_snapshot through_fast_path(const Build& build, Fast_path fast_path) {
  Ipc_system system;
  Thread& thread = build(system);
  Thread* const next = fast_path(thread);
  EXPECT_NE(next, nullptr) << "the fast path declined, so nothing was compared";
  EXPECT_EQ(next, cpu_scheduler(thread.cpu()).current()) << "the thread resumed is not the scheduler's";
  return take_snapshot(system);
}

Kernel_snapshot through_slow_path(const Build& build, User_exception::Kind kind) {
  Ipc_system system;
  Thread& thread = build(system);
  handle_user_exception(thread.context, User_exception{kind, "", 0, false});
  return take_snapshot(system);
}

void expect_paths_agree(const Build& build, Fast_path fast_path,
                        User_exception::Kind kind = User_exception::Kind::syscall) {
  const Kernel_snapshot slow = through_slow_path(build, kind);
  const Kernel_snapshot fast = through_fast_path(build, fast_path);
  EXPECT_TRUE(expect_same(slow, fast)) << "the fast path's outcome (actual) is not the slow path's (expected)";
}

// A message of `length` words labelled `label`: x2 the info, x3-x7 words
// (registers past the message hold other values, which must not travel).
void set_message(Thread& sender, uint64_t label, uint64_t length, uint64_t seed) {
  sender.context.x[2] = abi::message_info(label, length);
  for (int r = 3; r < 31; ++r) sender.context.x[r] = seed + static_cast<uint64_t>(r);
  if (sender.ipc_buffer != nullptr) {
    for (uint64_t i = 0; i < abi::max_message_words; ++i) sender.ipc_buffer[i] = seed * 1000 + i;
  }
}

struct Call_shape {
  uint64_t length;           // message words
  bool buffers;              // both threads have IPC buffers
  bool passive_server;       // the server runs on the caller's time
  uint32_t server_priority;  // the caller's is 10
  bool same_partition;       // caller and server in one partition (no translation switch)
};

std::ostream& operator<<(std::ostream& out, const Call_shape& shape) {
  return out << shape.length << " words" << (shape.buffers ? ", IPC buffers" : "")
             << (shape.passive_server ? ", passive server" : "") << ", server priority " << shape.server_priority
             << (shape.same_partition ? ", one partition" : "");
}

// Partition "client" with thread "client" (priority 10) and a bystander
// "idle" (priority 1) that keeps the CPU busy; the server thread, in its own
// partition or the client's, waits in recv on the endpoint. Slots: the
// client's 0 is the endpoint (send, badge 0x5a), the server's 0 (receive).
struct Call_system {
  uint32_t client_thread, server_thread, endpoint;
  uint32_t client_slot, server_slot;
};

Call_system build_call_system(Ipc_system& system, const Call_shape& shape) {
  Call_system s{};
  const uint32_t client = system.add_partition("client");
  const uint32_t server = shape.same_partition ? client : system.add_partition("server");
  s.client_thread = system.add_thread(client, "client", {.priority = 10});
  system.add_thread(client, "idle", {.priority = 1});
  s.server_thread =
      system.add_thread(server, "server", {.priority = shape.server_priority, .passive = shape.passive_server});
  s.endpoint = system.add_endpoint(server);
  s.client_slot = system.add_capability(client, Capability_kind::endpoint, s.endpoint, abi::right_send, 0x5a);
  s.server_slot = system.add_capability(server, Capability_kind::endpoint, s.endpoint, abi::right_receive);
  system.start();
  Thread& server_thread = system.thread(s.server_thread);
  Thread& client_thread = system.thread(s.client_thread);
  if (shape.buffers) {
    // Buffers at different offsets of the region, one per thread.
    client_thread.ipc_buffer = reinterpret_cast<uint64_t*>(system.memory(client, region_ipa + 0x1000));
    server_thread.ipc_buffer = reinterpret_cast<uint64_t*>(system.memory(server, region_ipa + 0x2000));
  }
  // The server reaches its receive (a passive one lent time to get there).
  system.run(server_thread);
  for (int r = 0; r < 31; ++r) server_thread.context.x[r] = 0xdead'0000 + static_cast<uint64_t>(r);
  if (shape.buffers) set_message(server_thread, 0, 0, 7);
  Ipc_system::set_arguments(server_thread, Syscall::recv, {s.server_slot, 0});
  EXPECT_TRUE(handle_syscall(server_thread, server_thread.context));
  reschedule();
  EXPECT_EQ(cpu_scheduler(0).current(), &client_thread);
  return s;
}

Thread& stage_call(Ipc_system& system, const Call_shape& shape) {
  const Call_system s = build_call_system(system, shape);
  Thread& client = system.thread(s.client_thread);
  set_message(client, 0x1234, shape.length, 100);
  Ipc_system::set_arguments(client, Syscall::call, {s.client_slot});
  client.context.x[2] = abi::message_info(0x1234, shape.length);
  return client;
}

// The call above taken, by the general path; the server replies.
Thread& stage_reply_recv(Ipc_system& system, const Call_shape& shape) {
  const Call_system s = build_call_system(system, shape);
  Thread& client = system.thread(s.client_thread);
  Thread& server = system.thread(s.server_thread);
  set_message(client, 0x1234, 2, 100);
  EXPECT_EQ(system.slow_syscall(client, Syscall::call, {s.client_slot}), &server);
  set_message(server, 0x77, shape.length, 200);
  const uint64_t info = server.context.x[2];
  Ipc_system::set_arguments(server, Syscall::reply_recv, {s.server_slot, 0, info});
  return server;
}

// The server waits; the client sends instead of calling.
Thread& stage_send(Ipc_system& system, const Call_shape& shape) {
  Thread& client = stage_call(system, shape);
  client.context.x[8] = static_cast<uint64_t>(Syscall::send);
  return client;
}

class CallShapes : public testing::TestWithParam<Call_shape> {};

TEST_P(CallShapes, CallLeavesTheSameStateOnBothPaths) {
  expect_paths_agree([&](Ipc_system& system) -> Thread& { return stage_call(system, GetParam()); }, fastpath_call);
}

TEST_P(CallShapes, ReplyRecvLeavesTheSameStateOnBothPaths) {
  expect_paths_agree([&](Ipc_system& system) -> Thread& { return stage_reply_recv(system, GetParam()); },
                     fastpath_reply_recv);
}

// Only a receiver better than the sender is the fast path's
// (fastpath_declines_test.cpp shows it declining the others).
TEST_P(CallShapes, SendToABetterReceiverLeavesTheSameStateOnBothPaths) {
  if (GetParam().server_priority <= 10) {
    Ipc_system system;
    EXPECT_EQ(fastpath_send(stage_send(system, GetParam())), nullptr) << "the server does not preempt the client";
    return;
  }
  expect_paths_agree([&](Ipc_system& system) -> Thread& { return stage_send(system, GetParam()); }, fastpath_send);
}

INSTANTIATE_TEST_SUITE_P(Messages, CallShapes,
                         testing::Values(Call_shape{0, false, false, 20, false}, Call_shape{1, false, false, 20, false},
                                         Call_shape{3, false, false, 20, false}, Call_shape{5, false, false, 20, false},
                                         Call_shape{5, false, false, 10, true}, Call_shape{7, true, false, 20, false},
                                         Call_shape{64, true, false, 20, true}, Call_shape{4, false, true, 20, false},
                                         Call_shape{9, true, true, 30, false}));

// Partition "app": "signaller" (priority 10) runs on CPU 0; "waiter" waits
// on the notification; "idle" (1) beside the waiter. The signaller's slot
// signals with badge 0b100. A waiter on CPU 0 has priority 20 (it preempts
// the signaller); one on CPU 1 has 5 (priorities do not matter across CPUs).
Thread& stage_signal(Ipc_system& system, bool passive_waiter, uint32_t waiter_cpu = 0) {
  const uint32_t app = system.add_partition("app");
  const uint32_t signaller = system.add_thread(app, "signaller", {.priority = 10});
  const uint32_t waiter_priority = waiter_cpu == 0 ? 20 : 5;
  const uint32_t waiter =
      system.add_thread(app, "waiter", {.priority = waiter_priority, .cpu = waiter_cpu, .passive = passive_waiter});
  system.add_thread(app, "idle", {.priority = 1, .cpu = waiter_cpu});
  const uint32_t notification = system.add_notification(app);
  const uint32_t send_slot =
      system.add_capability(app, Capability_kind::notification, notification, abi::right_send, 0b100);
  const uint32_t wait_slot =
      system.add_capability(app, Capability_kind::notification, notification, abi::right_receive);
  system.start();
  Thread& waiting = system.thread(waiter);
  if (passive_waiter) waiting.waited_for_call = true;  // it has served a call before
  system.run(waiting);
  Ipc_system::set_arguments(waiting, Syscall::wait, {wait_slot});
  EXPECT_TRUE(handle_syscall(waiting, waiting.context));
  Thread& signalling = system.thread(signaller);
  system.run(signalling);
  Ipc_system::set_arguments(signalling, Syscall::signal, {send_slot});
  return signalling;
}

TEST(FastpathEquivalence, SignalToAWaiterLeavesTheSameStateOnBothPaths) {
  expect_paths_agree([](Ipc_system& system) -> Thread& { return stage_signal(system, false); }, fastpath_signal);
}

TEST(FastpathEquivalence, SignalToAWaiterOnAnotherCpuLeavesTheSameStateOnBothPaths) {
  expect_paths_agree([](Ipc_system& system) -> Thread& { return stage_signal(system, false, 1); }, fastpath_signal);
  Ipc_system system;
  Thread& signaller = stage_signal(system, false, 1);
  arch::fake::machine.kicked_cpus.clear();
  EXPECT_EQ(fastpath_signal(signaller), &signaller) << "the signaller goes on";
  EXPECT_EQ(arch::fake::machine.kicked_cpus, std::vector<unsigned>{1}) << "the waiter's CPU is kicked";
  EXPECT_EQ(cpu_scheduler(1).pick_next()->context.x[1], 0b100u) << "the waiter is queued on its CPU with the word";
}

TEST(FastpathEquivalence, SignalToAPassiveWaiterLeavesTheSameStateOnBothPaths) {
  expect_paths_agree([](Ipc_system& system) -> Thread& { return stage_signal(system, true); }, fastpath_signal);
}

// Partition "app": "worker" (priority 10) runs; in partition "driver",
// "driver" (20) waits on the notification that interrupt 45 signals with
// badge 0b1000. Returns the worker.
constexpr uint32_t driver_intid = 45;

Thread& stage_interrupt(Ipc_system& system) {
  const uint32_t app = system.add_partition("app");
  const uint32_t driver_partition = system.add_partition("driver");
  const uint32_t worker = system.add_thread(app, "worker", {.priority = 10});
  system.add_thread(app, "idle", {.priority = 1});
  const uint32_t driver = system.add_thread(driver_partition, "driver", {.priority = 20});
  const uint32_t notification = system.add_notification(driver_partition);
  const uint32_t wait_slot =
      system.add_capability(driver_partition, Capability_kind::notification, notification, abi::right_receive);
  system.add_irq(driver_intid, notification, 0b1000, driver_partition);
  system.start();
  Thread& waiting = system.thread(driver);
  system.run(waiting);
  Ipc_system::set_arguments(waiting, Syscall::wait, {wait_slot});
  EXPECT_TRUE(handle_syscall(waiting, waiting.context));
  Thread& working = system.thread(worker);
  system.run(working);
  return working;
}

TEST(FastpathEquivalence, DeviceInterruptToAWaitingDriverLeavesTheSameStateOnBothPaths) {
  Kernel_snapshot slow;
  {
    Ipc_system system;
    stage_interrupt(system);
    handle_interrupts(driver_intid);  // as the arch layer hands on an acknowledged interrupt
    slow = take_snapshot(system);
  }
  Ipc_system system;
  Thread& worker = stage_interrupt(system);
  Thread* const next = fastpath_interrupt(worker, driver_intid);
  ASSERT_NE(next, nullptr) << "the fast path declined, so nothing was compared";
  EXPECT_EQ(next, cpu_scheduler(0).current());
  EXPECT_EQ(next->context.x[1], 0b1000u) << "the driver gets the interrupt's badge";
  EXPECT_TRUE(expect_same(slow, take_snapshot(system)))
      << "the fast path's outcome (actual) is not the slow path's (expected)";
}

// VM "guest" with vCPU "vcpu" (priority 10) whose exits go to the VMM's
// endpoint; VMM "vmm" with passive thread "vmm" (priority 20) waiting on it.
struct Vm_system {
  uint32_t vcpu, vmm, exits, vmm_slot;
};

Vm_system build_vm_system(Ipc_system& system) {
  Vm_system s{};
  const uint32_t vmm = system.add_partition("vmm");
  const uint32_t guest = system.add_partition("guest", abi::partition_is_vm);
  s.exits = system.add_endpoint(vmm);
  s.vmm = system.add_thread(vmm, "vmm", {.priority = 20, .passive = true});
  s.vcpu = system.add_thread(guest, "vcpu", {.priority = 10, .vcpu = true, .fault_endpoint = s.exits});
  s.vmm_slot = system.add_capability(vmm, Capability_kind::endpoint, s.exits, abi::right_receive);
  system.add_capability(vmm, Capability_kind::vcpu, s.vcpu, abi::right_control);
  system.start();
  Thread& vmm_thread = system.thread(s.vmm);
  system.run(vmm_thread);
  Ipc_system::set_arguments(vmm_thread, Syscall::recv, {s.vmm_slot, 0});
  EXPECT_TRUE(handle_syscall(vmm_thread, vmm_thread.context));
  Thread& vcpu = system.thread(s.vcpu);
  system.run(vcpu);
  // A 4-byte MMIO read into x5, as the arch layer decodes it (vcpu.cpp):
  // the message in the thread, where the answer goes, how far to resume.
  vcpu.message[0] = abi::message_info(abi::kernel_label_base + static_cast<uint64_t>(abi::Exit_kind::mmio_read), 5);
  vcpu.message[1] = 0;           // vCPU index
  vcpu.message[2] = 0x900'0000;  // address
  vcpu.message[3] = 0;           // value written (none: a read)
  vcpu.message[4] = 4;           // size
  vcpu.message[5] = 0;
  vcpu.exit_register = 5;
  vcpu.resume_advance = 4;
  vcpu.context.elr = 0x20'0040;
  for (int r = 0; r < 31; ++r) vcpu.context.x[r] = 0xc0de'0000 + static_cast<uint64_t>(r);
  return s;
}

TEST(FastpathEquivalence, VmExitLeavesTheSameStateOnBothPaths) {
  expect_paths_agree([](Ipc_system& system) -> Thread& { return system.thread(build_vm_system(system).vcpu); },
                     fastpath_vm_exit, User_exception::Kind::vm_exit);
}

TEST(FastpathEquivalence, ExitAnswerLeavesTheSameStateOnBothPaths) {
  expect_paths_agree(
      [](Ipc_system& system) -> Thread& {
        const Vm_system s = build_vm_system(system);
        Thread& vcpu = system.thread(s.vcpu);
        Thread& vmm = system.thread(s.vmm);
        handle_user_exception(vcpu.context, User_exception{User_exception::Kind::vm_exit, "", 0, false});
        EXPECT_EQ(cpu_scheduler(0).current(), &vmm);
        Ipc_system::set_arguments(vmm, Syscall::reply_recv,
                                  {s.vmm_slot, 0, abi::message_info(0, 2), 0x1'2345'6789, abi::reply_resume});
        return vmm;
      },
      fastpath_reply_recv);
}

}  // namespace
