// SPDX-License-Identifier: Apache-2.0
// A fake virtio-mmio device for the driver tests: a register file that
// answers as a modern transport does (status, feature words, queue
// registers, config), and a device side of a split virtqueue that takes
// available chains and writes used entries, or any garbage a test wants.
// Physical addresses are host addresses here.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "registers.hpp"
#include "split_queue.hpp"

namespace fake_virtio {

struct Queue_registers {
  uint32_t size_max = 256;
  uint32_t size = 0;
  uint32_t ready = 0;
  uint64_t descriptors = 0, available = 0, used = 0;
};

struct Device {
  uint32_t magic = virtio::magic_value;
  uint32_t version = virtio::modern_version;
  uint32_t device_id = virtio::device_block;
  uint64_t features = virtio::feature_version_1;
  bool refuse_features = false;  // clears FEATURES_OK whatever the driver asks
  uint64_t driver_features = 0;
  uint32_t status = 0;
  uint32_t device_features_select = 0, driver_features_select = 0, queue_select = 0;
  Queue_registers queues[2];
  uint32_t interrupt_status = 0;
  uint32_t config_generation = 0;
  uint8_t config[256] = {};
  std::vector<uint32_t> notified;  // queue numbers written to QueueNotify
  std::vector<uint32_t> status_writes;

  uint32_t read(uint32_t offset) {
    namespace r = virtio::reg;
    switch (offset) {
      case r::magic:
        return magic;
      case r::version:
        return version;
      case r::device_id:
        return device_id;
      case r::device_features:
        return device_features_select < 2 ? static_cast<uint32_t>(features >> (32 * device_features_select)) : 0;
      case r::queue_size_max:
        return queue_select < 2 ? queues[queue_select].size_max : 0;
      case r::queue_ready:
        return queue_select < 2 ? queues[queue_select].ready : 0;
      case r::interrupt_status:
        return interrupt_status;
      case r::status:
        return status;
      case r::config_generation:
        return config_generation;
      default:
        break;
    }
    if (offset >= r::config && offset + 4 <= r::config + sizeof config) {
      uint32_t value;
      std::memcpy(&value, config + (offset - r::config), 4);
      return value;
    }
    return 0;
  }

  void write(uint32_t offset, uint32_t value) {
    namespace r = virtio::reg;
    Queue_registers* queue = queue_select < 2 ? &queues[queue_select] : nullptr;
    auto set_half = [](uint64_t& address, uint32_t half, uint32_t word) {
      address = half == 0 ? (address & ~uint64_t{0xffffffff}) | word : (address & 0xffffffff) | uint64_t{word} << 32;
    };
    switch (offset) {
      case r::device_features_select:
        device_features_select = value;
        break;
      case r::driver_features_select:
        driver_features_select = value;
        break;
      case r::driver_features:
        if (driver_features_select < 2) {
          const uint32_t shift = 32 * driver_features_select;
          driver_features = (driver_features & ~(uint64_t{0xffffffff} << shift)) | uint64_t{value} << shift;
        }
        break;
      case r::queue_select:
        queue_select = value;
        break;
      case r::queue_size:
        if (queue) queue->size = value;
        break;
      case r::queue_ready:
        if (queue) queue->ready = value;
        break;
      case r::queue_notify:
        notified.push_back(value);
        break;
      case r::interrupt_ack:
        interrupt_status &= ~value;
        break;
      case r::queue_descriptors_low:
      case r::queue_descriptors_high:
        if (queue) set_half(queue->descriptors, offset - r::queue_descriptors_low, value);
        break;
      case r::queue_driver_low:
      case r::queue_driver_high:
        if (queue) set_half(queue->available, offset - r::queue_driver_low, value);
        break;
      case r::queue_device_low:
      case r::queue_device_high:
        if (queue) set_half(queue->used, offset - r::queue_device_low, value);
        break;
      case r::status:
        status_writes.push_back(value);
        if (value == 0) {
          status = 0;
          for (auto& q : queues) q.ready = 0;
          break;
        }
        status = value;
        // FEATURES_OK stays only for features the device offered.
        if ((value & virtio::status::features_ok) != 0 && (refuse_features || (driver_features & ~features) != 0))
          status &= ~virtio::status::features_ok;
        break;
      default:
        break;
    }
  }
};

// The Registers type the transport copies: a handle on the fake.
struct Registers {
  Device* device;
  uint32_t read(uint32_t offset) const { return device->read(offset); }
  void write(uint32_t offset, uint32_t value) const { device->write(offset, value); }
};

// The device's side of a split queue at the addresses the driver gave.
struct Chain {
  uint16_t head;
  std::vector<virtio::Descriptor> descriptors;
};

class Queue_device {
 public:
  Queue_device(uint64_t descriptors, uint64_t available, uint64_t used, uint32_t size)
      : descriptors_(reinterpret_cast<virtio::Descriptor*>(descriptors)),
        available_(reinterpret_cast<uint16_t*>(available)),
        used_(reinterpret_cast<uint16_t*>(used)),
        size_(size) {}
  explicit Queue_device(const virtio::Queue_addresses& a, uint32_t size)
      : Queue_device(a.descriptors, a.available, a.used, size) {}

  // Every chain the driver published since the last call, walked by
  // `next` (at most size descriptors, as a device must bound it).
  std::vector<Chain> take_available() {
    std::vector<Chain> chains;
    const uint16_t published = __atomic_load_n(&available_[1], __ATOMIC_ACQUIRE);
    while (seen_ != published) {
      Chain chain{available_[2 + seen_ % size_], {}};
      uint16_t index = chain.head;
      for (uint32_t n = 0; n < size_; ++n) {
        chain.descriptors.push_back(descriptors_[index]);
        if ((descriptors_[index].flags & virtio::descriptor_next) == 0) break;
        index = descriptors_[index].next;
      }
      chains.push_back(chain);
      ++seen_;
    }
    return chains;
  }

  // Writes used entry (id, length) and publishes it.
  void use(uint32_t id, uint32_t length) {
    virtio::Used_element element{id, length};
    std::memcpy(reinterpret_cast<uint8_t*>(used_) + 4 + 8 * (used_index_ % size_), &element, sizeof element);
    ++used_index_;
    __atomic_store_n(&used_[1], used_index_, __ATOMIC_RELEASE);
  }

  // Sets the used index to anything (a lying device).
  void set_used_index(uint16_t value) {
    used_index_ = value;
    __atomic_store_n(&used_[1], value, __ATOMIC_RELEASE);
  }
  void set_used_flags(uint16_t flags) { used_[0] = flags; }
  uint16_t available_flags() const { return available_[0]; }

 private:
  virtio::Descriptor* descriptors_;
  uint16_t* available_;
  uint16_t* used_;
  uint32_t size_;
  uint16_t seen_ = 0;
  uint16_t used_index_ = 0;
};

}  // namespace fake_virtio
