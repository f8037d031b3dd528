// SPDX-License-Identifier: Apache-2.0
// Bench scale tests: every generated system passes the policy compiler with
// the threads, CPUs and capability slots benchmarks/scale/layout.hpp and
// the program rely on; the "RAN" lines of part d; the tables.
#include <gtest/gtest.h>

#include <kestrel/policy/compiler.hpp>
#include <kestrel/policy/model.hpp>
#include <kestrel_cli/bench_scale.hpp>
#include <kestrel_cli/slots.hpp>
#include <layout.hpp>

#include "../policy/policy_test_support.hpp"

using namespace kestrel_cli;
namespace layout = kestrel::bench::scale;

namespace {

class BenchScalePolicy : public testing::Test {
 protected:
  const kestrel::policy::Model& compile(const std::string& text) {
    const auto path = scratch_.path() / ("policy" + std::to_string(count_++) + ".capnp");
    write_file(path, text);
    result_ = kestrel::policy::compile_policy(path.string(), {});
    EXPECT_TRUE(result_.ok()) << diagnostics_text(result_.diagnostics) << text.substr(0, 4000);
    if (!result_.ok()) throw std::runtime_error("the generated policy did not compile");
    return *result_.model;
  }
  static unsigned threads_on(const kestrel::policy::Model& model, uint32_t cpu) {
    unsigned count = 0;
    for (const auto& partition : model.partitions) {
      // A VM's vCPUs are among its partition's threads.
      for (const auto& thread : partition.threads) count += thread.cpu == cpu ? 1 : 0;
    }
    return count;
  }
  std::string slot(const kestrel::policy::Model& model, const std::string& partition, uint64_t number) {
    for (const auto& named : slot_names(model, model.partition_index.at(partition))) {
      if (named.slot == number) return named.name;
    }
    return "(none)";
  }
  // The same slots in both part c systems (layout.hpp).
  void expect_cross_slots(const kestrel::policy::Model& model) {
    EXPECT_EQ(slot(model, "xclient", layout::slot::call), "call_xsvc");
    EXPECT_EQ(slot(model, "xclient", layout::slot::wait), "wait_ack");
    EXPECT_EQ(slot(model, "xclient", layout::slot::signal), "signal_wake");
    EXPECT_EQ(slot(model, "xclient", layout::slot::console), "kernel_console");
    EXPECT_EQ(slot(model, "xserver", layout::slot::receive), "serve_xsvc");
    EXPECT_EQ(slot(model, "xserver", layout::slot::wait), "wait_wake");
    EXPECT_EQ(slot(model, "xserver", layout::slot::signal), "signal_ack");
    EXPECT_EQ(slot(model, "xserver", layout::slot::console), "kernel_console");
  }
  static std::string benchmark_policy() {
    return read_file(source_directory() / "benchmarks" / "ipc" / "ipc-bench.capnp");
  }

 private:
  Scratch_directory scratch_;
  kestrel::policy::Compile_result result_;
  unsigned count_ = 0;
};

}  // namespace

TEST_F(BenchScalePolicy, TheBenchmarkHasTheThreadsOnCpu0TheGeneratorCountsOn) {
  EXPECT_EQ(threads_on(compile(benchmark_policy()), 0), scale::benchmark_threads_on_cpu0);
}

TEST_F(BenchScalePolicy, ThreadsVariantsPutThatManyThreadsOnCpu0) {
  for (const unsigned threads : {8u, 64u, 256u}) {
    const auto generated = scale::threads_policy(benchmark_policy(), threads);
    ASSERT_TRUE(generated.error.empty()) << generated.error;
    const auto& model = compile(generated.text);
    EXPECT_EQ(threads_on(model, 0), threads);
    EXPECT_EQ(model.name, "ipc-bench-" + std::to_string(threads) + "-threads");
    if (threads == 64) {
      // Each filler thread waits on the owned notification in its own slot.
      EXPECT_EQ(slot(model, "filler1", 23), "wait_filler1_23");
      EXPECT_EQ(slot(model, "filler0", 0), "wait_filler0_0");
    }
  }
}

TEST_F(BenchScalePolicy, ThreadsVariantsRefuseWhatTheyCannotBuild) {
  EXPECT_NE(scale::threads_policy(benchmark_policy(), 7).error, "");
  EXPECT_NE(scale::threads_policy("@0x1; const system = ();", 64).error, "");
}

