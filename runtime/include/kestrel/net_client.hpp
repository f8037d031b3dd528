// SPDX-License-Identifier: Apache-2.0
// Net client: a native partition's (or a VMM's) port on a network, switched
// by a net driver partition through the client's queue region. The logic is
// net_queue_client.hpp's; this names it with the real doorbell
// (device_doorbell.hpp). docs/runtime.md, "Block and net clients":
//
//   #include <kestrel/net_client.hpp>
//   #include <kestrel/slots.hpp>  // kestrel::devices::net_clients
//
//   kestrel::Net_client port(kestrel::devices::net_clients[0]);
//   static uint8_t frame[kestrel::device_queue::net_max_frame_bytes];
//   for (;;) {
//     const uint32_t length = port.receive(frame, sizeof frame);
//     if (length == 0 && !port.wait()) break;  // the driver stopped
//     ...
//   }
#pragma once

#include <kestrel/device_doorbell.hpp>
#include <kestrel/net_queue_client.hpp>

namespace kestrel {

using Net_client = Net_queue_client<Device_doorbell>;

}  // namespace kestrel
