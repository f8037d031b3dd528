// SPDX-License-Identifier: Apache-2.0
// Block queue client: a client's side of its block queue region
// (device_queue.hpp), without system calls. The doorbell is a template
// parameter: Device_doorbell (device_doorbell.hpp) in a partition, a fake in
// the host tests. block_client.hpp names the partition's one Block_client.
//
// Two ways to use it. Asynchronously (the VMM, or a client that overlaps
// work with I/O): allocate_slot(), fill slot_data() for a write,
// submit_read / submit_write / submit_flush, ring(), then take_response()
// after each doorbell. Or the blocking read / write / flush, which split a
// transfer into 64 KiB requests and keep up to 16 of them in flight.
//
// The driver is not trusted: a response must name a slot in flight with
// that slot's tag, and the response ring's index must be possible. The
// first lie breaks the queue: every request in flight and every later one
// ends with io_error (there is no telling which answers were true). When the
// kernel reports the driver stopped (driver_stopped_bit), every request in
// flight and every later one ends with driver_stopped. Either way nothing
// waits for the driver again, so no call hangs on a dead or lying driver.
#pragma once

#include <cstdint>
#include <type_traits>

#include <kestrel/device_description.hpp>
#include <kestrel/device_queue.hpp>

namespace kestrel {

// allocate_slot()'s answer when all 16 slots are taken.
inline constexpr uint32_t no_free_slot = device_queue::block_queue_depth;

// Doorbell: `void ring()` signals the driver; `uint64_t wait()` blocks until
// the client's notification rings and returns device_queue::responses_bit
// and/or driver_stopped_bit.
template <class Doorbell>
class Block_queue_client {
 public:
  using Block_operation = device_queue::Block_operation;
  using Block_request = device_queue::Block_request;
  using Block_response = device_queue::Block_response;
  using Block_status = device_queue::Block_status;
  static constexpr uint32_t depth = device_queue::block_queue_depth;

  // The queue region at `region` (device_queue::block_queue_bytes), for a
  // slice of `sectors` sectors.
  constexpr Block_queue_client(uintptr_t region, uint64_t sectors, bool read_only, Doorbell doorbell)
      : region_(region),
        sectors_(sectors),
        read_only_(read_only),
        doorbell_(doorbell),
        requests_(region + __builtin_offsetof(device_queue::Block_queue_header, requests)),
        responses_(region + __builtin_offsetof(device_queue::Block_queue_header, responses)) {}

  // As the generated slots header describes the slice.
  template <class D = Doorbell>
  requires std::is_constructible_v<D, const Block_client_description&>
  constexpr explicit Block_queue_client(const Block_client_description& slice)
      : Block_queue_client(slice.queue_address, slice.sectors, slice.read_only, D(slice)) {}

  uint64_t sectors() const { return sectors_; }
  bool read_only() const { return read_only_; }

  // ok while the queue serves; driver_stopped or io_error (a lying driver)
  // for good afterwards.
  Block_status state() const { return state_; }
  // Responses refused as lies (the first one broke the queue).
  uint32_t rejected_responses() const { return rejected_; }

  // ---- Slots -------------------------------------------------------------

  // A free slot, now this caller's to fill and submit (or release), or
  // no_free_slot.
  uint32_t allocate_slot() {
    if (free_ == 0) return no_free_slot;
    const uint32_t slot = lowest(free_);
    free_ &= ~bit(slot);
    return slot;
  }

  // Gives back an allocated slot that was not submitted (or was refused).
  void release_slot(uint32_t slot) {
    if (slot < depth && (in_flight_ & bit(slot)) == 0) free_ |= bit(slot);
  }

  uint32_t free_slots() const { return static_cast<uint32_t>(__builtin_popcount(free_)); }
  uint32_t in_flight() const { return static_cast<uint32_t>(__builtin_popcount(in_flight_)); }

  // The slot's 64 KiB (device_queue::block_slot_bytes); nullptr for a slot
  // >= depth. A read's data is there once its response is taken, and stays
  // until the slot is submitted again.
  uint8_t* slot_data(uint32_t slot) const {
    if (slot >= depth) return nullptr;
    return reinterpret_cast<uint8_t*>(region_ + device_queue::block_slot_offset(slot));
  }