TEST_F(BenchScalePolicy, CpusVariantsHaveAPairOnEveryCpuWithTheProgramsSlots) {
  for (const unsigned cpus : {1u, 2u, 4u, 8u}) {
    const auto& model = compile(scale::cpus_policy(cpus));
    EXPECT_EQ(model.schedule.size(), cpus);
    for (unsigned cpu = 0; cpu < cpus; ++cpu) {
      EXPECT_EQ(threads_on(model, cpu), 4u);
      const std::string k = std::to_string(cpu);
      EXPECT_EQ(slot(model, "cpu" + k, layout::slot::call), "call_svc" + k);
      EXPECT_EQ(slot(model, "cpu" + k, layout::slot::wait), "wait_wake" + k);
      EXPECT_EQ(slot(model, "cpu" + k, layout::slot::signal), "signal_wake" + k);
      EXPECT_EQ(slot(model, "cpu" + k, layout::slot::console), "kernel_console");
      EXPECT_EQ(slot(model, "server" + k, layout::slot::receive), "serve_svc" + k);
      EXPECT_EQ(slot(model, "server" + k, layout::slot::console_alone), "kernel_console");
    }
  }
}

TEST_F(BenchScalePolicy, TheCrossCpuSystemsHaveOneTimedPairEachWithTheSameSlots) {
  for (const auto pair : {scale::Cross_pair::calls, scale::Cross_pair::signals}) {
    const auto& model = compile(scale::cross_cpu_policy(pair));
    EXPECT_EQ(threads_on(model, 0), 1u) << "one sender, so the other pair never runs between its counter reads";
    EXPECT_EQ(threads_on(model, 1), 2u);
    expect_cross_slots(model);
  }
  EXPECT_EQ(scale::cross_cpu_figures(scale::Cross_pair::calls), std::vector<std::string>{"call_round_trip_cross_cpu"});
  EXPECT_EQ(scale::cross_cpu_figures(scale::Cross_pair::signals).size(), 2u);
}

TEST_F(BenchScalePolicy, PartitionsVariantsCompileUpToTheKernelsLimit) {
  for (const unsigned partitions : {256u, 1024u}) {
    const auto& model = compile(scale::partitions_policy(partitions));
    EXPECT_EQ(model.partitions.size(), partitions);
    EXPECT_EQ(model.schedule.size(), scale::max_cpus);
    EXPECT_EQ(slot(model, "p0000", layout::slot::call), "call_svc_p0000");
    EXPECT_EQ(slot(model, "p0000", layout::slot::console_alone), "kernel_console");
    const std::string last = partitions == 256 ? "p0255" : "p1023";
    EXPECT_EQ(slot(model, last, layout::slot::receive), partitions == 256 ? "serve_svc_p0127" : "serve_svc_p0511");
    EXPECT_EQ(slot(model, last, layout::slot::console_alone), "kernel_console");
  }
}

TEST(BenchScale, LayoutGivesEveryRoleAndNumberItsOwnStack) {
  EXPECT_EQ(layout::stack_address(layout::Role::hello_server, layout::max_number - 1) + layout::number_stride,
            layout::stack_base + layout::role_count * layout::role_stride);
  EXPECT_LE(layout::stack_size, layout::number_stride);
}

TEST(BenchScale, ReadsThePartitionsThatRan) {
  // 62.5 MHz: a tick is 16 instructions.
  const auto run = scale::read_partitions_run(
      {"boot: starting", "RAN 1 at 2000 of 62500000", "x RAN 0 at 1000 of 62500000", "RAN 2 at 3000 of 62500000"}, 3);
  EXPECT_TRUE(run.problems.empty());
  EXPECT_EQ(run.ran, 3u);
  EXPECT_EQ(run.first_instructions, 16000u);
  EXPECT_EQ(run.last_instructions, 48000u);
}

TEST(BenchScale, ReportsMissingRepeatedAndMalformedRanLines) {
  const auto run = scale::read_partitions_run(
      {"RAN 1 at 2000 of 62500000", "RAN 1 at 2100 of 62500000", "RAN 9 at 1 of 1", "RAN 2 at x of 62500000"}, 4);
  ASSERT_EQ(run.problems.size(), 4u);
  EXPECT_EQ(run.problems[0], "partition 1 ran twice");
  EXPECT_EQ(run.problems[1], "malformed RAN line: RAN 9 at 1 of 1");
  EXPECT_EQ(run.problems[2], "malformed RAN line: RAN 2 at x of 62500000");
  EXPECT_EQ(run.problems[3], "3 of 4 partitions never printed RAN: 0 2 3");
  EXPECT_EQ(run.ran, 1u);
}

