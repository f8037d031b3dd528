// SPDX-License-Identifier: Apache-2.0
// virtio-mmio transport, the driver's side: identifying the device,
// negotiating features, setting queues up and the interrupt and notify
// registers (virtio 1.x, "Device Initialization" and "MMIO-specific
// Initialization And Device Operation"). Registers is any type with
// uint32_t read(uint32_t offset) and void write(uint32_t offset, uint32_t
// value) (registers.hpp; a fake device in the host tests).
//
// Only the modern transport (version 2) is driven: a legacy device (version
// 1) uses another queue layout and is refused. The device's answers are
// checked where a wrong one would hurt (FEATURES_OK read back, QueueReady
// and QueueNumMax before a queue is set up).
#pragma once

#include <cstdint>

#include "registers.hpp"

namespace virtio {

enum class Probe_status : uint32_t {
  ok = 0,
  no_transport = 1,  // MagicValue is not "virt"
  legacy = 2,        // Version is not 2
  no_device = 3,     // DeviceID 0: a transport with nothing behind it
  wrong_device = 4,  // another kind of device than the driver drives
};

enum class Negotiation_status : uint32_t {
  ok = 0,
  no_version_1 = 1,      // the device does not offer VIRTIO_F_VERSION_1
  missing_feature = 2,   // it lacks a feature the driver requires
  features_refused = 3,  // FEATURES_OK did not stay set
};

enum class Queue_status : uint32_t {
  ok = 0,
  no_queue = 1,   // QueueNumMax 0: the device has no such queue
  too_small = 2,  // QueueNumMax below the size asked for
  in_use = 3,     // QueueReady already set (a reset did not take)
};

// Physical addresses of a split virtqueue's three parts.
struct Queue_addresses {
  uint64_t descriptors;
  uint64_t available;
  uint64_t used;
};

template <class Registers>
class Transport {
 public:
  explicit Transport(Registers registers) : registers_(registers) {}

  Probe_status probe(uint32_t expected_device) const {
    if (registers_.read(reg::magic) != magic_value) return Probe_status::no_transport;
    if (registers_.read(reg::version) != modern_version) return Probe_status::legacy;
    const uint32_t id = registers_.read(reg::device_id);
    if (id == 0) return Probe_status::no_device;
    return id == expected_device ? Probe_status::ok : Probe_status::wrong_device;
  }

  uint32_t device_id() const { return registers_.read(reg::device_id); }

  // Writing 0 resets the device; the driver waits until it reads back 0
  // (a device may take time; QEMU's is at once). Bounded: a device that
  // never finishes is left to negotiate()'s later checks.
  void reset() {
    registers_.write(reg::status, 0);
    for (int tries = 0; tries < 1000 && registers_.read(reg::status) != 0; ++tries) {
    }
  }

  // Reset, ACKNOWLEDGE, DRIVER, then the features: `accepted` gets what
  // both sides have of `wanted` | VIRTIO_F_VERSION_1; every bit of
  // `required` must be offered. Ends with FEATURES_OK checked, or FAILED set.
  Negotiation_status negotiate(uint64_t wanted, uint64_t required, uint64_t& accepted) {
    accepted = 0;
    reset();
    set_status(status::acknowledge);
    set_status(status::acknowledge | status::driver);
    const uint64_t offered = device_features();
    if ((offered & feature_version_1) == 0) return fail(Negotiation_status::no_version_1);
    if ((offered & required) != required) return fail(Negotiation_status::missing_feature);
    accepted = offered & (wanted | required | feature_version_1);
    for (uint32_t word = 0; word < 2; ++word) {
      registers_.write(reg::driver_features_select, word);
      registers_.write(reg::driver_features, static_cast<uint32_t>(accepted >> (32 * word)));
    }
    set_status(status::acknowledge | status::driver | status::features_ok);
    if ((registers_.read(reg::status) & status::features_ok) == 0) {
      accepted = 0;
      return fail(Negotiation_status::features_refused);
    }
    return Negotiation_status::ok;
  }

  uint64_t device_features() {
    uint64_t features = 0;
    for (uint32_t word = 0; word < 2; ++word) {
      registers_.write(reg::device_features_select, word);
      features |= uint64_t{registers_.read(reg::device_features)} << (32 * word);
    }
    return features;
  }

  // The largest queue `index` can have (0: none).
  uint32_t queue_size_max(uint32_t index) {
    registers_.write(reg::queue_select, index);
    return registers_.read(reg::queue_size_max);
  }

  Queue_status set_up_queue(uint32_t index, uint32_t size, const Queue_addresses& addresses) {
    registers_.write(reg::queue_select, index);
    if (registers_.read(reg::queue_ready) != 0) return Queue_status::in_use;
    const uint32_t most = registers_.read(reg::queue_size_max);
    if (most == 0) return Queue_status::no_queue;
    if (most < size) return Queue_status::too_small;
    registers_.write(reg::queue_size, size);
    write_address(reg::queue_descriptors_low, addresses.descriptors);
    write_address(reg::queue_driver_low, addresses.available);
    write_address(reg::queue_device_low, addresses.used);
    registers_.write(reg::queue_ready, 1);
    return Queue_status::ok;
  }

  // The device may work now (after its queues are set up).
  void driver_ok() { set_status(status::acknowledge | status::driver | status::features_ok | status::driver_ok); }

  // Gives up on the device: it stops using the queues.
  void set_failed() { registers_.write(reg::status, registers_.read(reg::status) | status::failed); }

  bool needs_reset() const { return (registers_.read(reg::status) & status::needs_reset) != 0; }

  void notify(uint32_t queue) { registers_.write(reg::queue_notify, queue); }

  // Takes the interrupt's causes and acknowledges them, so the device drops
  // its interrupt line before the driver lets the interrupt fire again.
  uint32_t take_interrupt() {
    const uint32_t causes = registers_.read(reg::interrupt_status);
    if (causes != 0) registers_.write(reg::interrupt_ack, causes);
    return causes;
  }

  uint32_t config32(uint32_t offset) const { return registers_.read(reg::config + offset); }

  // A 64-bit configuration field read consistently: ConfigGeneration the
  // same before and after both halves. A device that keeps changing it gets
  // its last value after a bounded number of tries, not a driver that spins.
  uint64_t config64(uint32_t offset) const {
    uint64_t value = 0;
    for (int tries = 0; tries < 16; ++tries) {
      const uint32_t before = registers_.read(reg::config_generation);
      value = config32(offset) | uint64_t{config32(offset + 4)} << 32;
      if (registers_.read(reg::config_generation) == before) break;
    }
    return value;
  }

  // Byte `offset` of the configuration (MMIO config space may be read in
  // bytes; here through the aligned word that holds it).
  uint8_t config8(uint32_t offset) const { return static_cast<uint8_t>(config32(offset & ~3U) >> (8 * (offset & 3U))); }

 private:
  void set_status(uint32_t bits) { registers_.write(reg::status, bits); }

  Negotiation_status fail(Negotiation_status why) {
    set_failed();
    return why;
  }

  void write_address(uint32_t low, uint64_t address) {
    registers_.write(low, static_cast<uint32_t>(address));
    registers_.write(low + 4, static_cast<uint32_t>(address >> 32));
  }

  Registers registers_;
};

}  // namespace virtio
