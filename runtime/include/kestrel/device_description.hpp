// SPDX-License-Identifier: Apache-2.0
// Device descriptions: what a block or net driver partition and its clients
// know of their queues, as the generated <kestrel/slots.hpp> of a program
// built by `kestrel build` states them (namespace kestrel::devices;
// docs/devices.md). The queues' layout is device_queue.hpp's.
#pragma once

#include <cstdint>

#include <kestrel/device_queue.hpp>

namespace kestrel {

inline constexpr uint64_t no_slot = ~uint64_t{0};

// ---- Client side (a native partition, or the VMM for its VM) -------------

// One block device slice this partition uses.
struct Block_client_description {
  const char* device;      // the policy's block device
  const char* client;      // the client partition: this one, or the VM a VMM acts for
  uint32_t index;          // the client's place in the device's list: its doorbell bit
  uint64_t queue_address;  // where this partition sees its queue region (device_queue::block_queue_bytes)
  uint64_t sectors;        // the slice's size (sectorCount); requests count from its start
  bool read_only;
  uint64_t ring_driver;  // slot: signal the driver (badge client_doorbell_bit(index))
  // slot: the notification the driver rings. A native client owns its own,
  // <device>.doorbell.<client>, with responses_badge = responses_bit and
  // stopped_badge = driver_stopped_bit. A VMM waits for all of a VM's
  // devices on one, <vm>.device-doorbells, in which the VM's k-th backed
  // emulated device has bits 2k (responses), 2k + 1 (driver stopped) and
  // 32 + k (guest_notify_badge).
  uint64_t wait;
  uint64_t responses_badge;
  uint64_t stopped_badge;
  // A VMM's: the bit the kernel sets in `wait` when the guest writes the
  // device's QueueNotify (a guest doorbell, docs/vmm.md); 0 for a native
  // client.
  uint64_t guest_notify_badge = 0;
};

// One network port this partition uses.
struct Net_client_description {
  const char* network;
  const char* client;
  uint32_t index;
  uint64_t queue_address;  // device_queue::net_queue_bytes
  uint8_t mac[6];          // the port's MAC from the policy: the only source address the switch lets out
  uint64_t ring_driver;
  uint64_t wait;  // as in Block_client_description
  uint64_t responses_badge;
  uint64_t stopped_badge;
  uint64_t guest_notify_badge = 0;
};

// ---- Driver side ---------------------------------------------------------

struct Block_driver_client {
  const char* name;
  uint64_t queue_address;   // where the driver sees this client's queue region
  uint64_t queue_physical;  // its physical address, for the device's DMA
  uint64_t first_sector;    // the slice on the disk
  uint64_t sectors;
  bool read_only;
  uint64_t ring_client;      // slot: signal the client's doorbell
  uint64_t responses_badge;  // with this badge (the client's responses_badge)
};

struct Block_driver_description {
  const char* device;     // the policy's block device
  uint64_t mmio_address;  // where the driver sees the virtio-mmio transport's registers
  uint64_t interrupt;     // slot: acknowledge the device's interrupt (irq_ack)
  uint64_t wait;          // slot: wait on <device>.driver (device_interrupt_bit, client_doorbell_bit(i))
  uint64_t dma_address;   // the driver's own DMA memory (virtqueues, request headers)
  uint64_t dma_physical;
  uint64_t dma_size;
  uint64_t disk_sectors;  // the disk's size in the policy: every slice lies inside it
  uint32_t client_count;
  Block_driver_client clients[device_queue::max_clients];
};

// Port index `outside` in a Net_driver_port's reach mask: the NIC.
inline constexpr uint32_t net_outside_port = 63;

struct Net_driver_port {
  const char* name;
  uint64_t queue_address;
  uint64_t queue_physical;
  uint8_t mac[6];
  uint64_t reaches;  // bit j: frames may pass between this port and port j; bit net_outside_port: the NIC
  uint64_t ring_client;
  uint64_t responses_badge;
};

struct Net_driver_description {
  const char* network;
  uint64_t mmio_address;  // 0: no NIC, a switch between the ports only
  uint64_t interrupt;     // slot; no_slot without a NIC
  uint64_t wait;
  uint64_t dma_address;
  uint64_t dma_physical;
  uint64_t dma_size;
  uint32_t port_count;
  Net_driver_port ports[device_queue::max_clients];
};

}  // namespace kestrel