namespace {

Bench_results results_of(const std::vector<std::string>& names, uint64_t base) {
  std::vector<std::string> lines;
  for (const auto& name : names) {
    const auto v = std::to_string(base++);
    lines.push_back("RESULT " + name + " min=" + v + " median=" + v + " max=" + v + " samples=200 overhead=2");
  }
  auto results = read_results(lines);
  require_figures(results, names);
  EXPECT_TRUE(results.problems.empty());
  return results;
}

}  // namespace

TEST(BenchScale, ReadsThePerCpuFiguresAndSaysWhichAreMissing) {
  const auto names = scale::cpus_figures(2);
  ASSERT_EQ(names.size(), 6u);
  EXPECT_EQ(names[0], "call_one_way_cross.cpu0");
  EXPECT_EQ(names[5], "signal_wake_same.cpu1");
  auto results = read_results({"RESULT call_one_way_cross.cpu0 min=1 median=2 max=3 samples=200 overhead=2"});
  require_figures(results, names);
  ASSERT_EQ(results.problems.size(), 1u);
  EXPECT_EQ(results.problems[0],
            "no RESULT line for reply_recv_one_way_cross.cpu0 signal_wake_same.cpu0 call_one_way_cross.cpu1 "
            "reply_recv_one_way_cross.cpu1 signal_wake_same.cpu1");
}

TEST(BenchScale, ThreadsTableHasAColumnPerCountAndTheSpread) {
  const std::map<unsigned, Bench_results> by_threads = {{8, results_of(scale::threads_figures(), 200)},
                                                        {256, results_of(scale::threads_figures(), 300)}};
  const std::string table = scale::threads_table(by_threads, "cortex-a72");
  EXPECT_NE(table.find("figure                                                 8 thr 256 thr    spread     seL4\n"
                       "Call, one-way, to another partition                      200     300    50.0 %  255 [1]\n"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("[1] seL4 figures:"), std::string::npos) << table;
}

TEST(BenchScale, CpusTableListsEveryCpusFigureAndTheSpread) {
  const std::map<unsigned, Bench_results> by_cpus = {{2, results_of(scale::cpus_figures(2), 100)}};
  const std::string table = scale::cpus_table(by_cpus, "cortex-a72");
  // call_one_way_cross.cpu0 is 100, .cpu1 is 103.
  EXPECT_NE(
      table.find("Call, one-way, to another partition                    2      100      103     3.0 %  100 103\n"),
      std::string::npos)
      << table;
}

TEST(BenchScale, CrossCpuTableCitesBaoBesideTheSignal) {
  std::vector<std::string> names = scale::cross_cpu_figures(scale::Cross_pair::calls);
  for (const auto& name : scale::cross_cpu_figures(scale::Cross_pair::signals)) names.push_back(name);
  const std::string table = scale::cross_cpu_table(results_of(names, 400), "cortex-a72");
  // The signal's round trip is the third figure (402): half of it, beside Bao's.
  const size_t row = table.find("Signal, one-way, estimated (half the round trip)");
  ASSERT_NE(row, std::string::npos) << table;
  const std::string line = table.substr(row, table.find('\n', row) - row);
  EXPECT_NE(line.find(" 201 "), std::string::npos) << line;
  EXPECT_NE(line.find("~800 [1]"), std::string::npos) << line;
  EXPECT_EQ(table.find("call_cross_cpu"), std::string::npos) << "no figure across two CPUs' counters";
  EXPECT_NE(table.find("[1] Bao figures:"), std::string::npos) << table;
}

TEST(BenchScale, PartitionsTableCitesMicrokit) {
  scale::Partitions_row row;
  row.partitions = 1024;
  row.build_seconds = 1.5;
  row.image_bytes = 4096;
  row.run.first_instructions = 10;
  row.run.last_instructions = 20;
  const std::string table = scale::partitions_table({row}, "max");
  EXPECT_NE(
      table.find("      1024         1.50 s         4096                     10                     20     63 [1]\n"),
      std::string::npos)
      << table;
  EXPECT_NE(table.find("[1] seL4 Microkit figures:"), std::string::npos) << table;
}
