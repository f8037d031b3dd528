// SPDX-License-Identifier: Apache-2.0
// VM description: what a VMM knows of each VM it serves, as the generated
// <kestrel/slots.hpp> of a program compiled by `kestrel build` states it
// (namespace kestrel::vms, one Vm_description per VM; docs/kestrel.md).
#pragma once

#include <cstdint>

namespace kestrel {

// The policy's EmulatedKind, same numbers.
enum class Emulated_kind : uint32_t {
  virtio_console = 0,
  virtio_block = 1,
  virtio_net = 2,
  pl011 = 3,
};

// A device the VMM emulates: guest accesses to [address, address + size)
// are MMIO exits; `interrupt` is the SPI it raises.
struct Emulated_device {
  const char* name;
  Emulated_kind kind;
  uint64_t address;
  uint64_t size;
  uint32_t interrupt;
};

inline constexpr uint32_t max_described_devices = 16;

struct Vm_description {
  const char* name;
  uint32_t vcpus;
  uint64_t exits;        // slot: receive on the VM's exit endpoint
  uint64_t first_vcpu;   // slot of vCPU 0's control capability; vCPU i is first_vcpu + i
  uint64_t ram_address;  // guest-physical
  uint64_t ram_size;
  uint64_t vmm_ram_address;     // where the VMM sees the guest's RAM (vmmRamAddress); 0: it does not
  uint64_t gic_distributor;     // guest-physical GICD frame (64 KiB)
  uint64_t gic_redistributors;  // guest-physical: 128 KiB per vCPU from here
  uint32_t device_count;
  Emulated_device devices[max_described_devices];
  // The device typed input goes to: the one the guest uses as its console
  // (/dev/console), by the rule Linux follows, the last console= in the
  // bootargs: hvcN is the Nth virtio console, ttyAMAN the Nth PL011, each
  // counted in `devices` order. Without a console= that names one, the
  // first PL011, else the first virtio console. device_count: none.
  uint32_t input_device;
};

}  // namespace kestrel
