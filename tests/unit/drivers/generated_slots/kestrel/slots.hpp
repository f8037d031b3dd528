// SPDX-License-Identifier: Apache-2.0
// A stand-in for the <kestrel/slots.hpp> that `kestrel build` generates for
// a driver partition of a block device "disk0" (one client) and a network
// "lan" without NIC, as the driver programs expect it (docs/devices.md,
// "Drivers"): kestrel::devices::block_drivers[] and net_drivers[] of
// runtime/include/kestrel/device_description.hpp, and the console endpoint
// slot call_console. Only driver_slots_test.cpp sees it.
#pragma once

#include <cstdint>

namespace kestrel::slots {

constexpr const char* partition_name = "disk-driver";
constexpr uint64_t call_console = 0;
constexpr uint64_t wait_disk0_driver = 1;
constexpr uint64_t irq_virtio31 = 2;
constexpr uint64_t signal_disk0_doorbell_alpha = 3;
constexpr uint64_t wait_lan_driver = 4;
constexpr uint64_t signal_lan_doorbell_alpha = 5;
constexpr uint64_t count = 6;

}  // namespace kestrel::slots

#include <kestrel/device_description.hpp>

namespace kestrel::devices {

constexpr uint32_t block_driver_count = 1;
constexpr Block_driver_description block_drivers[] = {
    {.device = "disk0",
     .mmio_address = 0x0a00'3e00,
     .interrupt = slots::irq_virtio31,
     .wait = slots::wait_disk0_driver,
     .dma_address = 0x0100'0000,
     .dma_physical = 0x4800'0000,
     .dma_size = 0x10000,
     .disk_sectors = 2048,
     .client_count = 1,
     .clients = {{"alpha", 0x0200'0000, 0x4900'0000, 0, 1024, false, slots::signal_disk0_doorbell_alpha, 1}}},
};

constexpr uint32_t net_driver_count = 1;
constexpr Net_driver_description net_drivers[] = {
    {.network = "lan",
     .mmio_address = 0,
     .interrupt = no_slot,
     .wait = slots::wait_lan_driver,
     .dma_address = 0,
     .dma_physical = 0,
     .dma_size = 0,
     .port_count = 1,
     .ports = {{"alpha",
                0x0300'0000,
                0x4a00'0000,
                {0x52, 0x54, 0, 0x12, 0x34, 0x56},
                0,
                slots::signal_lan_doorbell_alpha,
                1}}},
};

}  // namespace kestrel::devices
