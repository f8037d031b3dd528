// SPDX-License-Identifier: Apache-2.0
// Scheduler and plan tests with a fake clock: which partition a CPU's plan
// gives the CPU to and when, which thread runs in a window, budgets and their
// refill, passive servers on donated time, and the one-shot timer events.
#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include <kestrel/boot_info.hpp>
#include <kestrel/partition.hpp>
#include <kestrel/plan.hpp>
#include <kestrel/policy/boot_info_writer.hpp>
#include <kestrel/scheduler.hpp>
#include <kestrel/thread.hpp>

// Designated initializers leave the fields a test does not care about zero.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

using namespace kestrel;
using namespace kestrel::abi;

namespace {

// A 1 GHz counter: one tick per nanosecond keeps the numbers readable.
constexpr uint64_t frequency = 1'000'000'000;
constexpr uint64_t epoch = 1'000;

TEST(Plan, WindowsFollowEachOtherAndRepeatEveryMajorFrame) {
  const Window_entry windows[] = {{.partition = 3, .duration_ns = 100}, {.partition = 5, .duration_ns = 300}};
  Plan plan;
  plan.configure(Cpu_plan_entry{.window_count = 2, .major_frame_ns = 400}, Span<const Window_entry>(windows, 2),
                 frequency, epoch);
  EXPECT_EQ(plan.at(epoch).partition, 3u);
  EXPECT_EQ(plan.at(epoch).ends_at, epoch + 100);
  EXPECT_EQ(plan.at(epoch + 99).partition, 3u);
  EXPECT_EQ(plan.at(epoch + 100).partition, 5u);
  EXPECT_EQ(plan.at(epoch + 100).ends_at, epoch + 400);
  EXPECT_EQ(plan.at(epoch + 400).partition, 3u) << "the next major frame";
  EXPECT_EQ(plan.at(epoch + 4 * 400 + 250).partition, 5u);
  EXPECT_EQ(plan.at(epoch + 4 * 400 + 250).ends_at, epoch + 5 * 400);
}

TEST(Plan, AnExclusiveCpuNeverChanges) {
  const Window_entry windows[] = {{.partition = 2, .duration_ns = 0}};
  Plan plan;
  plan.configure(Cpu_plan_entry{.flags = cpu_exclusive, .window_count = 1}, Span<const Window_entry>(windows, 1),
                 frequency, epoch);
  EXPECT_TRUE(plan.exclusive());
  EXPECT_EQ(plan.at(epoch + 123456).partition, 2u);
  EXPECT_EQ(plan.at(epoch).ends_at, UINT64_MAX);
}

TEST(Plan, TicksConvertWithoutOverflowOrDrift) {
  EXPECT_EQ(Plan::ticks(1'000'000'000, 62'500'000), 62'500'000u);  // QEMU virt's counter: 62.5 MHz
  EXPECT_EQ(Plan::ticks(16, 62'500'000), 1u);
  EXPECT_EQ(Plan::ticks(UINT64_MAX / 2, 1'000'000'000), UINT64_MAX / 2);
  // Boundaries from running sums: three 1/3-tick windows still end the frame on time.
  const Window_entry windows[] = {
      {.partition = 0, .duration_ns = 5}, {.partition = 1, .duration_ns = 5}, {.partition = 2, .duration_ns = 6}};
  Plan plan;
  plan.configure(Cpu_plan_entry{.window_count = 3, .major_frame_ns = 16}, Span<const Window_entry>(windows, 3),
                 62'500'000, 0);
  EXPECT_EQ(plan.at(0).ends_at, 1u) << "the frame is one tick; its windows share it without drifting";
}

// Partitions "a" (index 0) and "b" (index 1), each with a window of 100
// ticks in a 200-tick frame; threads: a.low (priority 1), a.high (5),
// b.worker (3, budget 30 per 100), and b.server (passive, priority 9).
std::vector<uint8_t> two_window_blob() {
  policy::Boot_info_writer writer;
  writer.set_system_name("test");
  writer.platform() =
      Platform_entry{.cpu_count = 1, .vmid_bits = 8, .hypervisor_timer_intid = 26, .virtual_timer_intid = 27};
  writer.add(Memory_range{.base = 0x4000'0000, .size = 0x4000'0000});
  for (uint32_t p = 0; p < 2; ++p) {
    writer.add(Partition_entry{.name = writer.intern(p == 0 ? "a" : "b"),
                               .vmid = p + 1,
                               .first_region = p,
                               .region_count = 1,
                               .first_thread = 2 * p,
                               .thread_count = 2});
    writer.add(Region_entry{.ipa = 0x20'0000,
                            .pa = 0x4080'0000 + p * 0x10'0000,
                            .size = 0x1'0000,
                            .attributes = region_read | region_write,
                            .name = writer.intern("all")});
  }
  auto thread = [&](const char* name, uint32_t partition, uint32_t priority, uint32_t flags, uint64_t budget,
                    uint64_t period) {
    writer.add(Thread_entry{.name = writer.intern(name),
                            .partition = partition,
                            .entry = 0x20'0000,
                            .stack_top = 0x21'0000,
                            .budget_ns = budget,
                            .period_ns = period,
                            .priority = priority,
                            .flags = flags,
                            .fault_endpoint = no_index});
  };
  thread("low", 0, 1, 0, 0, 0);
  thread("high", 0, 5, 0, 0, 0);
  thread("worker", 1, 3, 0, 30, 100);
  thread("server", 1, 9, thread_passive, 0, 0);
  writer.add(Cpu_plan_entry{.cpu = 0, .first_window = 0, .window_count = 2, .major_frame_ns = 200});
  writer.add(Window_entry{.partition = 0, .duration_ns = 100});
  writer.add(Window_entry{.partition = 1, .duration_ns = 100});
  return writer.finish();
}

class WindowSchedulerTest : public testing::Test {
 protected:
  void SetUp() override {
    const auto read = read_boot_info(blob_.data(), blob_.size());
    ASSERT_TRUE(read.ok()) << to_string(read.problem().error) << " in " << to_string(read.problem().section);
    info_.emplace(read.info());
    for (uint32_t p = 0; p < 2; ++p) partitions_[p].create(*info_, p);
    const Cpu_plan_entry& plan = info_->cpu_plans()[0];
    scheduler_.configure(plan, info_->windows_of(plan), frequency, epoch);
    for (uint32_t t = 0; t < 4; ++t) {
      const Thread_entry& entry = info_->threads()[t];
      threads_[t].create(entry, info_->name(entry.name), partitions_[entry.partition], t % 2);
      threads_[t].state = Thread::State::ready;
      scheduler_.add(threads_[t]);
    }
    server().waited_for_call = true;  // as if it had reached its receive (see PassiveServerStartsUpOnItsCallersTime)
  }
  // What the kernel does at a timer event or a switch: time moves on, then
  // the best thread runs.
  Thread* run_at(uint64_t now) {
    scheduler_.advance(now);
    scheduler_.wake_due();
    Thread* next = scheduler_.pick_next();
    scheduler_.set_current(next);
    return next;
  }
  Thread& low() { return threads_[0]; }
  Thread& high() { return threads_[1]; }
  Thread& worker() { return threads_[2]; }
  Thread& server() { return threads_[3]; }

  std::vector<uint8_t> blob_ = two_window_blob();
  std::optional<Boot_info> info_;
  Partition partitions_[2];
  Thread threads_[4];
  Scheduler scheduler_;
};

TEST_F(WindowSchedulerTest, OnlyTheWindowsPartitionRuns) {
  EXPECT_EQ(run_at(epoch), &high()) << "a's window: its best thread, although b's threads are ready";
  EXPECT_EQ(scheduler_.window_partition(), 0u);
  EXPECT_FALSE(scheduler_.may_run(worker()));
  EXPECT_EQ(run_at(epoch + 100), &worker()) << "b's window (its passive server has no call to serve)";
  EXPECT_FALSE(scheduler_.may_run(high()));
  EXPECT_EQ(run_at(epoch + 200), &high()) << "a's window again";
}

TEST_F(WindowSchedulerTest, TheNextEventIsTheWindowsEnd) {
  run_at(epoch + 10);
  EXPECT_EQ(scheduler_.next_event(), epoch + 100);
  run_at(epoch + 150);  // worker runs: its budget (30) ends before the window
  EXPECT_EQ(scheduler_.next_event(), epoch + 180);
}

TEST_F(WindowSchedulerTest, AThreadOutsideItsWindowIsPreempted) {
  run_at(epoch);
  scheduler_.advance(epoch + 100);
  EXPECT_TRUE(scheduler_.should_preempt()) << "high may not run in b's window";
}

TEST_F(WindowSchedulerTest, ASpinningThreadCannotKeepTheCpuPastItsWindow) {
  // high never blocks: at every window end the kernel takes the CPU back.
  for (uint64_t frame = 0; frame < 5; ++frame) {
    EXPECT_EQ(run_at(epoch + frame * 200), &high());
    EXPECT_EQ(run_at(epoch + frame * 200 + 100), &worker()) << "frame " << frame;
  }
}

TEST_F(WindowSchedulerTest, ABudgetStopsAThreadUntilItsNextPeriod) {
  EXPECT_EQ(run_at(epoch + 100), &worker());
  EXPECT_EQ(run_at(epoch + 130), nullptr) << "30 ticks used: worker waits; nothing else of b may run";
  EXPECT_EQ(worker().state, Thread::State::ready) << "throttled, not blocked";
  EXPECT_EQ(scheduler_.next_event(), epoch + 200) << "the window's end comes before the refill (epoch + 100 + 100)";
  EXPECT_EQ(run_at(epoch + 200), &high());
  EXPECT_EQ(run_at(epoch + 300), &worker()) << "refilled in its next period";
}

TEST_F(WindowSchedulerTest, ThreadsOfLowerPriorityRunWhenBetterOnesBlock) {
  run_at(epoch);
  high().state = Thread::State::blocked_receive;
  EXPECT_TRUE(scheduler_.should_preempt());
  EXPECT_EQ(run_at(epoch + 5), &low());
}

TEST_F(WindowSchedulerTest, PassiveServerStartsUpOnItsCallersTime) {
  server().waited_for_call = false;
  EXPECT_EQ(server().donor(), nullptr) << "before its first receive it has no time of its own";
  EXPECT_EQ(run_at(epoch), &high()) << "so it does not run in a's window";
  EXPECT_EQ(run_at(epoch + 100), &worker()) << "nor in its own partition's";
  // high (partition a) waits to call it: the server starts up on high's time.
  EXPECT_EQ(run_at(epoch + 200), &high());
  server().serving = &high();
  high().state = Thread::State::blocked_call;
  EXPECT_EQ(server().donor(), &high());
  EXPECT_EQ(run_at(epoch + 201), &server()) << "in a's window, as high's stand-in";
  EXPECT_EQ(run_at(epoch + 300), &worker()) << "but not in b's window: high's time is a's";
  // Once high no longer waits for it (another thread took the call), the
  // loan ends.
  high().state = Thread::State::blocked_reply;
  EXPECT_EQ(server().donor(), nullptr);
  EXPECT_FALSE(scheduler_.may_run(server()));
  server().waited_for_call = true;
  server().serving = nullptr;
  EXPECT_EQ(run_at(epoch + 400), &low()) << "after its first receive: only on callers' time";
}

TEST_F(WindowSchedulerTest, APassiveServerRunsOnlyOnItsCallersTime) {
  EXPECT_EQ(server().donor(), nullptr);
  EXPECT_EQ(run_at(epoch + 100), &worker()) << "ready, but no call to serve: the server may not run";
  // high (partition a) calls the server of partition b in a's window.
  EXPECT_EQ(run_at(epoch + 200), &high());
  server().serving = &high();
  high().state = Thread::State::blocked_reply;
  EXPECT_EQ(server().donor(), &high());
  EXPECT_TRUE(scheduler_.may_run(server())) << "in a's window, on high's time";
  EXPECT_EQ(run_at(epoch + 210), &server());
  // Its time is charged to its donor: a budgeted caller pays for its calls.
  EXPECT_EQ(run_at(epoch + 300), &worker()) << "b's window: high's call waits for a's window";
  EXPECT_FALSE(scheduler_.may_run(server()));
}

TEST_F(WindowSchedulerTest, CallsChargeTheCallersBudget) {
  EXPECT_EQ(run_at(epoch + 100), &worker());
  server().serving = &worker();
  worker().state = Thread::State::blocked_reply;
  EXPECT_EQ(run_at(epoch + 110), &server()) << "worker's call: the server runs at priority 9 on worker's time";
  EXPECT_EQ(worker().budget_left, 20) << "10 ticks were worker's own";
  EXPECT_EQ(scheduler_.next_event(), epoch + 130) << "worker's budget ends while the server serves it";
  EXPECT_EQ(run_at(epoch + 130), nullptr) << "the budget is spent: neither may run";
  EXPECT_TRUE(scheduler_.keeps_accounting(worker(), server()) == false);
}

TEST_F(WindowSchedulerTest, DirectSwitchesMustKeepTheAccounting) {
  run_at(epoch);
  server().serving = &high();
  EXPECT_TRUE(scheduler_.keeps_accounting(high(), server())) << "a passive server runs on high's time";
  EXPECT_FALSE(scheduler_.keeps_accounting(high(), worker())) << "worker is not in the window";
  server().serving = nullptr;
  EXPECT_FALSE(scheduler_.keeps_accounting(high(), server())) << "no call, no time";
}

}  // namespace
