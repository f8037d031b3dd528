// SPDX-License-Identifier: Apache-2.0
// Alpha (limits.capnp): the IPCM's limits as a tunnel end sees them, what a
// flooding client costs another client's open, and a stopped peer's tunnels
// closed by the IPCM's watcher.
#include <kestrel/console.hpp>
#include <kestrel/slots.hpp>
#include <kestrel/syscall.hpp>
#include <kestrel/tunnel.hpp>

#include "limits_text.hpp"

namespace {

using kestrel::ipcm::Status;
constinit kestrel::Console console = kestrel::Console::kernel(kestrel::slots::kernel_console);
constexpr const kestrel::Tunnel_end& pair = kestrel::tunnels::pair_tunnel;
constexpr const kestrel::Tunnel_end& probe = kestrel::tunnels::probe_tunnel;
auto& flood = *reinterpret_cast<tunnel_limits::Flood_count*>(kestrel::channels::flood_count_address);
auto& stop_flood = *reinterpret_cast<tunnel_limits::Flood_stop*>(kestrel::channels::flood_stop_address);

[[noreturn]] void fail(const char* what, const kestrel::Tunnel_answer& answer) {
  console.printf("%s FAILED (call status %u, ipcm status %u)\n", what, static_cast<unsigned>(answer.ipc),
                 static_cast<unsigned>(answer.status));
  kestrel::thread_exit();
}

// The doorbell's bits as they arrive (kestrel::tunnel::Doorbell_bits).
constinit kestrel::tunnel::Doorbell_bits doorbell{pair};
void wait_for(uint64_t bits) {
  if (const auto status = doorbell.wait_for(bits); status != kestrel::abi::Status::ok) {
    fail("wait", {status, kestrel::ipcm::Status::ok, {}});
  }
}

kestrel::Tunnel_view open_pair_and_wait_for_beta() {
  const kestrel::Tunnel_answer opened = kestrel::tunnel::open(pair);
  if (!opened.ok()) fail("open pair", opened);
  wait_for(kestrel::ipcm::doorbell_from_peer);  // beta accepted and rang
  console.printf("pair instance %lu open, beta accepted it\n", opened.view.instance);
  return opened.view;
}

void refusals() {
  const kestrel::Tunnel_answer third = kestrel::tunnel::open(pair);
  console.printf("a third open of pair (maxOpen 2): %s (ipcm status %u)\n", third.ok() ? "FAILED: granted" : "refused",
                 static_cast<unsigned>(third.status));
  kestrel::Tunnel_end foreign = pair;
  foreign.id = 2;  // f1, third in the policy: the flooder's and beta's tunnel, not alpha's
  const kestrel::Tunnel_answer not_mine = kestrel::tunnel::open(foreign);
  console.printf("an open of f1, which names no end alpha: %s (ipcm status %u)\n",
                 not_mine.ok() ? "FAILED: granted" : "refused", static_cast<unsigned>(not_mine.status));
}

// Opens and closes probe while the flooder floods: the IPCM's queue is
// first come, first served and the flooder has one call at a time, so each
// open waits for at most the one flooder request in progress.
void opens_under_flood() {
  while (flood.started == 0) kestrel::yield();
  constexpr int rounds = 32;
  uint64_t most = 0;
  for (int i = 0; i < rounds; ++i) {
    const uint64_t before = flood.answered;
    const kestrel::Tunnel_answer opened = kestrel::tunnel::open(probe);
    const uint64_t during = flood.answered - before;
    if (!opened.ok()) fail("open probe under flood", opened);
    if (during > most) most = during;
    if (const auto closed = kestrel::tunnel::close(probe, opened.view); !closed.ok()) fail("close probe", closed);
  }
  stop_flood.stop = 1;
  console.printf("%d opens while the flooder called: each waited for at most %lu flooder requests%s\n", rounds, most,
                 most <= 1 ? "" : " (FAILED: more than the one in progress)");
}

}  // namespace

extern "C" int main() {
  const kestrel::Tunnel_view first = open_pair_and_wait_for_beta();
  (void)open_pair_and_wait_for_beta();
  refusals();
  opens_under_flood();
  // Beta stops holding both instances of pair: the IPCM's watcher closes
  // them and rings here (from_ipcm). Earlier rings are stale: taken first.
  doorbell.forget();
  if (kestrel::tunnel::ring(pair) != kestrel::abi::Status::ok) fail("ring beta", {});
  wait_for(kestrel::ipcm::doorbell_from_ipcm);
  const kestrel::Tunnel_answer closed = kestrel::tunnel::close(pair, first);
  console.printf("after beta stopped, closing pair instance 0: %s (ipcm status %u)\n",
                 closed.status == Status::not_open ? "already closed" : "FAILED: still open",
                 static_cast<unsigned>(closed.status));
  console.printf("reading pair's old view now stops this thread\n");
  const volatile uint8_t* old_view = first.bytes();
  console.printf("read %u after the watcher closed it: FAILED\n", static_cast<unsigned>(old_view[0]));
  kestrel::thread_exit();
}
