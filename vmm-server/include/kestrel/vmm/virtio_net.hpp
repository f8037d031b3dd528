// SPDX-License-Identifier: Apache-2.0
// virtio-net model (virtio 1.x device ID 1) on the modern virtio-mmio
// transport (virtio_mmio.hpp), for Linux's virtio_net, backed by a port of
// a virtual switch: a net client's queue region (kestrel/device_queue.hpp,
// through Net_queue of device_queues.hpp or a fake with its interface).
//
// Features: VIRTIO_F_VERSION_1 (required), VIRTIO_NET_F_MAC (the port's MAC
// from the policy: the only source address the switch lets out) and
// VIRTIO_NET_F_STATUS (link up until the driver partition stops). No
// checksum or segmentation offloads and no mergeable receive buffers, so
// every frame is a whole Ethernet frame (14 to 1518 bytes) behind the
// 12-byte virtio_net_hdr of VERSION_1, all of whose fields are 0 but
// num_buffers = 1. Configuration: mac[6], status (u16); read with accesses
// of 1, 2, 4 or 8 bytes, writes ignored.
//
// Queues (each at most queue_size_max entries):
//   receiveq (0): frames from the port's receive ring fill the buffers the
//     driver posted, one frame per chain (header, then the frame), in
//     order. A frame that finds no buffer stays in the ring until the driver
//     posts one (its notification of the receiveq delivers again); the
//     driver partition drops what no longer fits in the ring. A frame of an
//     impossible length is dropped; a chain too small for its frame is
//     returned with length 0 and the frame dropped (Linux counts a length
//     error).
//   transmitq (1): each chain's device-readable bytes, less the header, are
//     one frame, copied into the transmit slot and pushed; one ring of the
//     driver per notification. A frame of an impossible length is dropped
//     and counted. While the transmit ring is full the chains wait in the
//     transmitq (the guest's queue fills and Linux stops sending), until
//     the driver rings: it does so after it took frames from the ring, and
//     each ring (receive()) tries the waiting chains again.
// Every frame is copied once, between guest RAM and the slot.
//
// A chain the queue cannot walk makes the device need a reset, as the
// console does. driver_stopped() (or a ring index from the driver that
// cannot be) takes the link down, with a configuration change interrupt;
// frames sent after it are dropped. A reset keeps the ring indices and any
// frames waiting in the receive ring.
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/device_queue.hpp>
#include <kestrel/vmm/guest_memory.hpp>
#include <kestrel/vmm/mmio.hpp>
#include <kestrel/vmm/virtio_mmio.hpp>
#include <kestrel/vmm/virtio_queue.hpp>

namespace kestrel::vmm {

namespace virtio_net {

inline constexpr uint32_t device_id = 1;
inline constexpr uint32_t receiveq = 0;
inline constexpr uint32_t transmitq = 1;
inline constexpr uint32_t queue_size_max = 256;

inline constexpr uint64_t f_mac = uint64_t{1} << 5;
inline constexpr uint64_t f_status = uint64_t{1} << 16;

inline constexpr uint16_t s_link_up = 1;
inline constexpr uint32_t header_bytes = 12;  // virtio_net_hdr with num_buffers (VERSION_1)
inline constexpr uint32_t num_buffers_offset = 10;

inline constexpr uint32_t config_mac = 0;
inline constexpr uint32_t config_status = 6;
inline constexpr uint32_t config_bytes = 8;

}  // namespace virtio_net

struct Virtio_net_counts {
  uint64_t transmitted = 0;        // frames pushed to the driver
  uint64_t waited_full = 0;        // times frames waited for room in the transmit ring
  uint64_t dropped_full = 0;       // frames the transmit ring had no room for (a push that failed)
  uint64_t dropped_malformed = 0;  // frames of an impossible length, either way
  uint64_t dropped_stopped = 0;    // frames sent after the driver stopped
  uint64_t received = 0;           // frames given to the guest
  uint64_t dropped_small_buffer = 0;
  uint64_t bytes_copied = 0;
};

template <typename Queue>
class Virtio_net {
 public:
  using Transport = Virtio_mmio<2>;

