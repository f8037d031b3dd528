// SPDX-License-Identifier: Apache-2.0
// virtio-mmio registers: the offsets and bits of the modern (version 2)
// MMIO transport a driver partition uses (virtio 1.x, "MMIO Device Register
// Layout"), and the register access on the target. The transport reaches
// registers only through an access type with read(offset) and
// write(offset, value), so host tests put a fake device behind it.
#pragma once

#include <cstdint>

namespace virtio {

namespace reg {
inline constexpr uint32_t magic = 0x000;  // "virt", little-endian
inline constexpr uint32_t version = 0x004;
inline constexpr uint32_t device_id = 0x008;
inline constexpr uint32_t vendor_id = 0x00c;
inline constexpr uint32_t device_features = 0x010;
inline constexpr uint32_t device_features_select = 0x014;
inline constexpr uint32_t driver_features = 0x020;
inline constexpr uint32_t driver_features_select = 0x024;
inline constexpr uint32_t queue_select = 0x030;
inline constexpr uint32_t queue_size_max = 0x034;
inline constexpr uint32_t queue_size = 0x038;
inline constexpr uint32_t queue_ready = 0x044;
inline constexpr uint32_t queue_notify = 0x050;
inline constexpr uint32_t interrupt_status = 0x060;
inline constexpr uint32_t interrupt_ack = 0x064;
inline constexpr uint32_t status = 0x070;
inline constexpr uint32_t queue_descriptors_low = 0x080;
inline constexpr uint32_t queue_descriptors_high = 0x084;
inline constexpr uint32_t queue_driver_low = 0x090;  // the available ring
inline constexpr uint32_t queue_driver_high = 0x094;
inline constexpr uint32_t queue_device_low = 0x0a0;  // the used ring
inline constexpr uint32_t queue_device_high = 0x0a4;
inline constexpr uint32_t config_generation = 0x0fc;
inline constexpr uint32_t config = 0x100;  // the device-specific configuration
inline constexpr uint32_t window_bytes = 0x200;
}  // namespace reg

inline constexpr uint32_t magic_value = 0x7472'6976;
inline constexpr uint32_t modern_version = 2;

// Device status bits.
namespace status {
inline constexpr uint32_t acknowledge = 1;
inline constexpr uint32_t driver = 2;
inline constexpr uint32_t driver_ok = 4;
inline constexpr uint32_t features_ok = 8;
inline constexpr uint32_t needs_reset = 64;
inline constexpr uint32_t failed = 128;
}  // namespace status

// Feature bits every driver here knows.
inline constexpr uint64_t feature_bit(unsigned bit) { return uint64_t{1} << bit; }
inline constexpr uint64_t feature_version_1 = feature_bit(32);

// InterruptStatus bits.
inline constexpr uint32_t interrupt_used_buffer = 1;
inline constexpr uint32_t interrupt_config_change = 2;

// Device ids.
inline constexpr uint32_t device_net = 1;
inline constexpr uint32_t device_block = 2;

// The target's registers: 32-bit accesses at the transport's mapped
// address. Every write is ordered after the driver's earlier writes to
// memory (a queue notify must not overtake the ring it announces), every
// read before its later reads of memory (InterruptStatus, then the used
// ring); outer-shareable, as the device is another observer.
struct Mmio_registers {
  uint64_t base;

  uint32_t read(uint32_t offset) const {
    const uint32_t value = *reinterpret_cast<volatile const uint32_t*>(base + offset);
#if defined(__aarch64__)
    asm volatile("dmb oshld" ::: "memory");
#endif
    return value;
  }
  void write(uint32_t offset, uint32_t value) const {
#if defined(__aarch64__)
    asm volatile("dmb osh" ::: "memory");
#endif
    *reinterpret_cast<volatile uint32_t*>(base + offset) = value;
  }
};

}  // namespace virtio
