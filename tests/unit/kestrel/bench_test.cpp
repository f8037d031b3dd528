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

TEST(Bench, TheTable) {
  const std::string table = results_table(parse_results(every_figure()), "cortex-a72");
  EXPECT_EQ(table.rfind(
                "\nIPC latency on cortex-a72, in instructions (QEMU -icount shift=0; min/median/max over 200 rounds)\n"
                "figure                                                                 min  median     max     seL4\n"
                "Call, one-way, client to server in another partition                   100     100     100  255 [1]\n",
                0),
            0u)
      << table;
  EXPECT_NE(table.find("ReplyRecv, one-way, server to client in another partition              101     101     101  "
                       "277 [1]\nCall + ReplyRecv round trip (sum of the medians)                               201    "
                       "      532 [1]\n"),
            std::string::npos)
      << table;
  EXPECT_NE(
      table.find(
          "Call, one-way, between two threads of one partition                    104     104     104        -\n"),
      std::string::npos)
      << table;
}

TEST(Bench, EveryPeerFigureInTheTableCitesItsSource) {
  for (const char* cpu : {"cortex-a72", "cortex-a57"}) {
    const std::string table = results_table(parse_results(every_figure()), cpu);
    // Each row with a seL4 figure ends in "VALUE [1]", and [1] is a footnote
    // naming project, version, configuration, CPU model, emulator and mode.
    for (const auto& figure : bench_figures()) {
      if (!figure.sel4) continue;
      EXPECT_NE(table.find(std::string(figure.sel4->value) + " [1]\n"), std::string::npos) << figure.name << table;
    }
    EXPECT_NE(table.find(std::string(sel4_round_trip().value) + " [1]\n"), std::string::npos) << table;
    const std::string footnote = "\n[1] " + describe(sel4_source());
    ASSERT_NE(table.find(footnote), std::string::npos) << table;
    EXPECT_EQ(table.find("[2]"), std::string::npos) << "one source, one footnote\n" << table;
    for (const char* text :
         {"seL4 version not recorded", "sel4bench (version not recorded)",
          "seL4 at EL2 (hypervisor mode) with its fast path",
          "qemu-arm-virt, CPU cortex-a57, QEMU 7.2, -icount shift=0", "docs/benchmarks.md since commit 3ca6fac"}) {
      EXPECT_NE(footnote.find(text), std::string::npos) << text << "\nin: " << footnote;
    }
    // A table of another CPU model says that seL4's figures are not of its model.
    const bool other_model = std::string(cpu) != sel4_source().cpu;
    EXPECT_EQ(table.find("Not the CPU model of this table (" + std::string(cpu) + ").") != std::string::npos,
              other_model)
        << table;
    EXPECT_EQ(table.back(), '\n');
  }
}

TEST(Bench, TheSourceLeavesNoFieldEmpty) {
  const Peer_source& source = sel4_source();
  for (const char* field : {source.project, source.version, source.benchmark, source.configuration, source.platform,
                            source.cpu, source.emulator, source.mode, source.provenance}) {
    ASSERT_NE(field, nullptr);
    EXPECT_NE(std::string(field), "") << "a field nobody recorded says so";
  }
}

TEST(Bench, TheJson) {
  const std::string json = results_json(parse_results(every_figure()),
                                        {"2026-01-02", "abc123", true, "QEMU emulator version 7.2.22", "cortex-a57"});
  EXPECT_EQ(json.rfind("{\n  \"benchmark\": \"ipc-latency\",\n  \"unit\": \"instructions\",\n", 0), 0u);
  const std::string source =
      "{\"project\": \"seL4\", \"version\": \"not recorded\", \"benchmark\": \"sel4bench (version not recorded)\", "
      "\"configuration\": \"seL4 at EL2 (hypervisor mode) with its fast path; other build options (release or debug, "
      "MCS, SMP) not recorded\", \"platform\": \"qemu-arm-virt\", \"cpu\": \"cortex-a57\", \"emulator\": \"QEMU 7.2\", "
      "\"mode\": ";
  for (const std::string& text :
       {std::string("  \"date\": \"2026-01-02\",\n  \"commit\": \"abc123\",\n  \"local_changes\": true,\n"),
        std::string("  \"qemu\": \"QEMU emulator version 7.2.22\",\n  \"machine\": "
                    "\"virt,virtualization=on,gic-version=3\",\n  \"cpu\": \"cortex-a57\",\n  \"kernel\": "
                    "\"kestrel-bench.elf\",\n  \"results\": [\n"),
        "    {\"name\": \"call_one_way_cross\", \"description\": \"Call, one-way, client to server in another "
        "partition\", \"min\": 100, \"median\": 100, \"max\": 100, \"samples\": 200, \"overhead\": 2, \"sel4\": 255, "
        "\"peers\": [{\"value\": 255, \"source\": " +
            source,
        std::string("\"sel4\": null, \"peers\": []}\n  ],\n  \"call_reply_round_trip_median\": 201,\n  "
                    "\"sel4_call_reply_round_trip\": 532,\n  \"call_reply_round_trip_peers\": [{\"value\": 532, "
                    "\"derivation\": \"the sum of seL4's call_one_way_cross and reply_recv_one_way_cross\", "
                    "\"source\": ") +
            source}) {
    EXPECT_NE(json.find(text), std::string::npos) << text << "\nin:\n" << json;
  }
}

TEST(Bench, EveryPeerFigureInTheJsonCarriesItsSource) {
  const std::string json = results_json(parse_results(every_figure()),
                                        {"2026-01-02", "abc123", false, "QEMU emulator version 7.2.22", "cortex-a72"});
  for (const auto& figure : bench_figures()) {
    const auto at = json.find("{\"name\": \"" + std::string(figure.name) + "\"");
    ASSERT_NE(at, std::string::npos) << figure.name;
    const std::string entry = json.substr(at, json.find('\n', at) - at);
    if (!figure.sel4) {
      EXPECT_NE(entry.find("\"sel4\": null, \"peers\": []}"), std::string::npos) << entry;
      continue;
    }
    EXPECT_NE(entry.find("\"peers\": [{\"value\": " + std::string(figure.sel4->value) +
                         ", \"source\": {\"project\": "
                         "\"seL4\", \"version\": \"not recorded\""),
              std::string::npos)
        << entry;
    for (const char* key : {"benchmark", "configuration", "platform", "cpu", "emulator", "mode", "provenance"}) {
      EXPECT_NE(entry.find("\"" + std::string(key) + "\": \""), std::string::npos) << key << " in " << entry;
    }
  }
  EXPECT_EQ(json.back(), '\n');
}
