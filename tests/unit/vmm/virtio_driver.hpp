// SPDX-License-Identifier: Apache-2.0
// The driver's side of a virtio-mmio device for the host tests: guest RAM in
// a buffer, virtqueue rings laid out in it as Linux's virtio_ring.c lays
// them out, and the register sequence of Linux's virtio_mmio.c. Tests then
// break any of it on purpose.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <kestrel/vmm/guest_memory.hpp>
#include <kestrel/vmm/virtio_mmio.hpp>
#include <kestrel/vmm/virtio_queue.hpp>

namespace kestrel::vmm::testing {

inline constexpr uint64_t ram_base = 0x4000'0000;
inline constexpr uint64_t ram_size = 0x10000;

// Guest RAM: 64 KiB (or `size`) at ram_base, in a buffer ASan watches, so
// any access of a model outside it is a test failure.
class Guest_ram {
 public:
  explicit Guest_ram(uint64_t size = ram_size) : words_(size / 8, 0) {}

  Guest_memory memory() { return {ram_base, words_.size() * 8, reinterpret_cast<uintptr_t>(words_.data())}; }
  uint64_t size() const { return words_.size() * 8; }
  uint8_t* at(uint64_t guest_address) { return reinterpret_cast<uint8_t*>(words_.data()) + (guest_address - ram_base); }

  template <typename T>
  T get(uint64_t guest_address) {
    T value;
    std::memcpy(&value, at(guest_address), sizeof value);
    return value;
  }
  template <typename T>
  void set(uint64_t guest_address, T value) {
    std::memcpy(at(guest_address), &value, sizeof value);
  }
  void put_bytes(uint64_t guest_address, const std::string& bytes) {
    std::memcpy(at(guest_address), bytes.data(), bytes.size());
  }
  std::string bytes(uint64_t guest_address, size_t count) {
    return std::string(reinterpret_cast<const char*>(at(guest_address)), count);
  }

 private:
  std::vector<uint64_t> words_;
};

// One split virtqueue as the driver sees it: rings at fixed places in RAM.
struct Driver_queue {
  Guest_ram& ram;
  uint32_t size;
  uint64_t descriptors;
  uint64_t available;
  uint64_t used;
  uint16_t next_descriptor = 0;
  uint16_t available_index = 0;

  void set_descriptor(uint16_t index, uint64_t address, uint32_t length, uint16_t flags, uint16_t next) {
    const uint64_t at = descriptors + 16 * uint64_t{index};
    ram.set<uint64_t>(at, address);
    ram.set<uint32_t>(at + 8, length);
    ram.set<uint16_t>(at + 12, flags);
    ram.set<uint16_t>(at + 14, next);
  }
  // Puts `head` in the available ring and publishes it.
  void make_available(uint16_t head) {
    ram.set<uint16_t>(available + 4 + 2 * (available_index % size), head);
    ++available_index;
    ram.set<uint16_t>(available + 2, available_index);
  }
  // A chain of buffers (address, length), all readable or all writable;
  // returns its head.
  uint16_t add_chain(const std::vector<std::pair<uint64_t, uint32_t>>& buffers, bool device_writable) {
    const auto head = static_cast<uint16_t>(next_descriptor % size);
    for (size_t i = 0; i < buffers.size(); ++i) {
      const auto index = static_cast<uint16_t>(next_descriptor++ % size);
      const bool last = i + 1 == buffers.size();
      const uint16_t flags =
          static_cast<uint16_t>((last ? 0 : virtq::desc_f_next) | (device_writable ? virtq::desc_f_write : 0));
      set_descriptor(index, buffers[i].first, buffers[i].second, flags, static_cast<uint16_t>(next_descriptor % size));
    }
    make_available(head);
    return head;
  }
  uint16_t used_index() { return ram.get<uint16_t>(used + 2); }
  uint32_t used_id(uint16_t i) { return ram.get<uint32_t>(used + 4 + 8 * (i % size)); }
  uint32_t used_length(uint16_t i) { return ram.get<uint32_t>(used + 8 + 8 * (i % size)); }
};

// Register accesses the way Linux's virtio_mmio.c makes them (32-bit).
template <typename Device>
struct Driver {
  Device& device;

  uint32_t read(uint64_t offset) { return static_cast<uint32_t>(device.read(offset, 4)); }
  void write(uint64_t offset, uint32_t value) { device.write(offset, 4, value); }
  void add_status(uint32_t bits) { write(virtio::status, read(virtio::status) | bits); }

  // ACKNOWLEDGE, DRIVER, features (`features` accepted), FEATURES_OK; true
  // if the device kept FEATURES_OK.
  bool negotiate(uint64_t features = virtio::f_version_1) {
    write(virtio::status, 0);
    add_status(virtio::status_acknowledge);
    add_status(virtio::status_driver);
    write(virtio::driver_features_sel, 1);
    write(virtio::driver_features, static_cast<uint32_t>(features >> 32));
    write(virtio::driver_features_sel, 0);
    write(virtio::driver_features, static_cast<uint32_t>(features));
    add_status(virtio::status_features_ok);
    return (read(virtio::status) & virtio::status_features_ok) != 0;
  }

  void configure_queue(uint32_t index, uint32_t size, uint64_t descriptors, uint64_t available, uint64_t used) {
    write(virtio::queue_sel, index);
    write(virtio::queue_num, size);
    write(virtio::queue_desc_low, static_cast<uint32_t>(descriptors));
    write(virtio::queue_desc_high, static_cast<uint32_t>(descriptors >> 32));
    write(virtio::queue_driver_low, static_cast<uint32_t>(available));
    write(virtio::queue_driver_high, static_cast<uint32_t>(available >> 32));
    write(virtio::queue_device_low, static_cast<uint32_t>(used));
    write(virtio::queue_device_high, static_cast<uint32_t>(used >> 32));
    write(virtio::queue_ready, 1);
  }

  // A queue with its rings in RAM from `base` (descriptors, then the
  // available ring, then the used ring at the next 4 KiB), made ready.
  Driver_queue setup_queue(Guest_ram& ram, uint32_t index, uint32_t size, uint64_t base) {
    Driver_queue queue{ram, size, base, base + 16 * uint64_t{size}, base + 0x1000};
    configure_queue(index, size, queue.descriptors, queue.available, queue.used);
    return queue;
  }
};

}  // namespace kestrel::vmm::testing
