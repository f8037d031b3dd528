// SPDX-License-Identifier: Apache-2.0
// Compile-only check that the device clients and queue servers build as a
// partition builds them: AArch64, freestanding, no exceptions, RTTI or FP
// registers, with the real doorbell's system calls. Not linked or run: the
// ctest unit.device_queues_freestanding_aarch64 compiles it with the cross
// compiler and refuses any undefined symbol but the memory functions every
// partition links.
#include <kestrel/block_client.hpp>
#include <kestrel/block_queue_server.hpp>
#include <kestrel/net_client.hpp>
#include <kestrel/net_queue_server.hpp>

namespace {

// As the generated slots header describes them.
constexpr kestrel::Block_client_description disk_slice{"disk",
                                                       "app",
                                                       0,
                                                       0x5000'0000,
                                                       2048,
                                                       false,
                                                       3,
                                                       4,
                                                       kestrel::device_queue::responses_bit,
                                                       kestrel::device_queue::driver_stopped_bit};
constexpr kestrel::Net_client_description lan_port{"lan",
                                                   "app",
                                                   0,
                                                   0x5100'0000,
                                                   {2, 0, 0, 0, 0, 1},
                                                   5,
                                                   6,
                                                   kestrel::device_queue::responses_bit,
                                                   kestrel::device_queue::driver_stopped_bit};
constexpr kestrel::Block_driver_client disk_client{"app", 0x6000'0000, 0x4800'0000, 4096, 2048, false, 7, 1};
constexpr kestrel::Net_driver_port lan_client{"app", 0x6100'0000, 0x4900'0000, {2, 0, 0, 0, 0, 1}, 1, 8, 1};

// constinit: the partition runtime runs no constructors of static objects.
constinit kestrel::Block_client disk{disk_slice};
constinit kestrel::Net_client lan{lan_port};
constinit kestrel::Block_queue_server disk_server{disk_client};
constinit kestrel::Net_queue_server lan_server{lan_client};

uint8_t frame[kestrel::device_queue::net_max_frame_bytes];
uint8_t sectors[4 * kestrel::device_queue::sector_bytes];

}  // namespace

// Every entry point, results combined so none is optimised away.
extern "C" uint64_t device_queues_check(uint64_t sector, uint32_t length) {
  uint64_t result = static_cast<uint64_t>(disk.read(sector, 4, sectors));
  result += static_cast<uint64_t>(disk.write(sector, 4, sectors));
  result += static_cast<uint64_t>(disk.flush());
  const uint32_t slot = disk.allocate_slot();
  result += static_cast<uint64_t>(disk.submit_read(1, sector, 1, slot));
  disk.ring();
  kestrel::device_queue::Block_response response{};
  while (disk.take_response(response)) result += response.tag;
  disk.release_slot(slot);

  result += static_cast<uint64_t>(lan.send(frame, length));
  lan.ring();
  result += lan.receive(frame, sizeof frame);
  result += lan.wait() ? 1 : 0;

  kestrel::Block_work work{};
  if (disk_server.take(work) == kestrel::Block_take::work) result += disk_server.respond(work, work.refusal) ? 1 : 0;
  result += lan_server.take_transmitted(frame);
  result += lan_server.deliver(frame, length) ? 1 : 0;
  return result;
}
