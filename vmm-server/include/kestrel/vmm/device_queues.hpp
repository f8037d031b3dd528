// SPDX-License-Identifier: Apache-2.0
// The VMM's side of a block or net client's queue region
// (kestrel/device_queue.hpp): the backends of the virtio-blk and virtio-net
// models (virtio_block.hpp, virtio_net.hpp). Each wraps the region's
// Producer and Consumer and a Doorbell, a template parameter with ring()
// (the VMM signals the driver's notification; host tests count rings), so
// the models never make a system call.
//
// The models live in constinit globals (the partition runtime runs no
// constructors): a backend's Producer and Consumer are built at compile
// time from the region's address. Their index copies live as long as the
// backend: a device reset or VM restart must not rewind them (the driver
// keeps its own), so the models never rebuild a backend.
//
// A backend of address 0 is no queue: never used (the models check
// present()).
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/device_queue.hpp>

namespace kestrel::vmm {

// A T built on first use, in place.
template <typename Doorbell>
class Block_queue {
 public:
  using Requests = device_queue::Producer<device_queue::Block_request, device_queue::block_queue_depth>;
  using Responses = device_queue::Consumer<device_queue::Block_response, device_queue::block_queue_depth>;

  constexpr Block_queue() = default;
  constexpr Block_queue(uintptr_t region, const Doorbell& doorbell)
      : region_(region),
        doorbell_(doorbell),
        requests_(region + offsetof(device_queue::Block_queue_header, requests)),
        responses_(region + offsetof(device_queue::Block_queue_header, responses)) {}

  constexpr bool present() const { return region_ != 0; }

  device_queue::Ring_status push(const device_queue::Block_request& request) { return requests_.push(request); }
  device_queue::Ring_status pop(device_queue::Block_response& response) { return responses_.pop(response); }
  // Data slot `slot` (< block_queue_depth): block_slot_bytes bytes.
  uint8_t* slot(uint32_t slot) const {
    return reinterpret_cast<uint8_t*>(region_ + device_queue::block_slot_offset(slot));
  }
  void ring() { doorbell_.ring(); }

  constexpr Doorbell& doorbell() { return doorbell_; }

 private:
  uintptr_t region_ = 0;
  Doorbell doorbell_{};
  Requests requests_{uintptr_t{0}};
  Responses responses_{uintptr_t{0}};
};

template <typename Doorbell>
class Net_queue {
 public:
  using Transmit = device_queue::Producer<device_queue::Net_frame, device_queue::net_queue_depth>;
  using Receive = device_queue::Consumer<device_queue::Net_frame, device_queue::net_queue_depth>;

  constexpr Net_queue() = default;
  constexpr Net_queue(uintptr_t region, const Doorbell& doorbell)
      : region_(region),
        doorbell_(doorbell),
        transmit_(region + offsetof(device_queue::Net_queue_header, transmit)),
        receive_(region + offsetof(device_queue::Net_queue_header, receive)) {}

  constexpr bool present() const { return region_ != 0; }

  // Frames the driver has not taken yet; more than net_queue_depth if the
  // driver's index is impossible.
  uint32_t transmit_in_flight() { return transmit_.in_flight(); }
  // The slot the next transmitted frame goes in (net_slot_bytes bytes):
  // fill it, then push_transmit.
  uint8_t* transmit_slot() {
    return reinterpret_cast<uint8_t*>(region_ + device_queue::net_transmit_slot_offset(transmit_.next()));
  }
  device_queue::Ring_status push_transmit(uint32_t length) { return transmit_.push({length, 0}); }

  // The next received frame, left in the ring: read receive_slot(), then
  // advance_receive_.
  device_queue::Ring_status peek_receive(device_queue::Net_frame& frame) { return receive_.peek(frame); }
  const uint8_t* receive_slot() {
    return reinterpret_cast<const uint8_t*>(region_ + device_queue::net_receive_slot_offset(receive_.consumed()));
  }
  void advance_receive() { receive_.advance(); }

  void ring() { doorbell_.ring(); }
  constexpr Doorbell& doorbell() { return doorbell_; }

 private:
  uintptr_t region_ = 0;
  Doorbell doorbell_{};
  Transmit transmit_{uintptr_t{0}};
  Receive receive_{uintptr_t{0}};
};

}  // namespace kestrel::vmm
