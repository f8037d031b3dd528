// SPDX-License-Identifier: Apache-2.0
// Net queue client: a client's side of its network port's queue region
// (device_queue.hpp), without system calls; the doorbell is a template
// parameter as in block_queue_client.hpp. net_client.hpp names the
// partition's one Net_client.
//
// send() copies a frame into the transmit slot of the ring's next place and
// pushes it; receive() copies the next received frame out. Neither rings or
// waits: ring() once after a batch of sends, wait() when receive() found
// nothing. The driver is not trusted: a received length outside
// net_min_frame_bytes .. net_max_frame_bytes is dropped (and counted)
// before anything is copied, and an impossible ring index puts the port out
// of service for good (Net_status::corrupt), as the kernel's report of a
// stopped driver does (driver_stopped).
#pragma once

#include <cstdint>
#include <type_traits>

#include <kestrel/device_description.hpp>
#include <kestrel/device_queue.hpp>

namespace kestrel {

enum class Net_status : uint32_t {
  ok = 0,
  full = 1,            // the transmit ring has no room: try again after the driver took some
  bad_length = 2,      // not net_min_frame_bytes .. net_max_frame_bytes
  driver_stopped = 3,  // the kernel reported the driver stopped: no frame goes or comes any more
  corrupt = 4,         // the driver wrote an impossible ring index: the port is out of service
};

template <class Doorbell>
class Net_queue_client {
 public:
  using Net_frame = device_queue::Net_frame;
  static constexpr uint32_t depth = device_queue::net_queue_depth;

  // The queue region at `region` (device_queue::net_queue_bytes); `mac`:
  // the port's address, the only source address the switch lets out.
  constexpr Net_queue_client(uintptr_t region, const uint8_t (&mac)[6], Doorbell doorbell)
      : region_(region),
        mac_{mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]},
        doorbell_(doorbell),
        transmit_(region + __builtin_offsetof(device_queue::Net_queue_header, transmit)),
        receive_(region + __builtin_offsetof(device_queue::Net_queue_header, receive)) {}

  template <class D = Doorbell>
  requires std::is_constructible_v<D, const Net_client_description&>
  constexpr explicit Net_queue_client(const Net_client_description& port)
      : Net_queue_client(port.queue_address, port.mac, D(port)) {}

  const uint8_t (&mac() const)[6] { return mac_; }

  // ok while the port serves; driver_stopped or corrupt for good afterwards.
  Net_status state() const { return state_; }
  // Received frames dropped: a length the driver should never have written,
  // or too long for the caller's buffer.
  uint32_t dropped_frames() const { return dropped_; }

  // Queues `length` bytes of `frame` (an Ethernet frame without FCS, its
  // source address this port's mac()) for the driver; not rung yet.
  Net_status send(const void* frame, uint32_t length) {
    if (state_ != Net_status::ok) return state_;
    if (length < device_queue::net_min_frame_bytes || length > device_queue::net_max_frame_bytes) {
      return Net_status::bad_length;
    }
    // Room first: the next place's slot may still be the driver's to read.
    const uint32_t used = transmit_.in_flight();
    if (used > depth) return out_of_service(Net_status::corrupt);
    if (used == depth) return Net_status::full;
    const uint32_t place = transmit_.next();
    __builtin_memcpy(slot(device_queue::net_transmit_slot_offset(place)), frame, length);
    if (transmit_.push({length, 0}) != device_queue::Ring_status::ok) return out_of_service(Net_status::corrupt);
    return Net_status::ok;
  }

  void ring() const { doorbell_.ring(); }

  // Copies the next received frame into `out` (`capacity` bytes) and
  // returns its length; 0 if there is none (or the port is out of service).
  uint32_t receive(void* out, uint32_t capacity) {
    while (state_ == Net_status::ok) {
      Net_frame frame{};
      const device_queue::Ring_status status = receive_.peek(frame);
      if (status == device_queue::Ring_status::empty_or_full) return 0;
      if (status == device_queue::Ring_status::corrupt) {
        out_of_service(Net_status::corrupt);
        return 0;
      }
      // `frame` is this side's copy: the length checked is the length used.
      const bool deliverable = frame.length >= device_queue::net_min_frame_bytes &&
                               frame.length <= device_queue::net_max_frame_bytes && frame.length <= capacity;
      if (deliverable) {
        __builtin_memcpy(out, slot(device_queue::net_receive_slot_offset(receive_.consumed())), frame.length);
      } else {
        ++dropped_;
      }
      receive_.advance();
      if (deliverable) return frame.length;
    }
    return 0;
  }

  // What a doorbell word said (device_queue's bits), for a client that
  // waits itself.
  void notice(uint64_t bits) {
    if ((bits & device_queue::driver_stopped_bit) != 0) state_ = Net_status::driver_stopped;
  }

  // Waits for the doorbell (frames received, or room to send again), then
  // notices what it said; false once the port is out of service.
  bool wait() {
    notice(doorbell_.wait());
    return state_ == Net_status::ok;
  }

 private:
  uint8_t* slot(uint64_t offset) const { return reinterpret_cast<uint8_t*>(region_ + offset); }

  Net_status out_of_service(Net_status why) {
    if (state_ == Net_status::ok) state_ = why;
    return state_;
  }

  uintptr_t region_;
  uint8_t mac_[6];
  Doorbell doorbell_;
  device_queue::Producer<Net_frame, depth> transmit_;
  device_queue::Consumer<Net_frame, depth> receive_;
  Net_status state_ = Net_status::ok;
  uint32_t dropped_ = 0;
};

}  // namespace kestrel
