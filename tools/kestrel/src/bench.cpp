// SPDX-License-Identifier: Apache-2.0
// Bench: RESULT lines to figures, a table and JSON, in the formats
// scripts/bench has always printed and written.
#include <kestrel_cli/bench.hpp>

#include <cstdio>
#include <sstream>

#include <kestrel/policy/diagnostics.hpp>

namespace kestrel_cli {
namespace {

constexpr const char* round_trip_description = "Call + ReplyRecv round trip (sum of the medians)";
constexpr const char* sel4_round_trip = "532";

std::vector<std::string> fields(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string field; in >> field;) out.push_back(field);
  return out;
}

bool all_digits(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos && text.size() < 20;
}

std::string row(const std::string& description, const std::string& min, const std::string& median,
                const std::string& max, const std::string& sel4) {
  char text[512];
  std::snprintf(text, sizeof text, "%-66s %7s %7s %7s %6s\n", description.c_str(), min.c_str(), median.c_str(),
                max.c_str(), sel4.c_str());
  return text;
}

uint64_t round_trip(const Bench_results& results) {
  return results.results.at("call_one_way_cross").median + results.results.at("reply_recv_one_way_cross").median;
}

}  // namespace

const std::vector<Figure>& bench_figures() {
  static const std::vector<Figure> figures = {
      {"call_one_way_cross", "Call, one-way, client to server in another partition", "255"},
      {"reply_recv_one_way_cross", "ReplyRecv, one-way, server to client in another partition", "277"},
      {"call10_one_way_cross", "10-word Call, one-way (5 words in registers, 5 in the IPC buffer)", "764"},
      {"reply_recv10_one_way_cross", "10-word ReplyRecv, one-way", "738"},
      {"call_one_way_same", "Call, one-way, between two threads of one partition", "-"},
      {"reply_recv_one_way_same", "ReplyRecv, one-way, between two threads of one partition", "-"},
      {"send_one_way_cross", "Send to a waiting higher-priority receiver in another partition", "-"},
      {"signal_wake_same", "Signal to a waiting higher-priority thread of the same partition", "-"},
      {"irq_to_driver", "RTC interrupt to its driver thread: MMIO store to wait returning", "-"},
      {"vm_mmio_exit_round_trip", "Guest MMIO store to a user-level VMM and back (round trip)", "-"},
  };
  return figures;
}

Bench_results parse_results(const std::vector<std::string>& lines) {
  Bench_results parsed;
  std::map<std::string, unsigned> seen;
  for (const auto& line : lines) {
    const auto words = fields(line);
    size_t start = 0;
    while (start < words.size() && words[start] != "RESULT") ++start;
    if (start == words.size()) continue;
    std::map<std::string, uint64_t> values;
    for (size_t i = start + 2; i < words.size(); ++i) {
      const auto equals = words[i].find('=');
      if (equals == std::string::npos) continue;
      const std::string key = words[i].substr(0, equals);
      const std::string value = words[i].substr(equals + 1, words[i].find('=', equals + 1) - equals - 1);
      if (all_digits(value)) values[key] = std::stoull(value);
    }
    const bool complete = start + 1 < words.size() && values.count("min") && values.count("median") &&
                          values.count("max") && values.count("samples") && values.count("overhead");
    if (!complete) {
      parsed.problems.push_back("malformed result line: " + line);
      continue;
    }
    const std::string& name = words[start + 1];
    ++seen[name];
    parsed.results[name] = {values["min"], values["median"], values["max"], values["samples"], values["overhead"]};
  }
  std::string missing;
  for (const auto& figure : bench_figures()) {
    const unsigned count = seen[figure.name];
    if (count == 0) missing += (missing.empty() ? "" : " ") + std::string(figure.name);
    if (count > 1)
      parsed.problems.push_back("figure " + std::string(figure.name) + " was reported " + std::to_string(count) +
                                " times");
  }
  if (!missing.empty()) parsed.problems.push_back("no RESULT line for " + missing);
  return parsed;
}

std::string results_table(const Bench_results& results) {
  std::string out = "\nIPC latency, in instructions (QEMU -icount shift=0; min/median/max over " +
                    std::to_string(results.results.at("call_one_way_cross").samples) + " rounds)\n";
  out += row("figure", "min", "median", "max", "seL4");
  for (const auto& figure : bench_figures()) {
    const Result& result = results.results.at(figure.name);
    out += row(figure.description, std::to_string(result.min), std::to_string(result.median),
               std::to_string(result.max), figure.sel4);
    if (std::string(figure.name) == "reply_recv_one_way_cross") {
      out += row(round_trip_description, "", std::to_string(round_trip(results)), "", sel4_round_trip);
    }
  }
  return out;
}

std::string results_json(const Bench_results& results, const Bench_context& context) {
  using kestrel::policy::json_quoted;
  std::ostringstream out;
  out << "{\n"
      << "  \"benchmark\": \"ipc-latency\",\n"
      << "  \"unit\": \"instructions\",\n"
      << "  \"method\": \"QEMU -icount shift=0,sleep=off, PMCCNTR_EL0 counting EL0, EL1 and EL2; overhead of the "
         "counter reads subtracted; docs/benchmarks.md\",\n"
      << "  \"date\": " << json_quoted(context.date) << ",\n"
      << "  \"commit\": " << json_quoted(context.commit) << ",\n"
      << "  \"local_changes\": " << (context.local_changes ? "true" : "false") << ",\n"
      << "  \"qemu\": " << json_quoted(context.qemu_version) << ",\n"
      << "  \"kernel\": \"kestrel-bench.elf\",\n"
      << "  \"results\": [\n";
  const char* separator = "";
  for (const auto& figure : bench_figures()) {
    const Result& result = results.results.at(figure.name);
    const std::string sel4 = std::string(figure.sel4) == "-" ? "null" : figure.sel4;
    out << separator << "    {\"name\": " << json_quoted(figure.name)
        << ", \"description\": " << json_quoted(figure.description) << ", \"min\": " << result.min
        << ", \"median\": " << result.median << ", \"max\": " << result.max << ", \"samples\": " << result.samples
        << ", \"overhead\": " << result.overhead << ", \"sel4\": " << sel4 << "}";
    separator = ",\n";
  }
  out << "\n  ],\n"
      << "  \"call_reply_round_trip_median\": " << round_trip(results) << ",\n"
      << "  \"sel4_call_reply_round_trip\": " << sel4_round_trip << "\n"
      << "}\n";
  return out.str();
}

}  // namespace kestrel_cli
