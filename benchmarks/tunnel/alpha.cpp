// SPDX-License-Identifier: Apache-2.0
// Alpha, the opening end of the tunnel benchmark (tunnel.capnp): for
// each tunnel ("small", 4 KiB, and "large", 64 KiB), rounds of open, wait
// for beta's accept, close, each call timed from alpha's side (the client
// library's call to the IPCM to its checked reply). Through "large" each
// round also writes 64 KiB into the tunnel and rings beta (timed), and beta
// copies it out and rings back (beta.cpp times that). Last, a memcpy of
// the same 64 KiB inside alpha, the figure the transfer is compared with.
#include <kestrel/slots.hpp>

#include "tunnel_bench.hpp"

namespace {

namespace bench = kestrel::bench;
using tunnel_bench::transfer_bytes;

constexpr uint64_t console = kestrel::slots::kernel_console;

tunnel_bench::Failures failures{console};
uint64_t opens[bench::rounds];
uint64_t closes[bench::rounds];
uint64_t writes[bench::rounds];
uint64_t copies[bench::rounds];
alignas(8) uint8_t source[transfer_bytes];
alignas(8) uint8_t destination[transfer_bytes];

// One tunnel's rounds; with `write` also the 64 KiB write of each round.
void run(const kestrel::Tunnel_end& end, const char* open_name, const char* close_name, bool write, uint64_t overhead) {
  tunnel_bench::Doorbell_bits doorbell{end};
  for (uint64_t round = 0; round < bench::rounds; ++round) {
    uint64_t start = bench::read_cycles();
    const kestrel::Tunnel_answer opened = kestrel::tunnel::open(end);
    opens[round] = bench::read_cycles() - start - overhead;
    failures.check(opened.ok(), "open");
    failures.check(doorbell.wait_for(kestrel::ipcm::doorbell_from_peer), "wait for beta's accept");
    if (write) {
      // What beta checks: the round in the first word, the last word fixed.
      reinterpret_cast<uint64_t*>(source)[0] = round;
      reinterpret_cast<uint64_t*>(source)[transfer_bytes / 8 - 1] = 0x7e57'da7a;
      start = bench::read_cycles();
      __builtin_memcpy(opened.view.bytes(), source, transfer_bytes);
      const kestrel::abi::Status rung = kestrel::tunnel::ring(end);
      writes[round] = bench::read_cycles() - start - overhead;
      failures.check(rung == kestrel::abi::Status::ok, "ring");
      failures.check(doorbell.wait_for(kestrel::ipcm::doorbell_from_peer), "wait for beta's copy");
    }
    start = bench::read_cycles();
    const kestrel::Tunnel_answer closed = kestrel::tunnel::close(end, opened.view);
    closes[round] = bench::read_cycles() - start - overhead;
    failures.check(closed.ok(), "close");
    // Beta rings once it has heard the close, so that the next open's ring
    // (the same bit) cannot merge with this close's.
    failures.check(doorbell.wait_for(kestrel::ipcm::doorbell_from_peer), "wait for beta after the close");
  }
  if (failures.count != 0) return;
  tunnel_bench::print_result(console, open_name, opens, overhead);
  tunnel_bench::print_result(console, close_name, closes, overhead);
}

}  // namespace

extern "C" int main() {
  const uint64_t overhead = tunnel_bench::span_overhead();
  run(kestrel::tunnels::small_tunnel, "open_4k", "close_4k", false, overhead);
  run(kestrel::tunnels::large_tunnel, "open_64k", "close_64k", true, overhead);
  for (uint64_t round = 0; round < bench::rounds; ++round) {
    const uint64_t start = bench::read_cycles();
    __builtin_memcpy(destination, source, transfer_bytes);
    copies[round] = bench::read_cycles() - start - overhead;
  }
  failures.check(__builtin_memcmp(destination, source, transfer_bytes) == 0, "memcpy");
  if (failures.count == 0) {
    tunnel_bench::print_result(console, "write_64k", writes, overhead);
    tunnel_bench::print_result(console, "memcpy_64k", copies, overhead);
  }
  kestrel::console_print(console, "alpha done\n");
  kestrel::thread_exit();
}
