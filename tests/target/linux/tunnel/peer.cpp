// SPDX-License-Identifier: Apache-2.0
// The native end of the tunnel "door" whose other end is the Linux guest
// (tests/target/linux/scenarios/tunnel.sh, tests/target/linux-tunnel.capnp.in).
// Twice, once per boot of the guest: waits until the guest has asked for the
// tunnel through its VMM, accepts it, writes the round's pattern and rings
// the guest's doorbell (its VMM raises the tunnel's SPI), checks the answer
// the guest writes back once the guest rang.
//   Round 1: the guest reboots with the tunnel open. Its VMM restarts the
//   VM, the kernel signals the IPCM's watcher, and the IPCM closes the
//   tunnel and rings here: this end's close then finds it closed.
//   Round 2: this end closes the tunnel and shows that its own old view is
//   gone (a read there is a contained fault).
#include <kestrel/console.hpp>
#include <kestrel/slots.hpp>
#include <kestrel/tunnel.hpp>

namespace {

constinit kestrel::Console console = kestrel::Console::kernel(kestrel::slots::kernel_console);
constexpr const kestrel::Tunnel_end& door = kestrel::tunnels::door_tunnel;
constexpr uint32_t first_pattern = 0x4b455354;  // "KEST", round 1, at offset 0
constexpr uint32_t last_pattern = 0x444f4e45;   // "DONE", round 2: the guest powers off after it
constexpr uint32_t answer = 0x600dcafe;         // what the guest writes at offset 4

[[noreturn]] void fail(const char* what, const kestrel::Tunnel_answer& result) {
  console.printf("%s FAILED (call status %u, ipcm status %u)\n", what, static_cast<unsigned>(result.ipc),
                 static_cast<unsigned>(result.status));
  kestrel::thread_exit();
}

// The doorbell's bits as they arrive (kestrel::tunnel::Doorbell_bits).
constinit kestrel::tunnel::Doorbell_bits doorbell{door};
void wait_for(uint64_t bits) {
  if (const auto status = doorbell.wait_for(bits); status != kestrel::abi::Status::ok) {
    fail("wait", {status, kestrel::ipcm::Status::ok, {}});
  }
}

// One exchange: accept, write `pattern`, ring, check the guest's answer.
kestrel::Tunnel_view exchange(uint32_t pattern) {
  wait_for(kestrel::ipcm::doorbell_from_ipcm);
  const kestrel::Tunnel_answer accepted = kestrel::tunnel::accept(door);
  if (!accepted.ok()) fail("accept", accepted);
  console.printf("accepted tunnel door (instance %lu) at %p\n", accepted.view.instance,
                 reinterpret_cast<void*>(accepted.view.address));
  volatile uint32_t* words = reinterpret_cast<volatile uint32_t*>(accepted.view.address);
  words[0] = pattern;
  kestrel::tunnel::ring(door);
  console.printf("wrote 0x%x and rang the guest\n", pattern);
  wait_for(kestrel::ipcm::doorbell_from_peer);
  const uint32_t got = words[1];
  console.printf("the guest answers 0x%x%s\n", got, got == answer ? "" : " (WRONG: FAILED)");
  return accepted.view;
}

}  // namespace

extern "C" int main() {
  const kestrel::Tunnel_view first = exchange(first_pattern);
  // The guest reboots now; the IPCM's ring says the tunnel is gone.
  wait_for(kestrel::ipcm::doorbell_from_ipcm);
  const kestrel::Tunnel_answer gone = kestrel::tunnel::close(door, first);
  console.printf("after the guest's restart, closing tunnel door: %s (ipcm status %u)\n",
                 gone.status == kestrel::ipcm::Status::not_open ? "the IPCM closed it" : "FAILED: still open",
                 static_cast<unsigned>(gone.status));
  const kestrel::Tunnel_view last = exchange(last_pattern);
  const kestrel::Tunnel_answer closed = kestrel::tunnel::close(door, last);
  if (closed.status != kestrel::ipcm::Status::ok) fail("close", closed);
  console.printf("closed tunnel door; reading its old address now stops this thread\n");
  console.printf("read 0x%x after the close: FAILED\n", reinterpret_cast<volatile uint32_t*>(last.address)[0]);
  kestrel::thread_exit();
}
