// SPDX-License-Identifier: Apache-2.0
// Beta (limits.capnp): accepts both instances of pair as alpha opens them,
// then stops when alpha rings, holding them: the kernel tells the IPCM's
// watcher, which closes them.
#include <kestrel/console.hpp>
#include <kestrel/slots.hpp>
#include <kestrel/tunnel.hpp>

namespace {

constinit kestrel::Console console = kestrel::Console::kernel(kestrel::slots::kernel_console);
constexpr const kestrel::Tunnel_end& pair = kestrel::tunnels::pair_tunnel;

// The doorbell's bits as they arrive (kestrel::tunnel::Doorbell_bits).
constinit kestrel::tunnel::Doorbell_bits doorbell{pair};
void wait_for(uint64_t bits) {
  if (const auto status = doorbell.wait_for(bits); status != kestrel::abi::Status::ok) {
    console.printf("wait FAILED (status %u)\n", static_cast<unsigned>(status));
    kestrel::thread_exit();
  }
}

}  // namespace

extern "C" int main() {
  for (int i = 0; i < 2; ++i) {
    wait_for(kestrel::ipcm::doorbell_from_ipcm);
    const kestrel::Tunnel_answer accepted = kestrel::tunnel::accept(pair);
    if (!accepted.ok()) {
      console.printf("accept FAILED (ipcm status %u)\n", static_cast<unsigned>(accepted.status));
      kestrel::thread_exit();
    }
    (void)kestrel::tunnel::ring(pair);
  }
  wait_for(kestrel::ipcm::doorbell_from_peer);
  console.printf("stopping with both instances of pair open\n");
  kestrel::thread_exit();
}
