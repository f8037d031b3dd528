// SPDX-License-Identifier: Apache-2.0
// The virtio-mmio transport, modern (virtio 1.x, register layout version 2):
// the registers of one virtio device's frame below the device-specific
// configuration space at 0x100, its status and feature negotiation, its
// virtqueues' configuration and its interrupt. A device model
// (virtio_console.hpp) owns one, answers the configuration space itself and
// acts on what write() reports: a queue notification, DRIVER_OK, a reset.
//
// Registers are 32 bits wide and reached with aligned 32-bit accesses (the
// spec requires them of the driver); any other access reads 0 and is
// ignored, as are unknown and read-only registers. Beyond the spec's
// minimum:
//   - FEATURES_OK sticks only if the driver accepted nothing the device did
//     not offer and accepted VIRTIO_F_VERSION_1 (a legacy driver fails);
//     DriverFeatures is ignored once FEATURES_OK is set.
//   - A queue's size and ring addresses are ignored while it is ready.
//     QueueReady = 1 checks them (Virtqueue::enable); a queue that cannot
//     work sets DEVICE_NEEDS_RESET and stays not ready.
//   - Queues are served only while the device is operational: DRIVER_OK and
//     FEATURES_OK set, DEVICE_NEEDS_RESET clear. A notification of a queue
//     that does not exist or is not ready is ignored.
//   - needs_reset() (the device found a broken queue) sets
//     DEVICE_NEEDS_RESET and, once DRIVER_OK is set, raises a configuration
//     change interrupt, as the spec says; only a reset (Status = 0) clears
//     it.
//   - ConfigGeneration counts configuration_changed() calls (0 for a
//     device whose configuration never changes).
//   - No shared memory regions (SHMLen reads as -1, the spec's "none") and
//     no VIRTIO_F_RING_RESET (QueueReset reads 0).
// The interrupt line is InterruptStatus != 0; take_level_change() reports
// its edges for the VMM to raise the SPI (the device tree says edge).
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/vmm/guest_memory.hpp>
#include <kestrel/vmm/mmio.hpp>
#include <kestrel/vmm/virtio_queue.hpp>

namespace kestrel::vmm {

namespace virtio {

inline constexpr uint64_t magic_value = 0x000;
inline constexpr uint64_t version = 0x004;
inline constexpr uint64_t device_id = 0x008;
inline constexpr uint64_t vendor_id = 0x00c;
inline constexpr uint64_t device_features = 0x010;
inline constexpr uint64_t device_features_sel = 0x014;
inline constexpr uint64_t driver_features = 0x020;
inline constexpr uint64_t driver_features_sel = 0x024;
inline constexpr uint64_t queue_sel = 0x030;
inline constexpr uint64_t queue_num_max = 0x034;
inline constexpr uint64_t queue_num = 0x038;
inline constexpr uint64_t queue_ready = 0x044;
inline constexpr uint64_t queue_notify = 0x050;
inline constexpr uint64_t interrupt_status = 0x060;
inline constexpr uint64_t interrupt_ack = 0x064;
inline constexpr uint64_t status = 0x070;
inline constexpr uint64_t queue_desc_low = 0x080;
inline constexpr uint64_t queue_desc_high = 0x084;
inline constexpr uint64_t queue_driver_low = 0x090;
inline constexpr uint64_t queue_driver_high = 0x094;
inline constexpr uint64_t queue_device_low = 0x0a0;
inline constexpr uint64_t queue_device_high = 0x0a4;
inline constexpr uint64_t shm_len_low = 0x0b0;
inline constexpr uint64_t shm_len_high = 0x0b4;
inline constexpr uint64_t shm_base_low = 0x0b8;
inline constexpr uint64_t shm_base_high = 0x0bc;
inline constexpr uint64_t config_generation = 0x0fc;
inline constexpr uint64_t config = 0x100;

inline constexpr uint32_t magic = 0x7472'6976;           // "virt"
inline constexpr uint32_t kestrel_vendor = 0x4c54'534b;  // "KSTL"

// Device status bits.
inline constexpr uint32_t status_acknowledge = 1;
inline constexpr uint32_t status_driver = 2;
inline constexpr uint32_t status_driver_ok = 4;
inline constexpr uint32_t status_features_ok = 8;
inline constexpr uint32_t status_device_needs_reset = 64;
inline constexpr uint32_t status_failed = 128;
inline constexpr uint32_t status_driver_bits =
    status_acknowledge | status_driver | status_driver_ok | status_features_ok | status_failed;

// InterruptStatus bits.
inline constexpr uint32_t interrupt_used_buffer = 1;
inline constexpr uint32_t interrupt_configuration_change = 2;

inline constexpr uint64_t f_version_1 = uint64_t{1} << 32;

}  // namespace virtio

// What a write to the transport asks of the device.
enum class Virtio_event : uint8_t {
  none,
  queue_notify,  // the driver made buffers available in queue `queue`
  driver_ok,     // the driver set DRIVER_OK: buffers it queued before may wait
  reset,         // the driver wrote Status = 0: the transport is reset
};

struct Virtio_write_result {
  Virtio_event event = Virtio_event::none;
  uint32_t queue = 0;
};

struct Virtio_identity {
  uint32_t device_id;
  uint64_t features;  // offered; must include virtio::f_version_1
  uint32_t queue_size_max;
};

template <uint32_t QueueCount>
class Virtio_mmio {
 public:
  static constexpr uint32_t queue_count = QueueCount;

