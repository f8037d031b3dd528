// SPDX-License-Identifier: Apache-2.0
// Scheduler and plan tests with a fake clock: which partition a CPU's plan
// gives the CPU to and when, which thread runs in a window, budgets and their
// refill, passive servers on donated time, and the one-shot timer events.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <kestrel/boot_info.hpp>
#include <kestrel/partition.hpp>
#include <kestrel/plan.hpp>
#include <kestrel/policy/boot_info_writer.hpp>
#include <kestrel/scheduler.hpp>
#include <kestrel/thread.hpp>

#include "test_pools.hpp"

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

TEST(Plan, AnyHintFindsTheSameWindowAndTheNextHintFindsItAtOnce) {
  const Window_entry windows[] = {{.partition = 3, .duration_ns = 100},
                                  {.partition = 5, .duration_ns = 300},
                                  {.partition = 7, .duration_ns = 50},
                                  {.partition = 5, .duration_ns = 50}};
  Plan plan;
  plan.configure(Cpu_plan_entry{.window_count = 4, .major_frame_ns = 500}, Span<const Window_entry>(windows, 4),
                 frequency, epoch);
  for (uint64_t now = epoch; now < epoch + 3 * 500; now += 7) {
    const Plan::Window expected = plan.at(now);
    for (uint32_t hint = 0; hint < 6; ++hint) {
      const Plan::Window found = plan.at(now, hint);
      EXPECT_EQ(found.partition, expected.partition) << "at " << now << ", hint " << hint;
      EXPECT_EQ(found.index, expected.index) << "at " << now << ", hint " << hint;
      EXPECT_EQ(found.ends_at, expected.ends_at) << "at " << now << ", hint " << hint;
    }
  }
  // Walking from window to window, as the scheduler does at each window end.
  Plan::Window window = plan.at(epoch);
  const uint32_t order[] = {3, 5, 7, 5, 3, 5, 7, 5};
  for (const uint32_t partition : order) {
    EXPECT_EQ(window.partition, partition);
    window = plan.at(window.ends_at, plan.next_hint(window));
  }
  EXPECT_EQ(window.ends_at, epoch + 2 * 500 + 100) << "two frames later, the first window again";
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
  // Exactly the 128-bit product's quotient, for awkward frequencies too.
  for (const uint64_t hertz : {uint64_t{62'500'000}, uint64_t{19'200'000}, uint64_t{1'000'000'000},
                               uint64_t{24'000'001}, uint64_t{17'999'999'999}}) {
    for (const uint64_t nanoseconds : {uint64_t{0}, uint64_t{1}, uint64_t{999'999'999}, uint64_t{1'500'000'015},
                                       uint64_t{123'456'789'012'345}, uint64_t{1} << 40}) {
      const auto expected = static_cast<uint64_t>(static_cast<unsigned __int128>(nanoseconds) * hertz / 1'000'000'000U);
      EXPECT_EQ(Plan::ticks(nanoseconds, hertz), expected) << nanoseconds << " ns at " << hertz << " Hz";
    }
  }
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
    scheduler_.give_memory(memory_.memory());
    scheduler_.configure(plan, info_->windows_of(plan), frequency, epoch);
    for (uint32_t t = 0; t < 4; ++t) {
      const Thread_entry& entry = info_->threads()[t];
      threads_[t] = Thread{};  // the kernel's pool: the queues name threads by their place in it
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
    scheduler_.switch_current(next);
    return next;
  }
  Thread& low() { return threads_[0]; }
  Thread& high() { return threads_[1]; }
  Thread& worker() { return threads_[2]; }
  Thread& server() { return threads_[3]; }

  std::vector<uint8_t> blob_ = two_window_blob();
  std::optional<Boot_info> info_;
  Partition partitions_[2];
  Thread* threads_ = test::use_test_threads(8);
  test::Test_scheduler_memory memory_{8, 8, 64};
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
  scheduler_.requeue(server());  // as make_ready does once high lends it time
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
  scheduler_.requeue(server());  // as make_ready does when it receives the call
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
  scheduler_.requeue(server());
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

TEST_F(WindowSchedulerTest, AServerOnItsCallersTimeWaitsForTheCallersWindow) {
  EXPECT_EQ(run_at(epoch + 200), &high());
  server().serving = &high();
  high().state = Thread::State::blocked_reply;
  scheduler_.requeue(server());
  EXPECT_EQ(run_at(epoch + 210), &server());
  EXPECT_EQ(run_at(epoch + 300), &worker()) << "b's window: the server waits among a's threads";
  EXPECT_EQ(run_at(epoch + 400), &server()) << "a's window: it goes on before low";
  // It replies: high is ready again, the server waits for the next call.
  server().state = Thread::State::blocked_receive;
  server().serving = nullptr;
  high().state = Thread::State::ready;
  scheduler_.requeue(high());
  EXPECT_EQ(run_at(epoch + 410), &high());
}

TEST_F(WindowSchedulerTest, AServerOnASpentBudgetWaitsForItsCallersRefill) {
  EXPECT_EQ(run_at(epoch + 100), &worker());
  server().serving = &worker();
  worker().state = Thread::State::blocked_reply;
  scheduler_.requeue(server());
  EXPECT_EQ(run_at(epoch + 110), &server());
  EXPECT_EQ(run_at(epoch + 130), nullptr) << "worker's budget is spent while the server serves it";
  EXPECT_TRUE(scheduler_.has_ready_thread()) << "the server is throttled, not blocked";
  EXPECT_EQ(scheduler_.next_event(), epoch + 200) << "the refill, with the window's end";
  EXPECT_EQ(run_at(epoch + 200), &high());
  EXPECT_EQ(run_at(epoch + 300), &server()) << "refilled: it goes on, on worker's time";
  EXPECT_EQ(worker().budget_left, 30);
}

TEST_F(WindowSchedulerTest, ASleepingThreadWakesAtItsDeadline) {
  EXPECT_EQ(run_at(epoch), &high());
  high().state = Thread::State::blocked_wait;  // a vCPU in WFI, its timer due at +50
  high().wake_at = epoch + 50;
  EXPECT_EQ(run_at(epoch + 10), &low());
  EXPECT_EQ(scheduler_.earliest_wakeup(), epoch + 50);
  EXPECT_EQ(scheduler_.next_event(), epoch + 50);
  EXPECT_EQ(run_at(epoch + 50), &high());
  EXPECT_EQ(high().state, Thread::State::ready);
  EXPECT_EQ(high().wake_at, 0u);
  EXPECT_EQ(scheduler_.earliest_wakeup(), 0u);
  // Woken early (an interrupt): its deadline leaves the heap.
  high().state = Thread::State::blocked_wait;
  high().wake_at = epoch + 90;
  EXPECT_EQ(run_at(epoch + 60), &low());
  EXPECT_EQ(scheduler_.earliest_wakeup(), epoch + 90);
  high().state = Thread::State::ready;
  high().wake_at = 0;
  scheduler_.requeue(high());
  EXPECT_EQ(scheduler_.earliest_wakeup(), 0u);
  EXPECT_EQ(scheduler_.next_event(), epoch + 100);
}

// `partitions` partitions of `per_partition` threads, thread i of each with
// priority priority_of(i); one 100-tick window per partition, in order.
std::vector<uint8_t> many_threads_blob(uint32_t partitions, uint32_t per_partition, uint32_t (*priority_of)(uint32_t)) {
  policy::Boot_info_writer writer;
  writer.set_system_name("many");
  writer.platform() =
      Platform_entry{.cpu_count = 1, .vmid_bits = 16, .hypervisor_timer_intid = 26, .virtual_timer_intid = 27};
  writer.add(Memory_range{.base = 0x4000'0000, .size = 0x4000'0000});
  const std::string names = "abcdefghijklmnopqrstuvwxyz";
  for (uint32_t p = 0; p < partitions; ++p) {
    writer.add(Partition_entry{.name = writer.intern(std::string(1, names[p])),
                               .vmid = p + 1,
                               .first_region = p,
                               .region_count = 1,
                               .first_thread = p * per_partition,
                               .thread_count = per_partition});
    writer.add(Region_entry{.ipa = 0x20'0000,
                            .pa = 0x4080'0000 + uint64_t{p} * 0x10'0000,
                            .size = 0x1'0000,
                            .attributes = region_read | region_write,
                            .name = writer.intern("all")});
  }
  for (uint32_t p = 0; p < partitions; ++p) {
    for (uint32_t i = 0; i < per_partition; ++i) {
      writer.add(Thread_entry{.name = writer.intern(std::string(1, names[p]) + std::to_string(i)),
                              .partition = p,
                              .entry = 0x20'0000,
                              .stack_top = 0x21'0000,
                              .priority = priority_of(i),
                              .fault_endpoint = no_index});
    }
  }
  writer.add(
      Cpu_plan_entry{.cpu = 0, .first_window = 0, .window_count = partitions, .major_frame_ns = 100 * partitions});
  for (uint32_t p = 0; p < partitions; ++p) writer.add(Window_entry{.partition = p, .duration_ns = 100});
  return writer.finish();
}

class ManyThreadsTest : public testing::Test {
 protected:
  static constexpr uint32_t partitions = 3;
  static constexpr uint32_t per_partition = 8;

  void build(uint32_t (*priority_of)(uint32_t)) {
    blob_ = many_threads_blob(partitions, per_partition, priority_of);
    const auto read = read_boot_info(blob_.data(), blob_.size());
    ASSERT_TRUE(read.ok()) << to_string(read.problem().error) << " in " << to_string(read.problem().section);
    info_.emplace(read.info());
    for (uint32_t p = 0; p < partitions; ++p) partitions_[p].create(*info_, p);
    const Cpu_plan_entry& plan = info_->cpu_plans()[0];
    scheduler_ = std::make_unique<Scheduler>();
    scheduler_->give_memory(memory_.memory());
    scheduler_->configure(plan, info_->windows_of(plan), frequency, epoch);
    for (uint32_t t = 0; t < partitions * per_partition; ++t) {
      const Thread_entry& entry = info_->threads()[t];
      threads_[t] = Thread{};
      threads_[t].create(entry, info_->name(entry.name), partitions_[entry.partition], t % per_partition);
      threads_[t].state = Thread::State::ready;
      scheduler_->add(threads_[t]);
    }
  }
  Thread* run_at(uint64_t now) {
    scheduler_->advance(now);
    scheduler_->wake_due();
    Thread* next = scheduler_->pick_next();
    scheduler_->switch_current(next);
    return next;
  }
  Thread& thread(uint32_t partition, uint32_t i) { return threads_[partition * per_partition + i]; }

  std::vector<uint8_t> blob_;
  std::optional<Boot_info> info_;
  Partition partitions_[partitions];
  Thread* threads_ = test::use_test_threads(partitions * per_partition);  // the kernel's pool
  test::Test_scheduler_memory memory_{partitions + 1, partitions, partitions* per_partition};
  std::unique_ptr<Scheduler> scheduler_;
};

TEST_F(ManyThreadsTest, EqualsTakeTurnsAndWindowsChangeTheirPartition) {
  build([](uint32_t) { return 4u; });
  for (uint64_t frame = 0; frame < 2; ++frame) {
    for (uint32_t p = 0; p < partitions; ++p) {
      const uint64_t window = epoch + (frame * partitions + p) * 100;
      // Each switch is a yield: the one that ran goes to the back.
      for (uint32_t turn = 0; turn < 2 * per_partition; ++turn) {
        scheduler_->current_yields = true;
        Thread* ran = run_at(window + turn);
        ASSERT_NE(ran, nullptr);
        EXPECT_EQ(&ran->partition(), &partitions_[p]) << "frame " << frame << " window " << p << " turn " << turn;
        if (frame == 0) {
          EXPECT_EQ(ran, &thread(p, turn % per_partition)) << "round-robin in order, window " << p << " turn " << turn;
        }
      }
    }
  }
}

TEST_F(ManyThreadsTest, TheBestOfTheWindowRunsAndOthersAreSeenByNoneBetterThan) {
  build([](uint32_t i) { return i == 5 ? 200u : i; });  // 0, 1, 2, 3, 4, 200, 6, 7
  EXPECT_EQ(run_at(epoch), &thread(0, 5));
  EXPECT_TRUE(scheduler_->none_better_than(thread(0, 5), thread(0, 5)));
  EXPECT_FALSE(scheduler_->none_better_than(thread(0, 6), thread(0, 5))) << "7 is queued and better than 6";
  EXPECT_TRUE(scheduler_->none_better_than(thread(0, 7), thread(0, 5)));
  // The best blocks; the next best (7), then 6, then the rest by priority.
  thread(0, 5).state = Thread::State::blocked_receive;
  EXPECT_EQ(run_at(epoch + 1), &thread(0, 7));
  EXPECT_TRUE(scheduler_->none_better_than(thread(0, 5), thread(0, 7))) << "5 is blocked: not counted";
  thread(0, 7).state = Thread::State::blocked_receive;
  EXPECT_EQ(run_at(epoch + 2), &thread(0, 6));
  EXPECT_EQ(run_at(epoch + 100), &thread(1, 5)) << "b's window: b's best";
  EXPECT_TRUE(scheduler_->none_better_than(thread(1, 5), thread(1, 5))) << "a's queued threads do not count";
  // a's best wakes while b runs: it waits for a's window.
  thread(0, 5).state = Thread::State::ready;
  scheduler_->requeue(thread(0, 5));
  EXPECT_EQ(scheduler_->better_thread(), nullptr);
  EXPECT_EQ(run_at(epoch + 300), &thread(0, 5));
}

}  // namespace
