// SPDX-License-Identifier: Apache-2.0
// VM description: what a VMM knows of each VM it serves, as the generated
// <kestrel/slots.hpp> of a program compiled by `kestrel build` states it
// (namespace kestrel::vms, one Vm_description per VM; docs/kestrel.md).
#pragma once

#include <cstdint>

#include <kestrel/abi/limits.hpp>

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
  // virtio_block, virtio_net: the queue behind it, an index into the VMM's
  // kestrel::devices::block_clients (virtio_block) or net_clients
  // (virtio_net) (kestrel/device_description.hpp); ~0u for the others.
  uint32_t backend;
};

inline constexpr uint32_t max_described_devices = 16;
inline constexpr uint32_t max_described_vcpus = abi::max_cpus;  // a VM has at most one vCPU per CPU (KP0616)

// The endpoint on which the exits of the VM's vCPUs on `cpu` arrive, served
// by the VMM's thread on that CPU (docs/vmm.md): no exit crosses CPUs.
struct Exit_endpoint {
  uint32_t cpu;
  uint64_t slot;    // receive on it
  uint32_t thread;  // the VMM's thread that receives there: its index in kestrel::slots::threads
};

// A tunnel the VM is an end of (docs/ipcm.md, "The VM end of a tunnel"):
// the VMM calls the IPCM for the VM, waits on its doorbell and raises
// `interrupt` in the guest, which sees instance i at address + i x size.
struct Vm_tunnel {
  const char* name;
  uint32_t id;       // the tunnel's id in the IPCM's protocol (its place in the policy)
  uint64_t address;  // guest-physical: instance 0 in the VM's tunnel window
  uint64_t size;
  uint32_t max_open;
  uint32_t interrupt;      // the SPI the doorbell raises in the guest
  uint64_t ipcm;           // slot: call the IPCM's endpoint with the VM's badge
  uint64_t wait_doorbell;  // slot: the VM's doorbell <tunnel>.doorbell.<vm>; ~0 without a doorbell
  uint64_t ring_doorbell;  // slot: signal the other end's doorbell; ~0 without one
};

inline constexpr uint32_t max_described_tunnels = 8;

struct Vm_description {
  const char* name;
  uint32_t vcpus;
  uint32_t vcpu_cpus[max_described_vcpus];  // the CPU vCPU i runs on
  uint32_t exit_endpoint_count;             // one per CPU its vCPUs run on, in the order of the vCPUs
  Exit_endpoint exit_endpoints[max_described_vcpus];
  uint64_t first_vcpu;   // slot of vCPU 0's control capability; vCPU i is first_vcpu + i
  uint64_t ram_address;  // guest-physical
  uint64_t ram_size;
  uint64_t vmm_ram_address;     // where the VMM sees the guest's RAM (vmmRamAddress); 0: it does not
  uint64_t gic_distributor;     // guest-physical GICD frame (64 KiB)
  uint64_t gic_redistributors;  // guest-physical: 128 KiB per vCPU from here
  uint32_t device_count;
  Emulated_device devices[max_described_devices];

  // The slot of the exit endpoint for the vCPUs on `cpu`; ~0 if none runs there.
  constexpr uint64_t exits_on(uint32_t cpu) const {
    for (uint32_t i = 0; i < exit_endpoint_count; ++i) {
      if (exit_endpoints[i].cpu == cpu) return exit_endpoints[i].slot;
    }
    return ~uint64_t{0};
  }

  // The device typed input goes to: the one the guest uses as its console
  // (/dev/console), by the rule Linux follows, the last console= in the
  // bootargs: hvcN is the Nth virtio console, ttyAMAN the Nth PL011, each
  // counted in `devices` order. Without a console= that names one, the
  // first PL011, else the first virtio console. device_count: none.
  uint32_t input_device;

  // The VMM's tunnel control page (guest-physical, 4 KiB), right after the
  // VM's tunnel window; 0 when the VM is no tunnel end.
  uint64_t tunnel_control;
  uint32_t tunnel_count;
  Vm_tunnel tunnels[max_described_tunnels];
};

}  // namespace kestrel
