// SPDX-License-Identifier: Apache-2.0
// virtio-console model (virtio 1.x device ID 3) on the modern virtio-mmio
// transport (virtio_mmio.hpp): one port, no control queues, for Linux's
// virtio_console.c, whose port 0 becomes the console hvc0.
//
// Features: VIRTIO_F_VERSION_1 only, and the driver must accept it
// (FEATURES_OK fails otherwise). No VIRTIO_CONSOLE_F_SIZE, F_MULTIPORT or
// F_EMERG_WRITE, so the configuration space (cols, rows, max_nr_ports,
// emerg_wr) reads as zero and ignores writes.
//
// Queues (each at most queue_size_max entries):
//   receiveq0 (0): the driver posts device-writable buffers; receive()
//     fills them with input, in order, and returns each with the bytes
//     written. Device-readable descriptors in it are skipped.
//   transmitq0 (1): on a notification (and at DRIVER_OK, for buffers queued
//     before it), every device-readable byte of each chain goes to the
//     Output, in order; device-writable descriptors are skipped. At most
//     queue-size chains per notification, so a driver that keeps refilling
//     the queue cannot hold the VMM.
// A queue the driver broke (virtio_queue.hpp) sets DEVICE_NEEDS_RESET and
// the queues are not served until the driver resets the device.
//
// How a VMM loop uses it:
//
//   kestrel::vmm::Virtio_console<Console_output> hvc{Guest_memory{ram, size, vmm_view}};
//   ... on an MMIO exit in its frame:
//   if (read) value = hvc.read(offset, size); else hvc.write(offset, size, exit.value);
//   ... on input for the guest: taken = hvc.receive(bytes, count);  // the rest later
//   ... after either:
//   if (hvc.take_level_change() == Level_change::rose) inject(gic.raise_spi(spi));  // edge-triggered
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/vmm/guest_memory.hpp>
#include <kestrel/vmm/mmio.hpp>
#include <kestrel/vmm/virtio_mmio.hpp>
#include <kestrel/vmm/virtio_queue.hpp>

namespace kestrel::vmm {

namespace virtio_console {

inline constexpr uint32_t device_id = 3;
inline constexpr uint32_t receiveq = 0;
inline constexpr uint32_t transmitq = 1;
inline constexpr uint32_t queue_size_max = 64;

}  // namespace virtio_console

template <typename Output>
class Virtio_console {
 public:
  using Transport = Virtio_mmio<2>;

  // No guest memory: every queue the driver sets up fails (DEVICE_NEEDS_RESET).
  constexpr Virtio_console() : Virtio_console(Guest_memory{}) {}
  constexpr explicit Virtio_console(const Guest_memory& memory, const Output& output = Output{})
      : transport_({virtio_console::device_id, virtio::f_version_1, virtio_console::queue_size_max}, memory),
        output_(output) {}

  // `offset` within the device's frame.
  uint64_t read(uint64_t offset, unsigned size) const {
    if (offset >= virtio::config) return 0;  // no configuration field is offered
    return transport_.read(offset, size);
  }

  void write(uint64_t offset, unsigned size, uint64_t value) {
    if (offset >= virtio::config) return;
    const Virtio_write_result result = transport_.write(offset, size, value);
    // A notification of the receiveq needs nothing here: the VMM offers
    // waiting input again after every exit.
    if ((result.event == Virtio_event::queue_notify && result.queue == virtio_console::transmitq) ||
        result.event == Virtio_event::driver_ok) {
      transmit();
    }
  }

  // Input for the guest: as many of `count` bytes as the receive buffers
  // the driver posted take; returns how many. 0 until the driver is ready.
  size_t receive(const uint8_t* bytes, size_t count) {
    if (!transport_.operational()) return 0;
    Virtqueue& queue = transport_.queue(virtio_console::receiveq);
    size_t taken = 0;
    bool notify = false;
    while (taken < count) {
      uint16_t head = 0;
      const Queue_status next = queue.next_available(head);
      if (next == Queue_status::empty) break;
      uint32_t written = 0;
      const Queue_status walked =
          next == Queue_status::broken ? next : queue.walk(head, [&](uint8_t* data, uint32_t length, bool writable) {
            if (!writable) return;  // a device-readable buffer in a receiveq: not for the device to read
            const size_t n = length < count - taken ? length : count - taken;
            for (size_t i = 0; i < n; ++i) data[i] = bytes[taken + i];
            taken += n;
            written += static_cast<uint32_t>(n);
          });
      if (walked == Queue_status::broken) {
        transport_.needs_reset();
        break;
      }
      notify |= queue.push_used(head, written);
    }
    if (notify) transport_.used_buffer_notification();
    return taken;
  }

  // Device reset from the VMM (the VM restarts); the Output is kept.
  constexpr void reset() { transport_.reset(); }

  constexpr Level_change take_level_change() { return transport_.take_level_change(); }
  constexpr bool interrupt_level() const { return transport_.interrupt_level(); }

  constexpr const Transport& transport() const { return transport_; }
  constexpr Output& output() { return output_; }
  constexpr const Output& output() const { return output_; }

 private:
  void transmit() {
    if (!transport_.operational()) return;
    Virtqueue& queue = transport_.queue(virtio_console::transmitq);
    bool notify = false;
    for (uint32_t budget = queue.size; budget > 0; --budget) {
      uint16_t head = 0;
      const Queue_status next = queue.next_available(head);
      if (next == Queue_status::empty) break;
      const Queue_status walked =
          next == Queue_status::broken ? next : queue.walk(head, [&](uint8_t* data, uint32_t length, bool writable) {
            if (writable) return;  // a device-writable buffer in a transmitq: nothing to send
            for (uint32_t i = 0; i < length; ++i) output_.put(static_cast<char>(data[i]));
          });
      if (walked == Queue_status::broken) {
        transport_.needs_reset();
        break;
      }
      notify |= queue.push_used(head, 0);
    }
    if (notify) transport_.used_buffer_notification();
  }

  Transport transport_;
  Output output_;
};

}  // namespace kestrel::vmm
