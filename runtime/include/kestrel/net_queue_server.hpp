// SPDX-License-Identifier: Apache-2.0
// Net queue server: a net driver partition's side of one port's queue
// region (device_queue.hpp), without system calls. take_transmitted()
// copies the next frame the client sent into the driver's own buffer (the
// switch checks the copy: the client may rewrite its slot at any time);
// deliver() writes a frame into the client's receive ring. Ringing the
// client is the driver's.
//
// The client is not trusted: a transmitted length outside
// net_min_frame_bytes .. net_max_frame_bytes is dropped and counted, and
// an impossible ring index puts the port out of service (corrupt()).
#pragma once

#include <cstdint>

#include <kestrel/device_description.hpp>
#include <kestrel/device_queue.hpp>

namespace kestrel {

class Net_queue_server {
 public:
  using Net_frame = device_queue::Net_frame;
  static constexpr uint32_t depth = device_queue::net_queue_depth;

  // The region at `region` in the driver.
  constexpr explicit Net_queue_server(uintptr_t region)
      : region_(region),
        transmit_(region + __builtin_offsetof(device_queue::Net_queue_header, transmit)),
        receive_(region + __builtin_offsetof(device_queue::Net_queue_header, receive)) {}

  constexpr explicit Net_queue_server(const Net_driver_port& port) : Net_queue_server(port.queue_address) {}

  bool corrupt() const { return corrupt_; }
  // Transmitted frames dropped for their length.
  uint32_t bad_frames() const { return bad_frames_; }

  // Copies the next frame the client transmitted into `out` and returns its
  // length; 0 if there is none (or the port is corrupt).
  uint32_t take_transmitted(uint8_t (&out)[device_queue::net_max_frame_bytes]) {
    while (!corrupt_) {
      Net_frame frame{};
      const device_queue::Ring_status status = transmit_.peek(frame);
      if (status == device_queue::Ring_status::empty_or_full) return 0;
      if (status == device_queue::Ring_status::corrupt) {
        corrupt_ = true;
        return 0;
      }
      const bool good =
          frame.length >= device_queue::net_min_frame_bytes && frame.length <= device_queue::net_max_frame_bytes;
      if (good) {
        __builtin_memcpy(out, slot(device_queue::net_transmit_slot_offset(transmit_.consumed())), frame.length);
      } else {
        ++bad_frames_;
      }
      transmit_.advance();
      if (good) return frame.length;
    }
    return 0;
  }

  // Puts a frame into the client's receive ring; false if it has no room
  // (the switch drops the frame and counts), the length is bad or the port
  // is corrupt.
  bool deliver(const void* frame, uint32_t length) {
    if (corrupt_) return false;
    if (length < device_queue::net_min_frame_bytes || length > device_queue::net_max_frame_bytes) return false;
    // Room first: the next place's slot may still be the client's to read.
    const uint32_t used = receive_.in_flight();
    if (used > depth) {
      corrupt_ = true;
      return false;
    }
    if (used == depth) return false;
    __builtin_memcpy(slot(device_queue::net_receive_slot_offset(receive_.next())), frame, length);
    if (receive_.push({length, 0}) != device_queue::Ring_status::ok) {
      corrupt_ = true;
      return false;
    }
    return true;
  }

  // True when the receive ring is full (a frame for it would be dropped).
  bool receive_full() const { return receive_.in_flight() >= depth; }

 private:
  uint8_t* slot(uint64_t offset) const { return reinterpret_cast<uint8_t*>(region_ + offset); }

  uintptr_t region_;
  device_queue::Consumer<Net_frame, depth> transmit_;
  device_queue::Producer<Net_frame, depth> receive_;
  uint32_t bad_frames_ = 0;
  bool corrupt_ = false;
};

}  // namespace kestrel
