// SPDX-License-Identifier: Apache-2.0
// Beta: waits until alpha has asked for the tunnel "data", accepts it,
// reads alpha's greeting once alpha rang, answers and rings back, and waits
// for the IPCM's ring that says alpha closed the tunnel and alpha's last
// ring that says it is done; then shows that the tunnel is gone from its
// address space: a read there is a fault (and beta stops).
#include <kestrel/console.hpp>
#include <kestrel/slots.hpp>
#include <kestrel/tunnel.hpp>

#include "tunnel_text.hpp"

namespace {

using namespace tunnel_example;

constinit kestrel::Console console = kestrel::Console::kernel(kestrel::slots::kernel_console);
constexpr const kestrel::Tunnel_end& data = kestrel::tunnels::data_tunnel;

[[noreturn]] void fail(const char* what, const kestrel::Tunnel_answer& answer) {
  console.printf("%s FAILED (call status %u, ipcm status %u)\n", what, static_cast<unsigned>(answer.ipc),
                 static_cast<unsigned>(answer.status));
  kestrel::thread_exit();
}

// The doorbell's bits as they arrive (kestrel::tunnel::Doorbell_bits).
constinit kestrel::tunnel::Doorbell_bits doorbell{data};
void wait_for(uint64_t bits) {
  if (const auto status = doorbell.wait_for(bits); status != kestrel::abi::Status::ok) {
    fail("wait", {status, kestrel::ipcm::Status::ok, {}});
  }
}

}  // namespace

extern "C" int main() {
  wait_for(kestrel::ipcm::doorbell_from_ipcm);
  const kestrel::Tunnel_answer accepted = kestrel::tunnel::accept(data);
  if (!accepted.ok()) fail("accept", accepted);
  console.printf("accepted tunnel data (instance %lu) at %p\n", accepted.view.instance,
                 reinterpret_cast<void*>(accepted.view.address));
  wait_for(kestrel::ipcm::doorbell_from_peer);
  char greeting[text_max];
  take(accepted.view, alpha_offset, greeting);
  console.printf("alpha says \"%s\"%s\n", greeting, same(greeting, "hello from alpha") ? "" : " (WRONG: FAILED)");
  put(accepted.view, beta_offset, "hello from beta");
  kestrel::tunnel::ring(data);
  wait_for(kestrel::ipcm::doorbell_from_ipcm);
  console.printf("alpha closed tunnel data\n");
  // Alpha rings once more when it is done. Beta stops right after this
  // (the read below), and the IPCM's watcher then closes every tunnel of
  // beta's: alpha's later requests must not meet that.
  wait_for(kestrel::ipcm::doorbell_from_peer);
  console.printf("alpha is done; reading the old address now stops this thread\n");
  // The IPCM unmapped the pages from this partition (and every CPU's TLB)
  // before it rang: the read is a contained fault, which the kernel reports.
  const volatile uint8_t* old_view = accepted.view.bytes();
  console.printf("read %u after the close: FAILED\n", static_cast<unsigned>(old_view[0]));
  kestrel::thread_exit();
}