  constexpr Virtio_net() : Virtio_net(Guest_memory{}, nullptr, Queue{}) {}
  constexpr Virtio_net(const Guest_memory& memory, const uint8_t* mac, const Queue& queue)
      : transport_({virtio_net::device_id, virtio::f_version_1 | virtio_net::f_mac | virtio_net::f_status,
                    virtio_net::queue_size_max},
                   memory),
        queue_(queue) {
    for (uint32_t i = 0; i < 6 && mac != nullptr; ++i) mac_[i] = mac[i];
  }

  // `offset` within the device's frame.
  uint64_t read(uint64_t offset, unsigned size) const {
    if (offset < virtio::config) return transport_.read(offset, size);
    return read_config(offset - virtio::config, size);
  }

  void write(uint64_t offset, unsigned size, uint64_t value) {
    if (offset >= virtio::config) return;
    const Virtio_write_result result = transport_.write(offset, size, value);
    if (result.event == Virtio_event::driver_ok) {
      transmit();
      receive();
    } else if (result.event == Virtio_event::queue_notify) {
      if (result.queue == virtio_net::transmitq) transmit();
      if (result.queue == virtio_net::receiveq) receive();
    }
  }

  // The driver rang: frames in the receive ring for the guest's buffers,
  // or room in the transmit ring for chains that wait for it.
  void receive() {
    if (transmit_waiting_) transmit();
    if (!transport_.operational() || !queue_.present() || stopped_) return;
    Virtqueue& queue = transport_.queue(virtio_net::receiveq);
    bool notify = false;
    for (;;) {
      device_queue::Net_frame frame{};
      const device_queue::Ring_status peeked = queue_.peek_receive(frame);
      if (peeked == device_queue::Ring_status::empty_or_full) break;
      if (peeked == device_queue::Ring_status::corrupt) {
        driver_stopped();
        break;
      }
      if (frame.length < device_queue::net_min_frame_bytes || frame.length > device_queue::net_max_frame_bytes) {
        ++counts_.dropped_malformed;
        queue_.advance_receive();
        continue;
      }
      uint16_t head = 0;
      const Queue_status next = queue.next_available(head);
      if (next == Queue_status::empty) break;  // the frame waits for a buffer
      if (next == Queue_status::broken || !fill(queue, head, frame.length, notify)) {
        transport_.needs_reset();
        break;
      }
    }
    if (notify) transport_.used_buffer_notification();
  }

  // The driver partition stopped: the link goes down.
  void driver_stopped() {
    if (stopped_) return;
    stopped_ = true;
    transport_.configuration_changed();
    if (transmit_waiting_) transmit();  // the chains that waited are dropped now
  }

  // The VM restarts: the device as at power-on (the queue's indices and the
  // link state go on).
  void reset() {
    transport_.reset();
    transmit_waiting_ = false;
  }

  constexpr Level_change take_level_change() { return transport_.take_level_change(); }
  constexpr bool interrupt_level() const { return transport_.interrupt_level(); }
  constexpr const Transport& transport() const { return transport_; }
  constexpr const Virtio_net_counts& counts() const { return counts_; }
  constexpr Queue& queue() { return queue_; }

 private:
  uint64_t read_config(uint64_t offset, unsigned size) const {
    const uint64_t mask = access_mask(size);
    if (mask == 0 || offset >= virtio_net::config_bytes || size > virtio_net::config_bytes - offset) return 0;
    uint8_t config[virtio_net::config_bytes] = {};
    for (uint32_t i = 0; i < 6; ++i) config[virtio_net::config_mac + i] = mac_[i];
    const uint16_t status = stopped_ ? 0 : virtio_net::s_link_up;
    __builtin_memcpy(config + virtio_net::config_status, &status, sizeof status);
    uint64_t value = 0;
    __builtin_memcpy(&value, config + offset, size);  // little-endian, as virtio is
    return value;
  }

