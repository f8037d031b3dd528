// SPDX-License-Identifier: Apache-2.0
// Bench tests: RESULT lines to figures, and the table and JSON formats
// scripts/bench printed and wrote.
#include <gtest/gtest.h>

#include <kestrel_cli/bench.hpp>

using namespace kestrel_cli;

namespace {

std::vector<std::string> every_figure() {
  std::vector<std::string> lines = {"boot: starting 8 threads on 1 CPU"};
  uint64_t value = 100;
  for (const auto& figure : bench_figures()) {
    const auto v = std::to_string(value++);
    lines.push_back("server: RESULT " + std::string(figure.name) + " min=" + v + " median=" + v + " max=" + v +
                    " samples=200 overhead=2");
  }
  return lines;
}

}  // namespace

TEST(Bench, ReadsEveryFigure) {
  const auto results = parse_results(every_figure());
  EXPECT_TRUE(results.problems.empty());
  ASSERT_EQ(results.results.size(), bench_figures().size());
  const auto& first = results.results.at("call_one_way_cross");
  EXPECT_EQ(first.median, 100u);
  EXPECT_EQ(first.samples, 200u);
  EXPECT_EQ(first.overhead, 2u);
}

TEST(Bench, ReportsMalformedRepeatedAndMissingFigures) {
  auto lines = every_figure();
  lines.push_back("client: RESULT call_one_way_cross min=1 median=1 max=1 samples=200 overhead=2");
  lines.push_back("client: RESULT broken min=1 median=x max=1 samples=200 overhead=2");
  lines.erase(lines.begin() + 2);  // reply_recv_one_way_cross
  const auto problems = parse_results(lines).problems;
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0], "malformed result line: client: RESULT broken min=1 median=x max=1 samples=200 overhead=2");
  EXPECT_EQ(problems[1], "figure call_one_way_cross was reported 2 times");
  EXPECT_EQ(problems[2], "no RESULT line for reply_recv_one_way_cross");
}

TEST(Bench, TheTableAsScriptsBenchPrintedIt) {
  // Lines as bash's printf '%-66s %7s %7s %7s %6s\n' printed them.
  const std::string table = results_table(parse_results(every_figure()));
  EXPECT_EQ(
      table.rfind("\nIPC latency, in instructions (QEMU -icount shift=0; min/median/max over 200 rounds)\n"
                  "figure                                                                 min  median     max   seL4\n"
                  "Call, one-way, client to server in another partition                   100     100     100    255\n",
                  0),
      0u)
      << table;
  EXPECT_NE(
      table.find(
          "ReplyRecv, one-way, server to client in another partition              101     101     101    "
          "277\nCall + ReplyRecv round trip (sum of the medians)                               201            532\n"),
      std::string::npos)
      << table;
}

TEST(Bench, TheJsonAsScriptsBenchWroteIt) {
  const std::string json =
      results_json(parse_results(every_figure()), {"2026-01-02", "abc123", true, "QEMU emulator version 7.2.22"});
  EXPECT_EQ(json.rfind("{\n  \"benchmark\": \"ipc-latency\",\n  \"unit\": \"instructions\",\n", 0), 0u);
  for (
      const char* text :
      {"  \"date\": \"2026-01-02\",\n  \"commit\": \"abc123\",\n  \"local_changes\": true,\n",
       "  \"qemu\": \"QEMU emulator version 7.2.22\",\n  \"kernel\": \"kestrel-bench.elf\",\n  \"results\": [\n",
       "    {\"name\": \"call_one_way_cross\", \"description\": \"Call, one-way, client to server in another "
       "partition\", \"min\": 100, \"median\": 100, \"max\": 100, \"samples\": 200, \"overhead\": 2, \"sel4\": 255},\n",
       "\"sel4\": null}\n  ],\n  \"call_reply_round_trip_median\": 201,\n  \"sel4_call_reply_round_trip\": 532\n}\n"}) {
    EXPECT_NE(json.find(text), std::string::npos) << text << "\nin:\n" << json;
  }
}