  constexpr Virtio_mmio(const Virtio_identity& identity, const Guest_memory& memory)
      : identity_(identity), memory_(memory) {}

  // A register below virtio::config; `offset` within the frame.
  uint64_t read(uint64_t offset, unsigned size) const {
    if (size != 4 || offset % 4 != 0) return 0;
    switch (offset) {
      case virtio::magic_value:
        return virtio::magic;
      case virtio::version:
        return 2;
      case virtio::device_id:
        return identity_.device_id;
      case virtio::vendor_id:
        return virtio::kestrel_vendor;
      case virtio::device_features:
        return features_sel_ < 2 ? static_cast<uint32_t>(identity_.features >> (32 * features_sel_)) : 0;
      case virtio::queue_num_max:
        return selected() != nullptr ? identity_.queue_size_max : 0;
      case virtio::queue_num:
        return selected() != nullptr ? selected()->size : 0;
      case virtio::queue_ready:
        return selected() != nullptr && selected()->ready() ? 1 : 0;
      case virtio::interrupt_status:
        return interrupt_status_;
      case virtio::status:
        return status_;
      case virtio::queue_desc_low:
      case virtio::queue_desc_high:
        return selected() != nullptr ? half(selected()->descriptor_address, offset) : 0;
      case virtio::queue_driver_low:
      case virtio::queue_driver_high:
        return selected() != nullptr ? half(selected()->driver_address, offset) : 0;
      case virtio::queue_device_low:
      case virtio::queue_device_high:
        return selected() != nullptr ? half(selected()->device_address, offset) : 0;
      case virtio::shm_len_low:
      case virtio::shm_len_high:
      case virtio::shm_base_low:
      case virtio::shm_base_high:
        return 0xffff'ffff;  // no shared memory region
      case virtio::config_generation:
        return config_generation_;
      default:  // the write-only registers
        return 0;
    }
  }

