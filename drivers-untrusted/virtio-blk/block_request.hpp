// SPDX-License-Identifier: Apache-2.0
// Block requests, checked: what the virtio-blk driver makes of a client's
// Block_request (runtime/include/kestrel/device_queue.hpp) before the disk
// sees it, and the virtio-blk request header and status it sends. No svc:
// the host tests check it (tests/unit/drivers/block_request_test.cpp).
//
// A request names a sector of the client's slice; the driver adds the
// slice's first sector, so a client can name no sector outside its slice,
// and a request that would run past the slice's end is refused whole.
#pragma once

#include <cstdint>

#include <kestrel/device_description.hpp>
#include <kestrel/device_queue.hpp>

namespace virtio_blk {

namespace dq = kestrel::device_queue;

// virtio-blk's request types and status bytes (virtio 1.x, "Block Device").
inline constexpr uint32_t type_in = 0;   // read: device to memory
inline constexpr uint32_t type_out = 1;  // write
inline constexpr uint32_t type_flush = 4;
inline constexpr uint8_t status_ok = 0;
inline constexpr uint8_t status_io_error = 1;
inline constexpr uint8_t status_unsupported = 2;

inline constexpr unsigned feature_read_only = 5;  // VIRTIO_BLK_F_RO
inline constexpr unsigned feature_flush = 9;      // VIRTIO_BLK_F_FLUSH
inline constexpr uint32_t config_capacity = 0;    // u64, in 512-byte sectors

struct Request_header {
  uint32_t type;
  uint32_t reserved;
  uint64_t sector;
};
static_assert(sizeof(Request_header) == 16);

// A request the driver may pass on (status ok), or the status to answer
// at once.
struct Checked_request {
  dq::Block_status status;
  uint32_t type;         // virtio-blk's
  uint64_t disk_sector;  // absolute: the slice's first sector added
  uint32_t bytes;        // data bytes (0 for a flush)
  uint64_t slot_offset;  // the data slot's offset in the client's queue region
};

// What a client's slice allows, from its description.
struct Slice {
  uint64_t first_sector;
  uint64_t sectors;
  bool read_only;
};

inline Checked_request check_request(const dq::Block_request& request, const Slice& slice) {
  Checked_request checked{dq::Block_status::bad_request, 0, 0, 0, 0};
  if (request.operation == dq::Block_operation::flush) {
    checked.status = dq::Block_status::ok;
    checked.type = type_flush;
    return checked;
  }
  if (request.operation != dq::Block_operation::read && request.operation != dq::Block_operation::write) return checked;
  if (request.slot >= dq::block_queue_depth || request.sectors == 0 || request.sectors > dq::block_slot_sectors)
    return checked;
  // sector + sectors <= slice.sectors, said so that no sum overflows.
  if (request.sector > slice.sectors || request.sectors > slice.sectors - request.sector) {
    checked.status = dq::Block_status::outside_slice;
    return checked;
  }
  if (request.operation == dq::Block_operation::write && slice.read_only) {
    checked.status = dq::Block_status::read_only;
    return checked;
  }
  checked.status = dq::Block_status::ok;
  checked.type = request.operation == dq::Block_operation::read ? type_in : type_out;
  checked.disk_sector = slice.first_sector + request.sector;
  checked.bytes = static_cast<uint32_t>(request.sectors * dq::sector_bytes);
  checked.slot_offset = dq::block_slot_offset(request.slot);
  return checked;
}

// Whether every client's slice lies on a disk of `disk_sectors` (the
// policy compiler checks this against the policy's disk size; the driver
// checks it again against the device's real capacity).
inline bool slices_fit(const kestrel::Block_driver_description& description, uint64_t disk_sectors) {
  for (uint32_t i = 0; i < description.client_count && i < dq::max_clients; ++i) {
    const auto& client = description.clients[i];
    if (client.first_sector > disk_sectors || client.sectors > disk_sectors - client.first_sector) return false;
  }
  return true;
}

}  // namespace virtio_blk
