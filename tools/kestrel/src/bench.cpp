// SPDX-License-Identifier: Apache-2.0
// Bench: RESULT lines to figures, a table and JSON, with the source of
// every peer figure beside them.
#include <kestrel_cli/bench.hpp>

#include <cstdio>
#include <sstream>

#include <kestrel/policy/diagnostics.hpp>
#include <qemu_runner/options.hpp>

namespace kestrel_cli {
namespace {

constexpr const char* round_trip_description = "Call + ReplyRecv round trip (sum of the medians)";

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
  std::snprintf(text, sizeof text, "%-66s %7s %7s %7s %8s\n", description.c_str(), min.c_str(), median.c_str(),
                max.c_str(), sel4.c_str());
  return text;
}

// Numbers the peer sources a table cites, [1] first, in order of first use.
class Footnotes {
 public:
  std::string mark(const Peer_figure& figure) {
    for (size_t i = 0; i < sources_.size(); ++i)
      if (sources_[i] == figure.source) return std::string(figure.value) + " [" + std::to_string(i + 1) + "]";
    sources_.push_back(figure.source);
    return std::string(figure.value) + " [" + std::to_string(sources_.size()) + "]";
  }
  std::string lines(const std::string& cpu) const {
    std::string out = sources_.empty() ? "" : "\n";
    for (size_t i = 0; i < sources_.size(); ++i) {
      const Peer_source& source = *sources_[i];
      out += "[" + std::to_string(i + 1) + "] " + describe(source);
      if (cpu != source.cpu) out += " Not the CPU model of this table (" + cpu + ").";
      out += '\n';
    }
    return out;
  }

 private:
  std::vector<const Peer_source*> sources_;
};

std::string source_json(const Peer_source& source) {
  using kestrel::policy::json_quoted;
  return std::string("{\"project\": ") + json_quoted(source.project) + ", \"version\": " + json_quoted(source.version) +
         ", \"benchmark\": " + json_quoted(source.benchmark) +
         ", \"configuration\": " + json_quoted(source.configuration) +
         ", \"platform\": " + json_quoted(source.platform) + ", \"cpu\": " + json_quoted(source.cpu) +
         ", \"emulator\": " + json_quoted(source.emulator) + ", \"mode\": " + json_quoted(source.mode) +
         ", \"provenance\": " + json_quoted(source.provenance) + "}";
}

std::string peers_json(const std::optional<Peer_figure>& sel4) {
  if (!sel4) return "[]";
  using kestrel::policy::json_quoted;
  std::string out = "[{\"value\": " + std::string(sel4->value);
  if (*sel4->derivation != '\0') out += ", \"derivation\": " + json_quoted(sel4->derivation);
  return out + ", \"source\": " + source_json(*sel4->source) + "}]";
}

uint64_t round_trip(const Bench_results& results) {
  return results.results.at("call_one_way_cross").median + results.results.at("reply_recv_one_way_cross").median;
}

}  // namespace

const Peer_source& sel4_source() {
  // What docs/benchmarks.md has said of these figures since they came in
  // (commit 3ca6fac, 2026-11-22), and no more: nothing else in the
  // repository records where they came from.
  static const Peer_source source = {
      "seL4",
      "not recorded",
      "sel4bench (version not recorded)",
      "seL4 at EL2 (hypervisor mode) with its fast path; other build options (release or debug, MCS, SMP) not "
      "recorded",
      "qemu-arm-virt",
      "cortex-a57",
      "QEMU 7.2",
      "-icount shift=0, the cycle counter counting instructions; which statistic (min, mean, median) not recorded",
      "stated in docs/benchmarks.md since commit 3ca6fac (2026-11-22); the run's output, date and author are not "
      "recorded, and the figures were not measured again here",
  };
  return source;
}

std::string describe(const Peer_source& source) {
  return std::string(source.project) + " figures: " + source.project + " version " + source.version + "; " +
         source.benchmark + "; " + source.configuration + "; " + source.platform + ", CPU " + source.cpu + ", " +
         source.emulator + ", " + source.mode + ". Source: " + source.provenance + ".";
}