  Virtio_write_result write(uint64_t offset, unsigned size, uint64_t value) {
    if (size != 4 || offset % 4 != 0) return {};
    const auto value32 = static_cast<uint32_t>(value);
    Virtqueue* queue = selected();
    const bool configurable = queue != nullptr && !queue->ready();
    switch (offset) {
      case virtio::device_features_sel:
        features_sel_ = value32;
        break;
      case virtio::driver_features:
        if ((status_ & virtio::status_features_ok) == 0 && driver_features_sel_ < 2) {
          const uint32_t shift = 32 * driver_features_sel_;
          driver_features_ = (driver_features_ & ~(uint64_t{0xffff'ffff} << shift)) | uint64_t{value32} << shift;
        }
        break;
      case virtio::driver_features_sel:
        driver_features_sel_ = value32;
        break;
      case virtio::queue_sel:
        queue_sel_ = value32;
        break;
      case virtio::queue_num:
        if (configurable) queue->size = value32;
        break;
      case virtio::queue_ready:
        if (queue == nullptr) break;
        if (value32 == 0) {
          queue->disable();
        } else if (!queue->ready() && !queue->enable(memory_, identity_.queue_size_max)) {
          needs_reset();
        }
        break;
      case virtio::queue_notify:
        if (operational() && value32 < QueueCount && queues_[value32].ready())
          return {Virtio_event::queue_notify, value32};
        break;
      case virtio::interrupt_ack:
        interrupt_status_ &= ~value32;
        break;
      case virtio::status:
        return write_status(value32);
      case virtio::queue_desc_low:
      case virtio::queue_desc_high:
        if (configurable) set_half(queue->descriptor_address, offset, value32);
        break;
      case virtio::queue_driver_low:
      case virtio::queue_driver_high:
        if (configurable) set_half(queue->driver_address, offset, value32);
        break;
      case virtio::queue_device_low:
      case virtio::queue_device_high:
        if (configurable) set_half(queue->device_address, offset, value32);
        break;
      default:
        break;
    }
    return {};
  }

  // DRIVER_OK and FEATURES_OK, and no DEVICE_NEEDS_RESET: queues are served.
  constexpr bool operational() const {
    return (status_ & (virtio::status_driver_ok | virtio::status_features_ok | virtio::status_device_needs_reset)) ==
           (virtio::status_driver_ok | virtio::status_features_ok);
  }

  constexpr Virtqueue& queue(uint32_t index) { return queues_[index]; }
  constexpr const Virtqueue& queue(uint32_t index) const { return queues_[index]; }
  constexpr uint32_t status() const { return status_; }
  constexpr uint32_t interrupt_status() const { return interrupt_status_; }
  constexpr uint64_t driver_features() const { return driver_features_; }

  // The device put buffers in a used ring and the driver wants to know.
  constexpr void used_buffer_notification() { interrupt_status_ |= virtio::interrupt_used_buffer; }

  // The device cannot go on (the driver broke a queue) until it is reset.
  constexpr void needs_reset() {
    status_ |= virtio::status_device_needs_reset;
    if ((status_ & virtio::status_driver_ok) != 0) interrupt_status_ |= virtio::interrupt_configuration_change;
  }

  // The device changed its configuration space (a net device's link
  // status): a new generation, so a driver reading across the change reads
  // again, and once DRIVER_OK is set a configuration change interrupt.
  constexpr void configuration_changed() {
    ++config_generation_;
    if ((status_ & virtio::status_driver_ok) != 0) interrupt_status_ |= virtio::interrupt_configuration_change;
  }

  // Device reset: status, features, queues and interrupts as at power-on.
  // The interrupt line's last reported level is kept, so a line that was
  // high reports its fall.
  constexpr void reset() {
    const bool reported = reported_level_;
    const uint32_t generation = config_generation_;
    *this = Virtio_mmio(identity_, memory_);
    reported_level_ = reported;
    config_generation_ = generation;  // the configuration the device keeps across a reset
  }

  constexpr bool interrupt_level() const { return interrupt_status_ != 0; }

  constexpr Level_change take_level_change() {
    const bool level = interrupt_level();
    if (level == reported_level_) return Level_change::none;
    reported_level_ = level;
    return level ? Level_change::rose : Level_change::fell;
  }

 private:
  constexpr Virtqueue* selected() { return queue_sel_ < QueueCount ? &queues_[queue_sel_] : nullptr; }
  constexpr const Virtqueue* selected() const { return queue_sel_ < QueueCount ? &queues_[queue_sel_] : nullptr; }

  static constexpr uint32_t half(uint64_t address, uint64_t offset) {
    return static_cast<uint32_t>(offset % 8 == 0 ? address : address >> 32);
  }
  static constexpr void set_half(uint64_t& address, uint64_t offset, uint32_t value) {
    address =
        offset % 8 == 0 ? (address & ~uint64_t{0xffff'ffff}) | value : (address & 0xffff'ffff) | uint64_t{value} << 32;
  }

  constexpr bool features_acceptable() const {
    return (driver_features_ & ~identity_.features) == 0 && (driver_features_ & virtio::f_version_1) != 0;
  }

  constexpr Virtio_write_result write_status(uint32_t value) {
    if (value == 0) {
      reset();
      return {Virtio_event::reset, 0};
    }
    uint32_t accepted = value & virtio::status_driver_bits;
    const bool features_ok_before = (status_ & virtio::status_features_ok) != 0;
    if ((accepted & virtio::status_features_ok) != 0 && !features_ok_before && !features_acceptable()) {
      accepted &= ~virtio::status_features_ok;  // the driver reads it back and gives up
    }
    const bool driver_ok_before = (status_ & virtio::status_driver_ok) != 0;
    status_ = (status_ & virtio::status_device_needs_reset) | accepted;
    if (driver_ok_before || (status_ & virtio::status_driver_ok) == 0) return {};
    // DRIVER_OK now: a device that already needs a reset says so at once.
    if ((status_ & virtio::status_device_needs_reset) != 0) needs_reset();
    return operational() ? Virtio_write_result{Virtio_event::driver_ok, 0} : Virtio_write_result{};
  }

  Virtio_identity identity_;
  Guest_memory memory_;
  Virtqueue queues_[QueueCount]{};
  uint64_t driver_features_ = 0;
  uint32_t features_sel_ = 0;
  uint32_t driver_features_sel_ = 0;
  uint32_t queue_sel_ = 0;
  uint32_t status_ = 0;
  uint32_t interrupt_status_ = 0;
  uint32_t config_generation_ = 0;
  bool reported_level_ = false;
};

}  // namespace kestrel::vmm
