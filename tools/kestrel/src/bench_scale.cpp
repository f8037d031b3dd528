// SPDX-License-Identifier: Apache-2.0
// Bench scale: the figures each part needs, the "RAN" lines of part d, the
// tables, and the peers beside them (see bench_scale.hpp).
#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <set>
#include <sstream>

#include <kestrel_cli/bench_scale.hpp>

namespace kestrel_cli::scale {
namespace {

std::string format(const char* pattern, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* pattern, ...) {
  char text[512];
  va_list arguments;
  va_start(arguments, pattern);
  std::vsnprintf(text, sizeof text, pattern, arguments);
  va_end(arguments);
  return text;
}

// (largest - smallest) / smallest, in percent, as text.
std::string spread(uint64_t smallest, uint64_t largest) {
  if (smallest == 0) return "-";
  return format("%.1f %%", 100.0 * static_cast<double>(largest - smallest) / static_cast<double>(smallest));
}

struct Scale_figure {
  const char* name;
  const char* description;
};

const std::vector<Scale_figure>& threads_rows() {
  static const std::vector<Scale_figure> rows = {
      {"call_one_way_cross", "Call, one-way, to another partition"},
      {"reply_recv_one_way_cross", "ReplyRecv, one-way, to another partition"},
      {"send_one_way_cross", "Send to a waiting receiver in another partition"},
      {"signal_wake_same", "Signal to a waiting thread of the same partition"},
      {"irq_to_driver", "RTC interrupt to its driver's wait returning"},
  };
  return rows;
}

const std::vector<Scale_figure>& cpus_rows() {
  static const std::vector<Scale_figure> rows = {
      {"call_one_way_cross", "Call, one-way, to another partition"},
      {"reply_recv_one_way_cross", "ReplyRecv, one-way, to another partition"},
      {"signal_wake_same", "Signal to a waiting thread of the same partition"},
  };
  return rows;
}

// Only figures read on one CPU's counter: each CPU's PMCCNTR_EL0 starts
// at its own moment, so a stamp taken on CPU 0 and read against CPU 1's
// counter means nothing (the program's one-way lines across CPUs are not
// used). One-way figures are estimated as half a round trip.
const std::vector<Scale_figure>& cross_rows() {
  static const std::vector<Scale_figure> rows = {
      {"call_round_trip_cross_cpu", "Call round trip, CPU 0 to a server on CPU 1 and back"},
      {"signal_cross_cpu_sender", "Signal to a waiter on CPU 1: the signaller's svc"},
      {"signal_cross_cpu_round_trip", "Signal round trip: the waiter on CPU 1 signals back"},
  };
  return rows;
}

std::string per_cpu_name(const char* base, unsigned cpu) { return std::string(base) + ".cpu" + std::to_string(cpu); }

}  // namespace

const Peer_source& bao_source() {
  static const Peer_source source = {
      "Bao",
      "not recorded",
      "not recorded",
      "inter-VM doorbell (a notification from one VM to another)",
      "not recorded",
      "not recorded",
      "QEMU (version not recorded)",
      "instructions; statistic not recorded",
      "Kestrel issue #15 says 'about 800 instructions under QEMU'; no run, version or configuration is recorded, so "
      "treat it as an unverified reference point",
  };
  return source;
}

const Peer_source& microkit_source() {
  static const Peer_source source = {
      "seL4 Microkit",
      "not recorded",
      "none (a limit, not a measurement)",
      "at most 63 protection domains per system",
      "any",
      "any",
      "none",
      "a count of protection domains",
      "Kestrel issue #15 says 'Microkit stops at 63 protection domains'; the Microkit version is not recorded",
  };
  return source;
}

const std::vector<std::string>& threads_figures() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& figure : bench_figures()) out.emplace_back(figure.name);
    return out;
  }();
  return names;
}

std::vector<std::string> cpus_figures(unsigned cpus) {
  std::vector<std::string> names;
  for (unsigned cpu = 0; cpu < cpus; ++cpu) {
    for (const auto& row : cpus_rows()) names.push_back(per_cpu_name(row.name, cpu));
  }
  return names;
}

std::vector<std::string> cross_cpu_figures(Cross_pair pair) {
  std::vector<std::string> out;
  for (const auto& row : cross_rows()) {
    const bool call = std::string(row.name).starts_with("call_");
    if (call == (pair == Cross_pair::calls)) out.emplace_back(row.name);
  }
  return out;
}

Partitions_run read_partitions_run(const std::vector<std::string>& lines, unsigned partitions) {
  Partitions_run run;
  std::vector<unsigned> seen(partitions, 0);
  bool any = false;
  for (const auto& line : lines) {
    const auto at = line.find("RAN ");
    if (at == std::string::npos) continue;
    std::istringstream in(line.substr(at + 4));
    unsigned long long number = 0;
    unsigned long long ticks = 0;
    unsigned long long frequency = 0;
    std::string word_at;
    std::string word_of;
    if (!(in >> number >> word_at >> ticks >> word_of >> frequency) || word_at != "at" || word_of != "of" ||
        frequency == 0 || number >= partitions) {
      run.problems.push_back("malformed RAN line: " + line);
      continue;
    }
    if (seen[number]++ == 1) run.problems.push_back("partition " + std::to_string(number) + " ran twice");
    // Under -icount shift=0 an instruction takes 1 ns of virtual time.
    const auto instructions = static_cast<uint64_t>(static_cast<double>(ticks) * 1e9 / static_cast<double>(frequency));
    run.first_instructions = any ? std::min(run.first_instructions, instructions) : instructions;
    run.last_instructions = std::max(run.last_instructions, instructions);
    any = true;
  }
  std::string missing;
  unsigned missing_count = 0;
  for (unsigned i = 0; i < partitions; ++i) {
    if (seen[i] != 0) {
      ++run.ran;
    } else if (++missing_count <= 8) {
      missing += " " + std::to_string(i);
    }
  }
  if (missing_count != 0) {
    run.problems.push_back(std::to_string(missing_count) + " of " + std::to_string(partitions) +
                           " partitions never printed RAN:" + missing + (missing_count > 8 ? " ..." : ""));
  }
  return run;
}

