// SPDX-License-Identifier: Apache-2.0
// VM tunnels: where a VM sees the tunnels it is an end of, the SPI each
// one's doorbell raises and the VMM's tunnel control page, for the image
// builder (the guest's device tree), `kestrel build` (the VMM's
// Vm_description) and the validators (docs/ipcm.md, "The VM end of a
// tunnel").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <kestrel/policy/model.hpp>

namespace kestrel::policy {

// Highest SPI the GIC has (INTID 1019).
inline constexpr uint32_t last_spi = 1019;

// How many tunnels a VM may be an end of: the VMM's Vm_description holds
// that many (kestrel::max_described_tunnels, runtime/include/kestrel/
// vm_description.hpp; a unit test keeps the two equal). KP1020.
inline constexpr uint32_t max_vm_tunnels = 8;

// Whether a stack region's name makes its thread one of the VMM's doorbell
// threads (vmm-server/vmm.cpp): "tunnel-stack", "tunnel-stack-1", ...
inline bool is_doorbell_stack(const std::string& region_name) { return region_name.rfind("tunnel-stack", 0) == 0; }

struct Vm_tunnel {
  uint32_t tunnel = none;  // index in Model::tunnels: the tunnel's id
  uint32_t end = 0;        // 0 or 1: which of its ends the VM is
  uint64_t address = 0;    // guest-physical: instance 0 in the VM's window; instance i at address + i x size
  uint64_t size = 0;       // bytes of one instance
  uint32_t max_open = 0;
  uint32_t spi = 0;  // the INTID its doorbell raises in the guest
};

// The tunnels of VM partition `vm`, in policy order (its window layout is
// the IPCM's: every earlier tunnel of the VM takes size x maxOpen first).
// Each gets an SPI: the first ones above every SPI the VM's devices
// (emulated and granted) use, in the same order, so they never clash and
// the guest's GIC needs as few SPIs as possible. An SPI past last_spi is
// reported (KP1019) and should not be used.
std::vector<Vm_tunnel> vm_tunnels(const Model& model, uint32_t vm);

// The VMM's tunnel control page for the VM: the 4 KiB page right after its
// tunnel window, outside it, so that the IPCM (whose "map into" capability
// is bounded to the window) can never map memory over it.
inline uint64_t tunnel_control_address(const Partition& vm) { return vm.tunnel_window.base + vm.tunnel_window.size; }
inline constexpr uint64_t tunnel_control_size = 0x1000;

}  // namespace kestrel::policy
