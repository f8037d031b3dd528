// SPDX-License-Identifier: Apache-2.0
// Bench scale: the systems `kestrel bench --scale` generates (policy text
// written into the build folder, never committed), and its tables. The
// threads and roles of the generated systems follow
// benchmarks/scale/layout.hpp. docs/benchmarks.md ("Scale") has the method.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <kestrel_cli/bench.hpp>

namespace kestrel_cli::scale {

// Threads on CPU 0 in benchmarks/ipc/ipc-bench.capnp: server, client,
// local.high, local.low, pair.answerer, pair.caller, vmm.main and the
// guest's vCPU (a unit test counts them in the compiled policy).
inline constexpr unsigned benchmark_threads_on_cpu0 = 8;
inline constexpr unsigned max_cpus = 8;

// Part a: the IPC benchmark's policy text with filler partitions added so
// that `threads` threads are on CPU 0. The fillers' threads wait for ever on
// notifications nobody may signal: blocked, and still in the CPU's
// scheduler. Empty text and an error if the benchmark policy does not have
// the shape this relies on or `threads` is out of range.
struct Generated {
  std::string text;
  std::string error;
};
Generated threads_policy(const std::string& benchmark_policy, unsigned threads);

// Part b: on each of CPUs 0..cpus-1 a client partition (client, waiter and
// signaller threads) and a passive server partition.
std::string cpus_policy(unsigned cpus);

// Part c: a client and a signaller on CPU 0, their server and waiter on
// CPU 1, each partition owning its CPU. Two systems, one per timed pair, so
// that the pairs do not run between each other's counter reads: the calls
// (client and server, the waiter idle) or the signals (signaller and
// waiter, the server idle).
enum class Cross_pair { calls, signals };
std::string cross_cpu_policy(Cross_pair pair);

// Part d: `partitions` partitions (even, at most 1024) on 8 CPUs; half of
// them callers with a window each, half passive servers, one per caller.
std::string partitions_policy(unsigned partitions);

// The figures each part needs from the console.
const std::vector<std::string>& threads_figures();  // part a: of the IPC benchmark
std::vector<std::string> cpus_figures(unsigned cpus);
std::vector<std::string> cross_cpu_figures(Cross_pair pair);

// Part d: the "RAN <n> at <ticks> of <frequency>" lines.
struct Partitions_run {
  unsigned ran = 0;                   // distinct partitions that printed
  uint64_t first_instructions = 0;    // the earliest print, in instructions from reset
  uint64_t last_instructions = 0;     // the latest
  std::vector<std::string> problems;  // missing, repeated or malformed lines
};
Partitions_run read_partitions_run(const std::vector<std::string>& lines, unsigned partitions);

// Tables; each needs every figure of its part present.
std::string threads_table(const std::map<unsigned, Bench_results>& by_threads, const std::string& cpu);
std::string cpus_table(const std::map<unsigned, Bench_results>& by_cpus, const std::string& cpu);
std::string cross_cpu_table(const Bench_results& results, const std::string& cpu);
struct Partitions_row {
  unsigned partitions = 0;
  double build_seconds = 0;  // policy compile and image build, wall time
  uint64_t image_bytes = 0;
  Partitions_run run;
};
std::string partitions_table(const std::vector<Partitions_row>& rows, const std::string& cpu);

// Peers with a figure beside ours.
const Peer_source& bao_source();
const Peer_source& microkit_source();

}  // namespace kestrel_cli::scale

namespace kestrel_cli {

struct Bench_command;
// kestrel bench --scale (bench_scale_command.cpp), once the target side is
// built: every part asked for, or all; 0, or 1 after saying what failed.
int run_bench_scale(const Bench_command& command, const std::string& build_directory, const std::string& qemu);

}  // namespace kestrel_cli
