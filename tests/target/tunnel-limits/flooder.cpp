// SPDX-License-Identifier: Apache-2.0
// Flooder (limits.capnp): takes its quota of tunnels (maxOpenPerEnd = 3), is
// refused a fourth, then calls the IPCM as fast as it can, counting the
// answers where alpha reads them, until alpha says stop.
#include <kestrel/console.hpp>
#include <kestrel/slots.hpp>
#include <kestrel/tunnel.hpp>

#include "limits_text.hpp"

namespace {

using kestrel::ipcm::Status;
constinit kestrel::Console console = kestrel::Console::kernel(kestrel::slots::kernel_console);
auto& flood = *reinterpret_cast<tunnel_limits::Flood_count*>(kestrel::channels::flood_count_address);
const auto& stop_flood = *reinterpret_cast<const tunnel_limits::Flood_stop*>(kestrel::channels::flood_stop_address);

[[noreturn]] void fail(const char* what, const kestrel::Tunnel_answer& answer) {
  console.printf("%s FAILED (call status %u, ipcm status %u)\n", what, static_cast<unsigned>(answer.ipc),
                 static_cast<unsigned>(answer.status));
  kestrel::thread_exit();
}

}  // namespace

extern "C" int main() {
  const kestrel::Tunnel_end* held[] = {&kestrel::tunnels::f1_tunnel, &kestrel::tunnels::f2_tunnel,
                                       &kestrel::tunnels::f3_tunnel};
  kestrel::Tunnel_view views[3];
  for (int i = 0; i < 3; ++i) {
    const kestrel::Tunnel_answer opened = kestrel::tunnel::open(*held[i]);
    if (!opened.ok()) fail("open", opened);
    views[i] = opened.view;
  }
  const kestrel::Tunnel_answer fourth = kestrel::tunnel::open(kestrel::tunnels::f4_tunnel);
  console.printf("a fourth open beyond maxOpenPerEnd: %s (ipcm status %u)\n",
                 fourth.status == Status::quota_exceeded ? "refused" : "FAILED: not quota_exceeded",
                 static_cast<unsigned>(fourth.status));
  flood.started = 1;
  while (stop_flood.stop == 0) {
    const kestrel::Tunnel_answer again = kestrel::tunnel::open(kestrel::tunnels::f4_tunnel);
    if (again.status != Status::quota_exceeded) fail("flood", again);
    flood.answered = flood.answered + 1;
  }
  for (int i = 0; i < 3; ++i) {
    if (const auto closed = kestrel::tunnel::close(*held[i], views[i]); !closed.ok()) fail("close", closed);
  }
  console.printf("flooding done; its 3 tunnels closed\n");
  kestrel::thread_exit();
}