  // ---- Asynchronous requests ---------------------------------------------

  // Each queues one request on an allocated slot (not rung yet: ring()
  // once for a batch), or says why not without asking the driver:
  // bad_request (slot not allocated, sectors not 1 .. block_slot_sectors),
  // read_only, outside_slice, or the queue's state once it is out of service.
  Block_status submit_read(uint64_t tag, uint64_t sector, uint32_t sectors, uint32_t slot) {
    return submit_transfer(Block_operation::read, tag, sector, sectors, slot);
  }
  // The data must be in slot_data(slot) already.
  Block_status submit_write(uint64_t tag, uint64_t sector, uint32_t sectors, uint32_t slot) {
    return submit_transfer(Block_operation::write, tag, sector, sectors, slot);
  }
  // A flush takes a slot too (without data): at most 16 requests of any
  // kind are in flight, so the driver always has room for their responses.
  Block_status submit_flush(uint64_t tag, uint32_t slot) {
    return submit({tag, 0, 0, slot, Block_operation::flush, 0});
  }

  void ring() const { doorbell_.ring(); }

  // The next finished request, checked (true), or false if none is
  // finished yet. Its slot is free again. Once the queue is out of service
  // the requests still in flight come back one by one with its state.
  bool take_response(Block_response& out) {
    if (state_ == Block_status::ok) {
      Block_response response{};
      const device_queue::Ring_status status = responses_.pop(response);
      if (status == device_queue::Ring_status::empty_or_full) return false;
      if (status == device_queue::Ring_status::ok && answers_request_in_flight(response)) {
        // A driver sends none of driver_stopped or unknown statuses: the
        // request failed, as far as this client can tell.
        if (response.status > Block_status::bad_request) response.status = Block_status::io_error;
        out = response;
        finish(response.slot);
        return true;
      }
      if (status == device_queue::Ring_status::ok) ++rejected_;
      go_out_of_service(Block_status::io_error);
    }
    if (in_flight_ == 0) return false;
    const uint32_t slot = lowest(in_flight_);
    out = {tags_[slot], slot, state_};
    finish(slot);
    return true;
  }

  // What a doorbell word said (device_queue's bits), for a client that
  // waits itself (the VMM, on one notification for all its devices).
  void notice(uint64_t bits) {
    if ((bits & device_queue::driver_stopped_bit) != 0) state_ = Block_status::driver_stopped;
  }

  // Waits for the doorbell, then notices what it said.
  void wait() { notice(doorbell_.wait()); }

  // ---- Blocking transfers ------------------------------------------------

  // `count` sectors from `sector` of the slice into `out` (count * 512
  // bytes). Only for a client with nothing in flight (bad_request
  // otherwise: the responses it took would be lost). The first failure is
  // returned once every request in flight has ended; the rest of `out` is
  // then unspecified.
  Block_status read(uint64_t sector, uint64_t count, void* out) {
    return transfer(Block_operation::read, sector, count, static_cast<uint8_t*>(out));
  }
  Block_status write(uint64_t sector, uint64_t count, const void* in) {
    return transfer(Block_operation::write, sector, count, static_cast<uint8_t*>(const_cast<void*>(in)));
  }
  // Every write this client finished before is on stable storage when it
  // returns ok (device_queue::Block_operation::flush).
  Block_status flush() {
    if (state_ != Block_status::ok) return state_;
    if (in_flight_ != 0) return Block_status::bad_request;
    const uint32_t slot = allocate_slot();
    if (slot == no_free_slot) return Block_status::bad_request;
    const Block_status refused = submit_flush(0, slot);
    if (refused != Block_status::ok) {
      release_slot(slot);
      return refused;
    }
    ring();
    Block_response response{};
    while (!take_response(response)) wait();
    return response.status;
  }

 private:
  static constexpr uint32_t bit(uint32_t slot) { return uint32_t{1} << slot; }
  static uint32_t lowest(uint32_t mask) { return static_cast<uint32_t>(__builtin_ctz(mask)); }

  // Without overflow: sector + count <= sectors_.
  bool within_slice(uint64_t sector, uint64_t count) const { return count <= sectors_ && sector <= sectors_ - count; }

