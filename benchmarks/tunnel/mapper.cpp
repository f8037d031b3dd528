// SPDX-License-Identifier: Apache-2.0
// Mapper: the kernel calls alone. This partition is the IPCM of the map
// systems (map.capnp, map-4cpus.capnp), so it holds the pool and a "map into"
// capability for peer's window, and calls memory_map and memory_unmap
// directly, as the IPCM does (and tests/target/partitions/map_ipcm.cpp):
// each of peer's calls is one round of map and unmap of 1 page, then of 16
// pages, each system call timed on its own (counter reads in the same asm
// block as the svc). A map writes invalid entries valid and needs no TLB
// maintenance; an unmap invalidates on every CPU, so unmap less map shows
// the share of the invalidation.
#include <kestrel/slots.hpp>
#include <kestrel/syscall.hpp>

#include "map_protocol.hpp"
#include "tunnel_bench.hpp"

namespace {

namespace abi = kestrel::abi;
namespace bench = kestrel::bench;

constexpr uint64_t console = kestrel::slots::kernel_console;
constexpr uint64_t pool = kestrel::slots::memory_pool;
constexpr uint64_t into_peer = kestrel::slots::slot_3;  // "map tunnels into peer" (slots.hpp's comment)
constexpr uint64_t read_write = abi::map_read | abi::map_write;

// A system call with the counter read right before and right after the
// svc, in one asm block; with Real false a nop stands in for the svc.
struct Timed_status {
  abi::Status status;
  uint64_t cycles;
};

template <bool Real>
Timed_status timed_syscall(abi::Syscall number, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3 = 0, uint64_t a4 = 0,
                           uint64_t a5 = 0) {
  register uint64_t x0 asm("x0") = a0;
  register uint64_t x1 asm("x1") = a1;
  register uint64_t x2 asm("x2") = a2;
  register uint64_t x3 asm("x3") = a3;
  register uint64_t x4 asm("x4") = a4;
  register uint64_t x5 asm("x5") = a5;
  register uint64_t x8 asm("x8") = static_cast<uint64_t>(number);
  uint64_t start;
  uint64_t end;
  if constexpr (Real) {
    asm volatile("mrs %[start], pmccntr_el0\n\tsvc #0\n\tmrs %[end], pmccntr_el0"
                 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), [start] "=&r"(start), [end] "=r"(end)
                 : "r"(x8)
                 : "memory");
  } else {
    asm volatile("mrs %[start], pmccntr_el0\n\tnop\n\tmrs %[end], pmccntr_el0"
                 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), [start] "=&r"(start), [end] "=r"(end)
                 : "r"(x8)
                 : "memory");
  }
  return {static_cast<abi::Status>(x0), end - start};
}

uint64_t syscall_overhead() {
  uint64_t best = ~uint64_t{0};
  for (uint64_t i = 0; i < bench::overhead_runs; ++i) {
    const uint64_t cost = timed_syscall<false>(abi::Syscall::memory_map, 0, 0, 0).cycles;
    if (cost < best) best = cost;
  }
  return best;
}

tunnel_bench::Failures failures{console};
uint64_t overhead = 0;
uint64_t round = 0;
uint64_t maps1[bench::rounds];
uint64_t unmaps1[bench::rounds];
uint64_t maps16[bench::rounds];
uint64_t unmaps16[bench::rounds];

// Maps `pages` pool pages into the start of peer's window and unmaps them.
void map_and_unmap(uint64_t pages, uint64_t* maps, uint64_t* unmaps) {
  const Timed_status mapped = timed_syscall<true>(abi::Syscall::memory_map, pool, 0, pages, into_peer, 0, read_write);
  failures.check(mapped.status == abi::Status::ok, "memory_map");
  maps[round] = mapped.cycles - overhead;
  const Timed_status unmapped = timed_syscall<true>(abi::Syscall::memory_unmap, into_peer, 0, pages);
  failures.check(unmapped.status == abi::Status::ok, "memory_unmap");
  unmaps[round] = unmapped.cycles - overhead;
}

void report() {
  if (round != bench::rounds) failures.check(false, "rounds");
  if (failures.count != 0) return;
  tunnel_bench::print_result(console, "map_1", maps1, overhead);
  tunnel_bench::print_result(console, "unmap_1", unmaps1, overhead);
  tunnel_bench::print_result(console, "map_16", maps16, overhead);
  tunnel_bench::print_result(console, "unmap_16", unmaps16, overhead);
}

}  // namespace

extern "C" int main() {
  overhead = syscall_overhead();
  const uint64_t none[abi::message_register_words] = {};
  kestrel::Message message = kestrel::receive(kestrel::slots::serve_ipcm);
  for (;;) {
    if (message.label() == map_bench::label_round && round < bench::rounds) {
      map_and_unmap(1, maps1, unmaps1);
      map_and_unmap(map_bench::window_pages, maps16, unmaps16);
      ++round;
    } else {
      report();
      kestrel::console_print(console, "mapper done\n");
    }
    message = kestrel::reply_and_receive(kestrel::slots::serve_ipcm, 0, none, 0);
  }
}
