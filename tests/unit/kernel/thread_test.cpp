// SPDX-License-Identifier: Apache-2.0
// Thread and scheduler tests: threads created from boot-info start with the
// registers their kind needs, and each CPU's scheduler picks, preempts and
// wakes the right thread.
#include <gtest/gtest.h>

#include <optional>

#include <kestrel/boot_info.hpp>
#include <kestrel/partition.hpp>
#include <kestrel/policy/boot_info_writer.hpp>
#include <kestrel/scheduler.hpp>
#include <kestrel/thread.hpp>

#include "test_pools.hpp"

// Designated initializers leave the fields a test does not care about zero.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

using namespace kestrel;
using namespace kestrel::abi;

namespace {

// A native partition "app" (threads "main" and "worker") and a VM "vm" with
// two vCPUs, the second off until PSCI CPU_ON (entry 0).
std::vector<uint8_t> native_and_vm_blob() {
  policy::Boot_info_writer writer;
  writer.set_system_name("test");
  writer.platform() =
      Platform_entry{.cpu_count = 2, .vmid_bits = 8, .hypervisor_timer_intid = 26, .virtual_timer_intid = 27};
  writer.add(Memory_range{.base = 0x4000'0000, .size = 0x4000'0000});
  writer.add(Partition_entry{.name = writer.intern("app"),
                             .vmid = 1,
                             .first_region = 0,
                             .region_count = 1,
                             .first_thread = 0,
                             .thread_count = 2,
                             .first_capability = 0,
                             .capability_count = 0});
  writer.add(Partition_entry{.name = writer.intern("vm"),
                             .vmid = 2,
                             .first_region = 1,
                             .region_count = 1,
                             .first_thread = 2,
                             .thread_count = 2,
                             .first_capability = 0,
                             .capability_count = 0,
                             .flags = partition_is_vm});
  writer.add(Region_entry{.ipa = 0x20'0000,
                          .pa = 0x4080'0000,
                          .size = 0x1'0000,
                          .attributes = region_read | region_write | region_execute | region_write_execute,
                          .name = writer.intern("all")});
  writer.add(Region_entry{.ipa = 0x4000'0000,
                          .pa = 0x4100'0000,
                          .size = 0x10'0000,
                          .attributes = region_read | region_write | region_execute,
                          .name = writer.intern("ram")});
  writer.add(Thread_entry{.name = writer.intern("main"),
                          .partition = 0,
                          .entry = 0x20'0000,
                          .stack_top = 0x21'0000,
                          .priority = 10,
                          .fault_endpoint = no_index});
  writer.add(Thread_entry{.name = writer.intern("worker"),
                          .partition = 0,
                          .entry = 0x20'0100,
                          .stack_top = 0x20'f000,
                          .priority = 20,
                          .cpu = 1,
                          .fault_endpoint = no_index});
  writer.add(Thread_entry{.name = writer.intern("vcpu0"),
                          .partition = 1,
                          .entry = 0x4000'0000,
                          .stack_top = 0x4008'0000,
                          .priority = 5,
                          .flags = thread_vcpu,
                          .fault_endpoint = no_index});
  writer.add(Thread_entry{.name = writer.intern("vcpu1"),
                          .partition = 1,
                          .priority = 5,
                          .cpu = 1,
                          .flags = thread_vcpu,
                          .fault_endpoint = no_index});
  writer.add(Cpu_plan_entry{.cpu = 0, .first_window = 0, .window_count = 1, .major_frame_ns = 1000});
  writer.add(Window_entry{.partition = 0, .duration_ns = 1000});
  return writer.finish();
}

class ThreadTest : public testing::Test {
 protected:
  void SetUp() override {
    const auto read = read_boot_info(blob_.data(), blob_.size());
    ASSERT_TRUE(read.ok()) << to_string(read.problem().error) << " in " << to_string(read.problem().section);
    info_.emplace(read.info());
    for (uint32_t p = 0; p < 2; ++p) partitions_[p].create(*info_, p);
    for (uint32_t t = 0; t < 4; ++t) {
      const Thread_entry& entry = info_->threads()[t];
      const uint32_t first = info_->partitions()[entry.partition].first_thread;
      threads_[t] = Thread{};
      threads_[t].create(entry, info_->name(entry.name), partitions_[entry.partition], t - first);
    }
  }
  std::vector<uint8_t> blob_ = native_and_vm_blob();
  std::optional<Boot_info> info_;
  Partition partitions_[2];
  // The kernel's pool: the scheduler's queues name threads by their place in it.
  Thread* threads_ = test::use_test_threads(8);
};

constexpr uint64_t spsr_mode_mask = 0xf;
constexpr uint64_t spsr_el0t = 0x0;
constexpr uint64_t spsr_el1h = 0x5;
constexpr uint64_t spsr_interrupts_masked = 0x3c0;

TEST_F(ThreadTest, NativeThreadStartsAtEl0WithItsStack) {
  const Thread& main = threads_[0];
  EXPECT_STREQ(main.name(), "main");
  EXPECT_EQ(&main.partition(), &partitions_[0]);
  EXPECT_FALSE(main.is_vcpu());
  EXPECT_EQ(main.priority(), 10u);
  EXPECT_EQ(main.cpu(), 0u);
  EXPECT_EQ(main.fault_endpoint(), no_index);
  EXPECT_EQ(main.context.elr, 0x20'0000u);
  EXPECT_EQ(main.context.sp_el0, 0x21'0000u);
  EXPECT_EQ(main.context.spsr & spsr_mode_mask, spsr_el0t);
  EXPECT_EQ(main.context.spsr & spsr_interrupts_masked, spsr_interrupts_masked);
  EXPECT_EQ(main.state, Thread::State::inactive) << "the boot path decides whether it runs";
  for (uint64_t x : main.context.x) EXPECT_EQ(x, 0u) << "no kernel value leaks into a new thread";
}

TEST_F(ThreadTest, VcpuStartsAtEl1WithTheDeviceTreeInX0AndTheMmuOff) {
  const Thread& vcpu = threads_[2];
  EXPECT_TRUE(vcpu.is_vcpu());
  EXPECT_EQ(vcpu.vcpu_index(), 0u);
  EXPECT_EQ(vcpu.context.elr, 0x4000'0000u);
  EXPECT_EQ(vcpu.context.x[0], 0x4008'0000u) << "Linux boot protocol: x0 = device tree";
  EXPECT_EQ(vcpu.context.spsr & spsr_mode_mask, spsr_el1h);
  EXPECT_EQ(vcpu.vcpu_registers.sctlr_el1, arch::Vcpu_registers::at_reset(0).sctlr_el1);
  EXPECT_EQ(vcpu.vcpu_registers.sctlr_el1 & 1, 0u) << "MMU off";
  EXPECT_EQ(vcpu.vcpu_interrupts.pending[0] | vcpu.vcpu_interrupts.pending[1], 0u);
  EXPECT_EQ(vcpu.vcpu_interrupts.timer_control, 0u) << "virtual timer off";
}

TEST_F(ThreadTest, VcpusAreNumberedWithinTheirVm) {
  EXPECT_EQ(threads_[3].vcpu_index(), 1u);
  EXPECT_EQ(threads_[2].vcpu_registers.virtual_mpidr, 0x8000'0000u) << "the guest sees CPU 0";
  EXPECT_EQ(threads_[3].vcpu_registers.virtual_mpidr, 0x8000'0001u) << "and CPU 1";
  EXPECT_EQ(threads_[3].cpu(), 1u);
  EXPECT_EQ(threads_[3].context.elr, 0u) << "a secondary vCPU waits for PSCI CPU_ON";
}

TEST_F(ThreadTest, CreatingAgainResetsTheThread) {
  Thread& main = threads_[0];
  main.context.x[5] = 99;
  main.state = Thread::State::stopped;
  main.create(info_->threads()[0], "main", partitions_[0], 0);
  EXPECT_EQ(main.context.x[5], 0u);
  EXPECT_EQ(main.state, Thread::State::inactive);
}

TEST_F(ThreadTest, FpRegistersStartAsZero) {
  Thread& main = threads_[0];
  main.fp_registers.v[7] = 0x1234;
  main.fp_registers.fpcr = 0x0040'0000;
  main.fp_in_registers = true;
  main.create(info_->threads()[0], "main", partitions_[0], 0);
  for (uint64_t word : main.fp_registers.v) EXPECT_EQ(word, 0u) << "a first FP use sees zeros, never old values";
  EXPECT_EQ(main.fp_registers.fpcr, 0u);
  EXPECT_EQ(main.fp_registers.fpsr, 0u);
  EXPECT_FALSE(main.fp_in_registers);
}

TEST_F(ThreadTest, StartingAVcpuResetsItsFpRegisters) {
  Thread& secondary = threads_[3];
  secondary.fp_registers.v[63] = 0x5678;
  secondary.fp_registers.fpsr = 0x10;
  secondary.start_vcpu(0x4000'1000, 7);
  for (uint64_t word : secondary.fp_registers.v) EXPECT_EQ(word, 0u);
  EXPECT_EQ(secondary.fp_registers.fpsr, 0u);
}

TEST(ThreadObject, OutOfRangeIndexesNameAThreadInsteadOfOverrunning) {
  test::use_test_threads(4);  // the carved pool's size, not abi::max_threads, bounds it
  EXPECT_EQ(&thread_object(4), &thread_object(0));
  EXPECT_EQ(&thread_object(max_threads), &thread_object(0));
  EXPECT_NE(&thread_object(3), &thread_object(0));
}

// Scheduler decisions over threads made ready by hand.
class SchedulerTest : public ThreadTest {
 protected:
  Thread& ready(uint32_t t) {
    threads_[t].state = Thread::State::ready;
    return threads_[t];
  }
  // The kernel timer firing at `now`.
  void advance_to(uint64_t now) {
    scheduler_.advance(now);
    scheduler_.wake_due();
  }
  SchedulerTest() { scheduler_.give_memory(memory_.memory()); }
  test::Test_scheduler_memory memory_{8, 8, 64};
  Scheduler scheduler_;
};

TEST_F(SchedulerTest, PicksNothingWhenNothingIsReady) {
  scheduler_.add(threads_[0]);
  EXPECT_EQ(scheduler_.pick_next(), nullptr);
  EXPECT_FALSE(scheduler_.should_preempt());
}

TEST_F(SchedulerTest, PicksTheHighestPriorityReadyThread) {
  scheduler_.add(ready(0));  // priority 10
  scheduler_.add(ready(1));  // priority 20
  scheduler_.add(ready(2));  // priority 5
  EXPECT_EQ(scheduler_.pick_next(), &threads_[1]);
  threads_[1].state = Thread::State::blocked_receive;
  EXPECT_EQ(scheduler_.pick_next(), &threads_[0]);
}

TEST_F(SchedulerTest, RotatesAmongEqualPriorities) {
  scheduler_.add(ready(2));  // both priority 5
  scheduler_.add(ready(3));
  scheduler_.switch_current(&threads_[2]);
  EXPECT_EQ(scheduler_.pick_next(), &threads_[2]) << "the current thread keeps running among equals";
  scheduler_.current_yields = true;
  EXPECT_EQ(scheduler_.pick_next(), &threads_[3]) << "yield lets the other one run";
  scheduler_.switch_current(&threads_[3]);
  scheduler_.current_yields = true;
  EXPECT_EQ(scheduler_.pick_next(), &threads_[2]);
}

TEST_F(SchedulerTest, APreemptedThreadResumesBeforeItsEqualsAndAYieldingOneAfterThem) {
  scheduler_.add(ready(2));  // both priority 5
  scheduler_.add(ready(3));
  scheduler_.switch_current(&threads_[2]);
  scheduler_.add(threads_[1]);           // priority 20
  scheduler_.switch_current(&ready(1));  // preempts 2
  threads_[1].state = Thread::State::blocked_receive;
  EXPECT_EQ(scheduler_.pick_next(), &threads_[2]) << "preempted: first of its priority, before 3";
  scheduler_.switch_current(&threads_[2]);
  scheduler_.current_yields = true;
  scheduler_.switch_current(&threads_[3]);
  EXPECT_FALSE(scheduler_.current_yields) << "the switch consumes the yield";
  threads_[3].state = Thread::State::blocked_receive;
  scheduler_.switch_current(nullptr);
  EXPECT_EQ(scheduler_.pick_next(), &threads_[2]);
}

TEST_F(SchedulerTest, PreemptsOnlyForAHigherPriority) {
  scheduler_.add(ready(0));  // priority 10
  scheduler_.add(threads_[1]);
  scheduler_.add(ready(2));  // priority 5
  scheduler_.switch_current(&threads_[0]);
  EXPECT_FALSE(scheduler_.should_preempt()) << "a lower priority waits";
  scheduler_.requeue(ready(1));  // priority 20 wakes (make_ready)
  EXPECT_TRUE(scheduler_.should_preempt());
  threads_[0].state = Thread::State::blocked_receive;
  threads_[1].state = Thread::State::inactive;
  EXPECT_TRUE(scheduler_.should_preempt()) << "the current thread blocked: anything ready runs";
}

TEST_F(SchedulerTest, WakesSleepersWhenTheirTimeComes) {
  scheduler_.add(threads_[2]);
  scheduler_.add(threads_[3]);
  threads_[2].state = Thread::State::blocked_wait;
  threads_[2].wake_at = 500;
  threads_[3].state = Thread::State::blocked_wait;
  threads_[3].wake_at = 300;
  scheduler_.requeue(threads_[2]);  // as when each was switched away from
  scheduler_.requeue(threads_[3]);
  EXPECT_EQ(scheduler_.earliest_wakeup(), 300u);
  advance_to(299);
  EXPECT_EQ(scheduler_.pick_next(), nullptr) << "not yet";
  advance_to(300);
  EXPECT_EQ(threads_[3].state, Thread::State::ready);
  EXPECT_EQ(threads_[3].wake_at, 0u);
  EXPECT_EQ(threads_[2].state, Thread::State::blocked_wait);
  EXPECT_EQ(scheduler_.earliest_wakeup(), 500u);
  advance_to(10'000);
  EXPECT_EQ(threads_[2].state, Thread::State::ready);
  EXPECT_EQ(scheduler_.earliest_wakeup(), 0u) << "nobody sleeps";
}

TEST_F(SchedulerTest, AWaitWithoutDeadlineSleepsUntilWoken) {
  scheduler_.add(threads_[2]);
  threads_[2].state = Thread::State::blocked_wait;  // WFI with the timer off
  EXPECT_EQ(scheduler_.earliest_wakeup(), 0u);
  advance_to(UINT64_MAX);
  EXPECT_EQ(threads_[2].state, Thread::State::blocked_wait) << "only an interrupt wakes it";
}

TEST(CpuScheduler, EachCpuHasItsOwnAndBadIndexesDoNotOverrun) {
  EXPECT_NE(&cpu_scheduler(0), &cpu_scheduler(1));
  EXPECT_EQ(&cpu_scheduler(max_cpus), &cpu_scheduler(0));
}

}  // namespace