  Block_status submit_transfer(Block_operation operation, uint64_t tag, uint64_t sector, uint32_t sectors,
                               uint32_t slot) {
    if (state_ != Block_status::ok) return state_;
    if (sectors == 0 || sectors > device_queue::block_slot_sectors) return Block_status::bad_request;
    if (operation == Block_operation::write && read_only_) return Block_status::read_only;
    if (!within_slice(sector, sectors)) return Block_status::outside_slice;
    return submit({tag, sector, sectors, slot, operation, 0});
  }

  Block_status submit(const Block_request& request) {
    if (state_ != Block_status::ok) return state_;
    // Allocated: neither free nor in flight.
    if (request.slot >= depth || ((free_ | in_flight_) & bit(request.slot)) != 0) return Block_status::bad_request;
    // Fewer than 16 requests are in flight, so the ring has room unless
    // the driver's index lies.
    if (requests_.push(request) != device_queue::Ring_status::ok) {
      go_out_of_service(Block_status::io_error);
      return state_;
    }
    in_flight_ |= bit(request.slot);
    tags_[request.slot] = request.tag;
    return Block_status::ok;
  }

  bool answers_request_in_flight(const Block_response& response) const {
    return response.slot < depth && (in_flight_ & bit(response.slot)) != 0 && tags_[response.slot] == response.tag;
  }

  void finish(uint32_t slot) {
    in_flight_ &= ~bit(slot);
    free_ |= bit(slot);
  }

  void go_out_of_service(Block_status why) {
    if (state_ == Block_status::ok) state_ = why;
  }

  Block_status transfer(Block_operation operation, uint64_t sector, uint64_t count, uint8_t* data) {
    if (state_ != Block_status::ok) return state_;
    if (in_flight_ != 0) return Block_status::bad_request;
    if (operation == Block_operation::write && read_only_) return Block_status::read_only;
    if (!within_slice(sector, count)) return Block_status::outside_slice;
    Block_status result = Block_status::ok;
    uint64_t submitted = 0;  // sectors; each request's tag is its first sector's offset in `data`
    for (;;) {
      bool rang = false;
      while (result == Block_status::ok && submitted < count) {
        const uint32_t slot = allocate_slot();
        if (slot == no_free_slot) break;
        const uint32_t sectors = chunk_at(submitted, count);
        if (operation == Block_operation::write) {
          __builtin_memcpy(slot_data(slot), data + submitted * device_queue::sector_bytes,
                           sectors * device_queue::sector_bytes);
        }
        const Block_status refused = submit_transfer(operation, submitted, sector + submitted, sectors, slot);
        if (refused != Block_status::ok) {
          release_slot(slot);
          result = refused;
          break;
        }
        submitted += sectors;
        rang = true;
      }
      if (rang) ring();
      if (in_flight_ == 0) return result;
      Block_response response{};
      bool took = false;
      while (take_response(response)) {
        took = true;
        if (response.status != Block_status::ok) {
          if (result == Block_status::ok) result = response.status;
        } else if (operation == Block_operation::read) {
          // The tag was checked against the slot's own: it is this
          // request's offset.
          __builtin_memcpy(data + response.tag * device_queue::sector_bytes, slot_data(response.slot),
                           chunk_at(response.tag, count) * device_queue::sector_bytes);
        }
      }
      if (!took) wait();
    }
  }

  static uint32_t chunk_at(uint64_t offset, uint64_t count) {
    const uint64_t left = count - offset;
    return left < device_queue::block_slot_sectors ? static_cast<uint32_t>(left) : device_queue::block_slot_sectors;
  }

  uintptr_t region_;
  uint64_t sectors_;
  bool read_only_;
  Doorbell doorbell_;
  device_queue::Producer<Block_request, depth> requests_;
  device_queue::Consumer<Block_response, depth> responses_;
  Block_status state_ = Block_status::ok;
  uint32_t free_ = (uint32_t{1} << depth) - 1;
  uint32_t in_flight_ = 0;
  uint32_t rejected_ = 0;
  uint64_t tags_[depth] = {};
};

}  // namespace kestrel