std::string threads_table(const std::map<unsigned, Bench_results>& by_threads, const std::string& cpu) {
  std::string out = "\nPart a: per-operation cost against the threads on the measuring CPU (" + cpu +
                    ", instructions, median of 200 rounds; the extra threads wait for ever on notifications)\n";
  out += format("%-52s", "figure");
  for (const auto& [threads, results] : by_threads) out += format(" %7s", (std::to_string(threads) + " thr").c_str());
  out += format(" %9s %8s\n", "spread", "seL4");
  bool cites_sel4 = false;
  for (const auto& row : threads_rows()) {
    out += format("%-52s", row.description);
    uint64_t smallest = ~uint64_t{0};
    uint64_t largest = 0;
    for (const auto& [threads, results] : by_threads) {
      const uint64_t median = results.results.at(row.name).median;
      smallest = std::min(smallest, median);
      largest = std::max(largest, median);
      out += format(" %7llu", static_cast<unsigned long long>(median));
    }
    std::string peer = "-";
    for (const auto& figure : bench_figures()) {
      if (std::string(figure.name) == row.name && figure.sel4) {
        peer = std::string(figure.sel4->value) + " [1]";
        cites_sel4 = true;
      }
    }
    out += format(" %9s %8s\n", spread(smallest, largest).c_str(), peer.c_str());
  }
  out += "spread: (largest - smallest) / smallest over the thread counts.\n";
  if (cites_sel4) out += "[1] " + describe(sel4_source()) + "\n";
  return out;
}

std::string cpus_table(const std::map<unsigned, Bench_results>& by_cpus, const std::string& cpu) {
  std::string out = "\nPart b: one pair per CPU, all CPUs busy at once (" + cpu +
                    ", instructions, median of 200 rounds per CPU; QEMU runs the CPUs round-robin)\n";
  out += format("%-50s %5s %8s %8s %9s  %s\n", "figure", "CPUs", "lowest", "highest", "spread", "per CPU (0, 1, ...)");
  for (const auto& row : cpus_rows()) {
    for (const auto& [cpus, results] : by_cpus) {
      uint64_t smallest = ~uint64_t{0};
      uint64_t largest = 0;
      std::string each;
      for (unsigned c = 0; c < cpus; ++c) {
        const uint64_t median = results.results.at(per_cpu_name(row.name, c)).median;
        smallest = std::min(smallest, median);
        largest = std::max(largest, median);
        each += (c == 0 ? "" : " ") + std::to_string(median);
      }
      out += format("%-50s %5u %8llu %8llu %9s  %s\n", row.description, cpus, static_cast<unsigned long long>(smallest),
                    static_cast<unsigned long long>(largest), spread(smallest, largest).c_str(), each.c_str());
    }
  }
  out += "spread: (highest - lowest) / lowest over the CPUs of one run.\n";
  return out;
}

std::string cross_cpu_table(const Bench_results& results, const std::string& cpu) {
  std::string out = "\nPart c: across CPUs, CPU 0 to CPU 1 (" + cpu +
                    ", instructions executed by the whole machine between the two counter reads; 200 rounds)\n";
  out += format("%-62s %7s %7s %7s %10s\n", "figure", "min", "median", "max", "Bao");
  for (const auto& row : cross_rows()) {
    const Result& result = results.results.at(row.name);
    out += format("%-62s %7llu %7llu %7llu %10s\n", row.description, static_cast<unsigned long long>(result.min),
                  static_cast<unsigned long long>(result.median), static_cast<unsigned long long>(result.max), "-");
  }
  // One-way estimates: half of each round trip (its median).
  const auto half = [&](const char* name) {
    return static_cast<unsigned long long>(results.results.at(name).median / 2);
  };
  out += format("%-62s %7s %7llu %7s %10s\n", "Call, one-way, estimated (half the round trip)", "",
                half("call_round_trip_cross_cpu"), "", "-");
  out += format("%-62s %7s %7llu %7s %10s\n", "Signal, one-way, estimated (half the round trip)", "",
                half("signal_cross_cpu_round_trip"), "", "~800 [1]");
  out += "[1] " + describe(bao_source()) + "\n";
  return out;
}

std::string partitions_table(const std::vector<Partitions_row>& rows, const std::string& cpu) {
  std::string out = "\nPart d: large systems on 8 CPUs (" + cpu +
                    "; boot: instructions from reset, -icount shift=0, all CPUs together)\n";
  out += format("%10s %14s %12s %22s %22s %10s\n", "partitions", "compile+build", "image bytes", "first partition ran",
                "every partition ran", "Microkit");
  for (const auto& row : rows) {
    out += format("%10u %12.2f s %12llu %22llu %22llu %10s\n", row.partitions, row.build_seconds,
                  static_cast<unsigned long long>(row.image_bytes),
                  static_cast<unsigned long long>(row.run.first_instructions),
                  static_cast<unsigned long long>(row.run.last_instructions), "63 [1]");
  }
  out += "[1] " + describe(microkit_source()) + "\n";
  return out;
}

}  // namespace kestrel_cli::scale
