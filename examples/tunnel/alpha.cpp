// SPDX-License-Identifier: Apache-2.0
// Alpha: opens the tunnel "data", writes a greeting and rings beta's
// doorbell, waits for beta's answer on its own doorbell, closes the tunnel,
// then opens it once more to see that the IPCM zeroed it, and asks once
// more, which the IPCM refuses.
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

// Waits until beta has rung (the IPCM's rings, for beta's accept, may come too).
void wait_for_beta() {
  for (;;) {
    const kestrel::Doorbell doorbell = kestrel::tunnel::wait(data);
    if (doorbell.status != kestrel::abi::Status::ok) fail("wait", {doorbell.status, kestrel::ipcm::Status::ok, {}});
    if (doorbell.from_peer()) return;
  }
}

bool all_zero(const kestrel::Tunnel_view& view) {
  for (uint64_t i = 0; i < view.size; ++i) {
    if (view.bytes()[i] != 0) return false;
  }
  return true;
}

}  // namespace

extern "C" int main() {
  const kestrel::Tunnel_answer opened = kestrel::tunnel::open(data);
  if (!opened.ok()) fail("open", opened);
  console.printf("opened tunnel data (instance %lu) at %p, %lu bytes\n", opened.view.instance,
                 reinterpret_cast<void*>(opened.view.address), opened.view.size);
  put(opened.view, alpha_offset, "hello from alpha");
  kestrel::tunnel::ring(data);
  wait_for_beta();
  char answer[text_max];
  take(opened.view, beta_offset, answer);
  console.printf("beta answers \"%s\"%s\n", answer, same(answer, "hello from beta") ? "" : " (WRONG: FAILED)");
  if (const auto closed = kestrel::tunnel::close(data, opened.view); !closed.ok()) fail("close", closed);
  console.printf("closed tunnel data\n");

  // Beta no longer takes part: the instance is asked for, mapped here only.
  const kestrel::Tunnel_answer again = kestrel::tunnel::open(data);
  if (!again.ok()) fail("second open", again);
  console.printf("reopened tunnel data: %s\n", all_zero(again.view) ? "every byte is zero" : "FAILED: not zeroed");
  // Asking again for an instance it has asked for, which beta has not
  // accepted, is refused (already_open, 5): one request per end and tunnel.
  const kestrel::Tunnel_answer third = kestrel::tunnel::open(data);
  console.printf("another open while it is open: %s (ipcm status %u)\n", third.ok() ? "FAILED: granted" : "refused",
                 static_cast<unsigned>(third.status));
  if (const auto closed = kestrel::tunnel::close(data, again.view); !closed.ok()) fail("second close", closed);
  // Beta waits for this ring before it shows its old view gone (and stops).
  kestrel::tunnel::ring(data);
  console.printf("done\n");
  kestrel::thread_exit();
}
