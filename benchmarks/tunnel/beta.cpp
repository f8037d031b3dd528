// SPDX-License-Identifier: Apache-2.0
// Beta, the accepting end of the tunnel benchmark (tunnel.capnp):
// each round, when alpha's open rings its doorbell, accepts (timed) and
// rings alpha; through "large", when alpha has written and rung, copies the
// 64 KiB out into its own memory and rings back (timed from its wait's
// return to its ring's); when the IPCM rings for alpha's close, rings alpha.
#include <kestrel/slots.hpp>

#include "tunnel_bench.hpp"

namespace {

namespace bench = kestrel::bench;
using kestrel::ipcm::doorbell_from_ipcm;
using kestrel::ipcm::doorbell_from_peer;
using tunnel_bench::transfer_bytes;

constexpr uint64_t console = kestrel::slots::kernel_console;

tunnel_bench::Failures failures{console};
uint64_t accepts[bench::rounds];
uint64_t reads[bench::rounds];
alignas(8) uint8_t destination[transfer_bytes];

void run(const kestrel::Tunnel_end& end, const char* accept_name, bool read, uint64_t overhead) {
  tunnel_bench::Doorbell_bits doorbell{end};
  for (uint64_t round = 0; round < bench::rounds; ++round) {
    failures.check(doorbell.wait_for(doorbell_from_ipcm), "wait for alpha's open");
    uint64_t start = bench::read_cycles();
    const kestrel::Tunnel_answer accepted = kestrel::tunnel::accept(end);
    accepts[round] = bench::read_cycles() - start - overhead;
    failures.check(accepted.ok(), "accept");
    failures.check(kestrel::tunnel::ring(end) == kestrel::abi::Status::ok, "ring after the accept");
    if (read) {
      failures.check(doorbell.wait_for(doorbell_from_peer), "wait for alpha's write");
      start = bench::read_cycles();
      __builtin_memcpy(destination, accepted.view.bytes(), transfer_bytes);
      const kestrel::abi::Status rung = kestrel::tunnel::ring(end);
      reads[round] = bench::read_cycles() - start - overhead;
      failures.check(rung == kestrel::abi::Status::ok, "ring after the copy");
      const auto* words = reinterpret_cast<const uint64_t*>(destination);
      failures.check(words[0] == round && words[transfer_bytes / 8 - 1] == 0x7e57'da7a, "the copied data");
    }
    failures.check(doorbell.wait_for(doorbell_from_ipcm), "wait for alpha's close");
    failures.check(kestrel::tunnel::ring(end) == kestrel::abi::Status::ok, "ring after the close");
  }
  if (failures.count == 0) tunnel_bench::print_result(console, accept_name, accepts, overhead);
}

}  // namespace

extern "C" int main() {
  const uint64_t overhead = tunnel_bench::span_overhead();
  run(kestrel::tunnels::small_tunnel, "accept_4k", false, overhead);
  run(kestrel::tunnels::large_tunnel, "accept_64k", true, overhead);
  if (failures.count == 0) tunnel_bench::print_result(console, "read_64k", reads, overhead);
  kestrel::console_print(console, "beta done\n");
  kestrel::thread_exit();
}
