// SPDX-License-Identifier: Apache-2.0
// Block queue server: a block driver partition's side of one client's queue
// region (device_queue.hpp), without system calls. take() copies the next
// request out of shared memory once and checks the copy against the
// client's slice; the driver then either does it (the absolute disk sector
// and the slot's addresses are worked out) or answers at once with the
// refusal; respond() pushes the answer. Ringing the client is the driver's.
//
// The client is not trusted: it may write anything into its region. The
// checks here are the client library's own (block_queue_client.hpp), in the
// same order, so a request gets the same answer from both; and more, since
// a client need not use the library: a slot whose request is still being
// served is refused (bad_request), and no request is taken unless its
// response is sure of a place in the response ring, so a client that
// floods its queue stalls only itself.
#pragma once

#include <cstdint>

#include <kestrel/device_description.hpp>
#include <kestrel/device_queue.hpp>

namespace kestrel {

// A client's range of the disk.
struct Block_slice {
  uint64_t first_sector;
  uint64_t sectors;
  bool read_only;
};

// One request as take() hands it over.
struct Block_work {
  device_queue::Block_request request;  // this side's copy, as the client wrote it
  // ok: do it. Otherwise the answer, to respond() with at once.
  device_queue::Block_status refusal;
  uint64_t disk_sector;    // first_sector + request.sector
  uint8_t* data;           // the slot as the driver sees it; nullptr for a flush or a refusal
  uint64_t data_physical;  // its physical address, for the device's DMA
  uint64_t bytes;          // request.sectors * sector_bytes
};

enum class Block_take : uint32_t {
  none = 0,     // nothing to take (or no room for another response yet)
  work = 1,     // `out` holds the next request
  corrupt = 2,  // the client wrote an impossible ring index: serve it no more
};

class Block_queue_server {
 public:
  using Block_operation = device_queue::Block_operation;
  using Block_request = device_queue::Block_request;
  using Block_response = device_queue::Block_response;
  using Block_status = device_queue::Block_status;
  static constexpr uint32_t depth = device_queue::block_queue_depth;

  // The region at `region` in the driver, at `region_physical` for DMA.
  constexpr Block_queue_server(uintptr_t region, uint64_t region_physical, Block_slice slice)
      : region_(region),
        region_physical_(region_physical),
        slice_(slice),
        requests_(region + __builtin_offsetof(device_queue::Block_queue_header, requests)),
        responses_(region + __builtin_offsetof(device_queue::Block_queue_header, responses)) {}

  constexpr explicit Block_queue_server(const Block_driver_client& client)
      : Block_queue_server(client.queue_address, client.queue_physical,
                           {client.first_sector, client.sectors, client.read_only}) {}

  const Block_slice& slice() const { return slice_; }
  bool corrupt() const { return corrupt_; }
  // Requests taken and not yet responded to.
  uint32_t pending() const { return pending_; }

  Block_take take(Block_work& out) {
    if (corrupt_) return Block_take::corrupt;
    const uint32_t unread = responses_.in_flight();
    if (unread > depth) return broken();
    // Every request taken gets a response: take one only with a place for it.
    if (unread + pending_ >= depth) return Block_take::none;
    Block_request request{};
    const device_queue::Ring_status status = requests_.pop(request);
    if (status == device_queue::Ring_status::empty_or_full) return Block_take::none;
    if (status == device_queue::Ring_status::corrupt) return broken();
    out = {request, check(request), 0, nullptr, 0, 0};
    ++pending_;
    if (out.refusal != Block_status::ok) return Block_take::work;
    busy_ |= bit(request.slot);
    if (request.operation != Block_operation::flush) {
      out.disk_sector = slice_.first_sector + request.sector;
      out.data = reinterpret_cast<uint8_t*>(region_ + device_queue::block_slot_offset(request.slot));
      out.data_physical = region_physical_ + device_queue::block_slot_offset(request.slot);
      out.bytes = uint64_t{request.sectors} * device_queue::sector_bytes;
    }
    return Block_take::work;
  }

  // Answers `work` (a refusal with its refusal, whatever `status` says);
  // false if the response ring is corrupt or `work` is not pending.
  bool respond(const Block_work& work, Block_status status) {
    if (corrupt_ || pending_ == 0) return false;
    const bool refused = work.refusal != Block_status::ok;
    if (!refused && (work.request.slot >= depth || (busy_ & bit(work.request.slot)) == 0)) return false;
    const Block_response response{work.request.tag, work.request.slot, refused ? work.refusal : status};
    // take() kept a place for it, so only a corrupt index fails.
    if (responses_.push(response) != device_queue::Ring_status::ok) {
      broken();
      return false;
    }
    if (!refused) busy_ &= ~bit(work.request.slot);
    --pending_;
    return true;
  }

 private:
  static constexpr uint32_t bit(uint32_t slot) { return uint32_t{1} << slot; }

  Block_take broken() {
    corrupt_ = true;
    return Block_take::corrupt;
  }

  Block_status check(const Block_request& request) const {
    const bool flush = request.operation == Block_operation::flush;
    if (!flush && request.operation != Block_operation::read && request.operation != Block_operation::write) {
      return Block_status::bad_request;
    }
    if (request.slot >= depth || (busy_ & bit(request.slot)) != 0) return Block_status::bad_request;
    if (flush) return request.sectors == 0 ? Block_status::ok : Block_status::bad_request;
    if (request.sectors == 0 || request.sectors > device_queue::block_slot_sectors) return Block_status::bad_request;
    if (request.operation == Block_operation::write && slice_.read_only) return Block_status::read_only;
    // sector + sectors <= slice sectors, without overflow.
    if (request.sectors > slice_.sectors || request.sector > slice_.sectors - request.sectors) {
      return Block_status::outside_slice;
    }
    return Block_status::ok;
  }

  uintptr_t region_;
  uint64_t region_physical_;
  Block_slice slice_;
  device_queue::Consumer<Block_request, depth> requests_;
  device_queue::Producer<Block_response, depth> responses_;
  uint32_t busy_ = 0;  // slots of requests taken and not yet answered
  uint32_t pending_ = 0;
  bool corrupt_ = false;
};

}  // namespace kestrel
