// SPDX-License-Identifier: Apache-2.0
// The native net port of the device tests (tests/target/images/
// devices.capnp.in): answers ARP and ping for its address (echo_reply.hpp)
// through the switch, for as long as the driver runs. Its IPv4 address is
// the test's choice; its MAC is the policy's.
#include <kestrel/console.hpp>
#include <kestrel/net_client.hpp>
#include <kestrel/slots.hpp>

#include "echo_reply.hpp"

namespace {

namespace dq = kestrel::device_queue;

constinit kestrel::Console console{kestrel::slots::call_console, kestrel::slots::partition_name};
constinit kestrel::Net_client port{kestrel::devices::net_clients[0]};
uint8_t frame[dq::net_max_frame_bytes];
uint8_t reply[kestrel::echo::max_reply_bytes];

}  // namespace

extern "C" int main() {
  kestrel::echo::Identity me{{}, {10, 0, 2, 17}};
  for (int i = 0; i < 6; ++i) me.mac[i] = port.mac()[i];
  console.printf("answering ARP and ping for 10.0.2.17 at %02x:%02x:%02x:%02x:%02x:%02x\n", me.mac[0], me.mac[1],
                 me.mac[2], me.mac[3], me.mac[4], me.mac[5]);
  uint64_t answered = 0;
  for (;;) {
    const uint32_t length = port.receive(frame, sizeof frame);
    if (length == 0) {
      if (!port.wait()) break;  // the driver stopped
      continue;
    }
    const uint32_t reply_length = kestrel::echo::answer(frame, length, me, reply);
    if (reply_length != 0 && port.send(reply, reply_length) == kestrel::Net_status::ok) {
      port.ring();
      if (++answered == 1) console.printf("answered its first frame\n");
    }
  }
  console.printf("the driver stopped; answered %lu frames\n", answered);
  return 0;
}