const std::vector<Figure>& bench_figures() {
  static const std::vector<Figure> figures = {
      {"call_one_way_cross", "Call, one-way, client to server in another partition",
       Peer_figure{"255", &sel4_source()}},
      {"reply_recv_one_way_cross", "ReplyRecv, one-way, server to client in another partition",
       Peer_figure{"277", &sel4_source()}},
      {"call10_one_way_cross", "10-word Call, one-way (5 words in registers, 5 in the IPC buffer)",
       Peer_figure{"764", &sel4_source()}},
      {"reply_recv10_one_way_cross", "10-word ReplyRecv, one-way", Peer_figure{"738", &sel4_source()}},
      {"call_one_way_same", "Call, one-way, between two threads of one partition", std::nullopt},
      {"reply_recv_one_way_same", "ReplyRecv, one-way, between two threads of one partition", std::nullopt},
      {"send_one_way_cross", "Send to a waiting higher-priority receiver in another partition", std::nullopt},
      {"signal_wake_same", "Signal to a waiting higher-priority thread of the same partition", std::nullopt},
      {"irq_to_driver", "RTC interrupt to its driver thread: MMIO store to wait returning", std::nullopt},
      {"vm_mmio_exit_round_trip", "Guest MMIO store to a user-level VMM and back (round trip)", std::nullopt},
      {"vtimer_to_guest_handler", "Guest virtual timer interrupt: spin loop to its EL1 handler", std::nullopt},
  };
  return figures;
}

const Peer_figure& sel4_round_trip() {
  static const Peer_figure figure = {"532", &sel4_source(),
                                     "the sum of seL4's call_one_way_cross and reply_recv_one_way_cross"};
  return figure;
}

Bench_results read_results(const std::vector<std::string>& lines) {
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
  for (const auto& [name, count] : seen) {
    if (count > 1) parsed.problems.push_back("figure " + name + " was reported " + std::to_string(count) + " times");
  }
  return parsed;
}

void require_figures(Bench_results& results, const std::vector<std::string>& names) {
  std::string missing;
  for (const auto& name : names) {
    if (results.results.count(name) == 0) missing += (missing.empty() ? "" : " ") + name;
  }
  if (!missing.empty()) results.problems.push_back("no RESULT line for " + missing);
}

Bench_results parse_results(const std::vector<std::string>& lines) {
  Bench_results parsed = read_results(lines);
  std::vector<std::string> names;
  for (const auto& figure : bench_figures()) names.emplace_back(figure.name);
  require_figures(parsed, names);
  return parsed;
}

std::string results_table(const Bench_results& results, const std::string& cpu) {
  std::string out = "\nIPC latency on " + cpu + ", in instructions (QEMU -icount shift=0; min/median/max over " +
                    std::to_string(results.results.at("call_one_way_cross").samples) + " rounds)\n";
  out += row("figure", "min", "median", "max", "seL4");
  Footnotes footnotes;
  for (const auto& figure : bench_figures()) {
    const Result& result = results.results.at(figure.name);
    out += row(figure.description, std::to_string(result.min), std::to_string(result.median),
               std::to_string(result.max), figure.sel4 ? footnotes.mark(*figure.sel4) : "-");
    if (std::string(figure.name) == "reply_recv_one_way_cross") {
      out +=
          row(round_trip_description, "", std::to_string(round_trip(results)), "", footnotes.mark(sel4_round_trip()));
    }
  }
  return out + footnotes.lines(cpu);
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
      << "  \"machine\": " << json_quoted(qemu_runner::qemu_machine) << ",\n"
      << "  \"cpu\": " << json_quoted(context.cpu) << ",\n"
      << "  \"kernel\": \"kestrel-bench.elf\",\n"
      << "  \"results\": [\n";
  const char* separator = "";
  for (const auto& figure : bench_figures()) {
    const Result& result = results.results.at(figure.name);
    out << separator << "    {\"name\": " << json_quoted(figure.name)
        << ", \"description\": " << json_quoted(figure.description) << ", \"min\": " << result.min
        << ", \"median\": " << result.median << ", \"max\": " << result.max << ", \"samples\": " << result.samples
        << ", \"overhead\": " << result.overhead << ", \"sel4\": " << (figure.sel4 ? figure.sel4->value : "null")
        << ", \"peers\": " << peers_json(figure.sel4) << "}";
    separator = ",\n";
  }
  out << "\n  ],\n"
      << "  \"call_reply_round_trip_median\": " << round_trip(results) << ",\n"
      << "  \"sel4_call_reply_round_trip\": " << sel4_round_trip().value << ",\n"
      << "  \"call_reply_round_trip_peers\": " << peers_json(sel4_round_trip()) << "\n"
      << "}\n";
  return out.str();
}

}  // namespace kestrel_cli
