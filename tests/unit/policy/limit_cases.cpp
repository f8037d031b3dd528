// SPDX-License-Identifier: Apache-2.0
// Limit cases: generated policies just past (and at) the kernel's and the
// platform's limits (see limit_cases.hpp). Each takes its limit from
// <kestrel/abi/limits.hpp>, so a changed limit changes the policy with it.
#include "limit_cases.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include <kestrel/abi/limits.hpp>

namespace {

namespace abi = kestrel::abi;

constexpr const char* header =
    "@0xa7c3e9d1f2b40c55;\n"
    "using K = import \"/kestrel/policy.capnp\";\n"
    "using Virt = import \"/kestrel/qemu-virt.capnp\";\n"
    "const stack :List(K.MemoryRegion) = [(name = \"stack\", size = 0x4000, address = 0x100000)];\n";

// QEMU virt as Virt.platform describes it (policy/schema/kestrel/qemu-virt.capnp).
constexpr uint32_t virt_cpus = 4;
constexpr uint32_t virt_vmids = (1U << 8) - 1;  // 8-bit VMIDs; VMID 0 is not used

// A name with a letter and `digits` decimal digits: "s0042".
std::string numbered(char letter, uint32_t number, int digits) {
  char text[16];
  std::snprintf(text, sizeof text, "%c%0*u", letter, digits, number);
  return text;
}

std::string quoted(const std::string& text) { return "\"" + text + "\""; }

std::string window(const std::string& partition, uint32_t duration_us) {
  return "(partition = " + quoted(partition) + ", durationUs = " + std::to_string(duration_us) + ")";
}

// Active clients c0..c4 call one endpoint each of `count - 5` passive
// servers, so that a partition needs a window only if it has a thread to
// run. Each client calls one server in five: that must stay within its
// capabilities.
constexpr uint32_t clients = 5;
static_assert((abi::max_partitions + 1 - clients + clients - 1) / clients <= abi::max_capabilities_per_partition);
static_assert(abi::max_partitions + 1 <= abi::max_threads);

std::string too_many_partitions(uint32_t count, std::string_view expectation) {
  std::string out = header;
  out += "const active :List(K.Thread) = [(name = \"main\", stack = \"stack\")];\n";
  out += "const passive :List(K.Thread) = [(name = \"main\", stack = \"stack\", passive = true)];\n";
  out += "const system :K.System = (\n  name = \"case\",\n  platform = Virt.platformMax,\n";
  out += "  partitions = [" + std::string(expectation) + "\n";
  for (uint32_t c = 0; c < clients; ++c) {
    out +=
        "    (name = " + quoted(numbered('c', c, 1)) + ", program = \"c.elf\", memory = .stack, threads = .active),\n";
  }
  const uint32_t servers = count - clients;
  for (uint32_t s = 0; s < servers; ++s) {
    out +=
        "    (name = " + quoted(numbered('s', s, 4)) + ", program = \"s.elf\", memory = .stack, threads = .passive),\n";
  }
  out += "  ],\n  endpoints = [\n";
  for (uint32_t s = 0; s < servers; ++s) {
    out += "    (name = " + quoted(numbered('e', s, 4)) + ", server = " + quoted(numbered('s', s, 4)) +
           ", clients = [(partition = " + quoted(numbered('c', s % clients, 1)) + ")]),\n";
  }
  out += "  ],\n  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [\n";
  for (uint32_t c = 0; c < clients; ++c) out += "    " + window(numbered('c', c, 1), 1000 / clients) + ",\n";
  out += "  ])],\n);\n";
  return out;
}

// Partitions p000.. on Virt.platform's 8-bit VMIDs, as many per CPU as a
// CPU may have windows, one window each.
static_assert((virt_vmids + 1 + abi::max_windows_per_cpu - 1) / abi::max_windows_per_cpu <= virt_cpus);
static_assert(virt_vmids + 1 <= abi::max_partitions, "otherwise KP0801 comes first");

std::string too_many_vmids(uint32_t count, std::string_view expectation) {
  constexpr uint32_t window_us = 10;
  const uint32_t cpus = (count + abi::max_windows_per_cpu - 1) / abi::max_windows_per_cpu;
  std::string out = header;
  for (uint32_t cpu = 0; cpu < cpus; ++cpu) {
    out += "const onCpu" + std::to_string(cpu) + " :List(K.Thread) = [(name = \"main\", stack = \"stack\"" +
           (cpu == 0 ? "" : ", cpu = " + std::to_string(cpu)) + ")];\n";
  }
  out += "const system :K.System = (\n  name = \"case\",\n  platform = Virt.platform,\n";
  out += "  partitions = [" + std::string(expectation) + "\n";
  for (uint32_t p = 0; p < count; ++p) {
    out += "    (name = " + quoted(numbered('p', p, 3)) + ", program = \"p.elf\", memory = .stack, threads = .onCpu" +
           std::to_string(p / abi::max_windows_per_cpu) + "),\n";
  }
  out += "  ],\n  schedule = [\n";
  for (uint32_t cpu = 0; cpu < cpus; ++cpu) {
    const uint32_t first = cpu * abi::max_windows_per_cpu;
    const uint32_t last = std::min(count, first + abi::max_windows_per_cpu);
    out += "    (cpu = " + std::to_string(cpu) + ", majorFrameUs = " + std::to_string((last - first) * window_us) +
           ", windows = [\n";
    for (uint32_t p = first; p < last; ++p) out += "      " + window(numbered('p', p, 3), window_us) + ",\n";
    out += "    ]),\n";
  }
  out += "  ],\n);\n";
  return out;
}

// Five partitions that hold the objects and five that use them, object N
// shared by holder N mod 5 and user N mod 5: one capability per object for
// each, which must stay within a partition's capabilities.
constexpr uint32_t pairs = 5;
static_assert((abi::max_endpoints + 1 + pairs - 1) / pairs <= abi::max_capabilities_per_partition);
static_assert((abi::max_notifications + 1 + pairs - 1) / pairs <= abi::max_capabilities_per_partition);

std::string objects_between_pairs(char holder, char user, const char* list, uint32_t count,
                                  std::string_view expectation, std::string (*object)(uint32_t index)) {
  std::string out = header;
  out += "const main :List(K.Thread) = [(name = \"main\", stack = \"stack\")];\n";
  out += "const system :K.System = (\n  name = \"case\",\n  platform = Virt.platform,\n  partitions = [\n";
  for (const char letter : {holder, user}) {
    for (uint32_t i = 0; i < pairs; ++i) {
      out += "    (name = " + quoted(numbered(letter, i, 1)) + ", program = \"" + letter +
             ".elf\", memory = .stack, threads = .main),\n";
    }
  }
  out += "  ],\n  " + std::string(list) + " = [" + std::string(expectation) + "\n";
  for (uint32_t i = 0; i < count; ++i) out += "    " + object(i) + ",\n";
  out += "  ],\n  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [\n";
  for (const char letter : {holder, user}) {
    for (uint32_t i = 0; i < pairs; ++i) out += "    " + window(numbered(letter, i, 1), 1000 / (2 * pairs)) + ",\n";
  }
  out += "  ])],\n);\n";
  return out;
}

std::string too_many_endpoints(uint32_t count, std::string_view expectation) {
  return objects_between_pairs('s', 'c', "endpoints", count, expectation, [](uint32_t i) {
    return "(name = " + quoted(numbered('e', i, 4)) + ", server = " + quoted(numbered('s', i % pairs, 1)) +
           ", clients = [(partition = " + quoted(numbered('c', i % pairs, 1)) + ")])";
  });
}

std::string too_many_notifications(uint32_t count, std::string_view expectation) {
  return objects_between_pairs('o', 'g', "notifications", count, expectation, [](uint32_t i) {
    return "(name = " + quoted(numbered('n', i, 4)) + ", owner = " + quoted(numbered('o', i % pairs, 1)) +
           ", signallers = [(partition = " + quoted(numbered('g', i % pairs, 1)) + ", badge = 1)])";
  });
}

constexpr std::array cases = {
    Limit_case{"KP0801-too-many-partitions", "KP0801", abi::max_partitions, too_many_partitions},
    Limit_case{"KP0802-too-many-vmids", "KP0802", virt_vmids, too_many_vmids},
    Limit_case{"KP0803-too-many-endpoints", "KP0803", abi::max_endpoints, too_many_endpoints},
    Limit_case{"KP0804-too-many-notifications", "KP0804", abi::max_notifications, too_many_notifications},
};

}  // namespace

std::span<const Limit_case> limit_cases() { return cases; }
