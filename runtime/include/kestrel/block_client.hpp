// SPDX-License-Identifier: Apache-2.0
// Block client: a native partition's (or a VMM's) slice of a disk, served by
// a block driver partition through the client's queue region. The logic is
// block_queue_client.hpp's; this names it with the real doorbell
// (device_doorbell.hpp). docs/runtime.md, "Block and net clients":
//
//   #include <kestrel/block_client.hpp>
//   #include <kestrel/slots.hpp>  // kestrel::devices::block_clients
//
//   kestrel::Block_client disk(kestrel::devices::block_clients[0]);
//   static uint8_t sector[512];
//   if (disk.read(0, 1, sector) != kestrel::device_queue::Block_status::ok) ...
#pragma once

#include <kestrel/block_queue_client.hpp>
#include <kestrel/device_doorbell.hpp>

namespace kestrel {

using Block_client = Block_queue_client<Device_doorbell>;

}  // namespace kestrel