  // The frame at the receive ring's front into the chain at `head`; false
  // if the chain is broken.
  bool fill(Virtqueue& queue, uint16_t head, uint32_t length, bool& notify) {
    uint8_t header[virtio_net::header_bytes] = {};
    header[virtio_net::num_buffers_offset] = 1;
    const uint8_t* frame = queue_.receive_slot();
    const uint32_t total = virtio_net::header_bytes + length;
    uint32_t capacity = 0;
    const Queue_status measured = queue.walk(head, [&](uint8_t*, uint32_t bytes, bool writable) {
      if (writable) capacity += bytes < total ? bytes : total;  // no overflow: at most total per descriptor
      if (capacity > total) capacity = total;
    });
    if (measured == Queue_status::broken) return false;
    uint32_t written = 0;
    if (capacity >= total) {
      (void)queue.walk(head, [&](uint8_t* data, uint32_t bytes, bool writable) {
        // A device-readable buffer in a receiveq is not for the device to write.
        if (!writable || written >= total) return;
        const uint32_t n = bytes < total - written ? bytes : total - written;
        for (uint32_t i = 0; i < n;) {
          const uint32_t at = written + i;
          if (at < virtio_net::header_bytes) {
            data[i++] = header[at];
          } else {
            __builtin_memcpy(data + i, frame + (at - virtio_net::header_bytes), n - i);
            i = n;
          }
        }
        written += n;
      });
      ++counts_.received;
      counts_.bytes_copied += length;
    } else {
      ++counts_.dropped_small_buffer;
    }
    queue_.advance_receive();
    notify |= queue.push_used(head, written);
    return true;
  }

  void transmit() {
    if (!transport_.operational()) return;
    Virtqueue& queue = transport_.queue(virtio_net::transmitq);
    bool notify = false;
    bool pushed = false;
    transmit_waiting_ = false;
    for (uint32_t budget = queue.size; budget > 0; --budget) {
      // A full ring: the chains wait for the driver's next ring (receive()).
      if (queue_.present() && !stopped_ && queue_.transmit_in_flight() == device_queue::net_queue_depth) {
        transmit_waiting_ = true;
        ++counts_.waited_full;
        break;
      }
      uint16_t head = 0;
      const Queue_status next = queue.next_available(head);
      if (next == Queue_status::empty) break;
      if (next == Queue_status::broken || !send(queue, head, pushed)) {
        transport_.needs_reset();
        break;
      }
      notify |= queue.push_used(head, 0);
    }
    if (pushed) queue_.ring();
    if (notify) transport_.used_buffer_notification();
  }

  // The frame in the chain at `head` to the transmit ring, or dropped;
  // false if the chain is broken.
  bool send(const Virtqueue& queue, uint16_t head, bool& pushed) {
    const bool usable = queue_.present() && !stopped_;
    const uint32_t in_flight = usable ? queue_.transmit_in_flight() : 0;
    const bool room = usable && in_flight < device_queue::net_queue_depth;
    uint8_t* slot = room ? queue_.transmit_slot() : nullptr;
    uint64_t bytes = 0;  // device-readable bytes of the chain, header included
    const Queue_status walked = queue.walk(head, [&](uint8_t* data, uint32_t length, bool writable) {
      if (writable) return;          // a device-writable buffer in a transmitq: nothing to send
      const uint64_t start = bytes;  // this buffer's place in the chain's readable bytes
      bytes += length;
      const uint64_t skip = start < virtio_net::header_bytes ? virtio_net::header_bytes - start : 0;
      if (slot == nullptr || skip >= length) return;
      const uint64_t at = start + skip - virtio_net::header_bytes;  // in the frame
      if (at >= device_queue::net_slot_bytes) return;               // too long: dropped below
      const uint64_t n =
          length - skip < device_queue::net_slot_bytes - at ? length - skip : device_queue::net_slot_bytes - at;
      __builtin_memcpy(slot + at, data + skip, n);
    });
    if (walked == Queue_status::broken) return false;
    const uint64_t length = bytes < virtio_net::header_bytes ? 0 : bytes - virtio_net::header_bytes;
    if (length < device_queue::net_min_frame_bytes || length > device_queue::net_max_frame_bytes) {
      ++counts_.dropped_malformed;
    } else if (!usable) {
      ++counts_.dropped_stopped;
    } else if (in_flight > device_queue::net_queue_depth) {
      driver_stopped();  // the driver's index cannot be
      ++counts_.dropped_stopped;
    } else if (!room) {
      ++counts_.dropped_full;
    } else if (queue_.push_transmit(static_cast<uint32_t>(length)) == device_queue::Ring_status::ok) {
      ++counts_.transmitted;
      counts_.bytes_copied += length;
      pushed = true;
    } else {
      ++counts_.dropped_full;
    }
    return true;
  }

  Transport transport_;
  Queue queue_;
  uint8_t mac_[6] = {};
  bool stopped_ = false;
  bool transmit_waiting_ = false;  // chains wait in the transmitq for room in the ring
  Virtio_net_counts counts_{};
};

}  // namespace kestrel::vmm
