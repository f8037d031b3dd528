// SPDX-License-Identifier: Apache-2.0
// Slots: named capability slots for a partition program compiled from
// source, where it sees its memory regions and channels, and the RAM of the
// VMs it is VMM of, as the generated header kestrel/slots.hpp gives them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <kestrel/policy/model.hpp>

namespace kestrel_cli {

struct Named_slot {
  uint64_t slot = 0;
  std::string name;         // C++ identifier: call_console, irq_rtc, ...
  std::string description;  // the summary's text for the slot
};

// `text` as a C++ identifier fragment: every character that is not an ASCII
// letter or digit becomes '_'.
std::string identifier(std::string_view text);

// `text` as a C++ string literal: quotes and backslashes escaped, control
// characters as octal escapes.
std::string string_literal(std::string_view text);

// One name per capability of `partition`, in slot order as the policy
// compiler assigned them (Partition::capabilities); names come from what
// each capability refers to. Two capabilities that would get the same name
// both get their slot number appended.
std::vector<Named_slot> slot_names(const kestrel::policy::Model& model, uint32_t partition);

// A VM's RAM as `partition` (its VMM) sees it (VirtualMachine.vmmRamAddress).
struct Guest_ram_view {
  std::string name;            // C++ identifier prefix: the VM's name, see guest_ram_views
  std::string vm;              // the VM partition's name
  uint64_t address = 0;        // where the VMM sees it
  uint64_t guest_address = 0;  // where the guest sees it (ramAddress)
  uint64_t size = 0;           // ramSize
};

// The RAM of every VM that `partition` maps, in policy order. Each is named
// by identifier(VM name); two VMs whose names give the same identifier both
// get their partition number appended.
std::vector<Guest_ram_view> guest_ram_views(const kestrel::policy::Model& model, uint32_t partition);

// A memory region or channel as the partition's program sees it, for the
// constants kestrel/slots.hpp gives (kestrel::memory, kestrel::channels).
struct Named_mapping {
  std::string name;         // C++ identifier prefix: identifier(policy_name), see named_regions
  std::string policy_name;  // the region's or channel's name in the policy
  uint64_t address = 0;     // where the partition sees it
  uint64_t size = 0;
  bool writable = false;
};

// The memory regions of `partition` (not devices, channels or guest RAM),
// in policy order. Two whose names give the same identifier both get their
// position in the list appended.
std::vector<Named_mapping> named_regions(const kestrel::policy::Model& model, uint32_t partition);

// The channels `partition` writes or reads, in policy order; writable for
// the writer. Named as named_regions names regions.
std::vector<Named_mapping> named_channels(const kestrel::policy::Model& model, uint32_t partition);

// A tunnel `partition` is an end of, as kestrel/slots.hpp gives it
// (kestrel::tunnels::NAME_tunnel, a kestrel::Tunnel_end: docs/ipcm.md).
struct Named_tunnel_end {
  std::string name;         // C++ identifier prefix: identifier(policy_name), position appended on collision
  std::string policy_name;  // the tunnel's name in the policy
  uint32_t id = 0;          // its position in the policy's tunnels: what requests name
  uint64_t address = 0;     // instance 0 in this partition's tunnel window; instance i follows at i x size
  uint64_t size = 0;        // one instance, in bytes
  uint32_t max_open = 1;
  bool writable = false;  // this end writes (access)
  // Slots of this partition; no_tunnel_slot if it has none.
  uint64_t ipcm = 0;           // calls the IPCM's endpoint
  uint64_t wait_doorbell = 0;  // waits on its own doorbell <tunnel>.doorbell.<this end>
  uint64_t ring_doorbell = 0;  // signals the other end's doorbell <tunnel>.doorbell.<other end>
};
inline constexpr uint64_t no_tunnel_slot = ~uint64_t{0};

// The tunnels `partition` is an end of, in policy order; none without an IPCM.
std::vector<Named_tunnel_end> tunnel_ends(const kestrel::policy::Model& model, uint32_t partition);

// The index in vm.emulated of the device the guest's console input goes to
// (Vm_description::input_device): the device the last console= of its
// bootargs names (hvcN: the Nth virtio console, ttyAMAN: the Nth PL011, in
// policy order), as Linux makes that one /dev/console; otherwise the first
// PL011, else the first virtio console; vm.emulated.size() if none.
uint32_t input_device(const kestrel::policy::Virtual_machine& vm);

// The text of kestrel/slots.hpp for `partition`; `policy` is named in its
// opening comment.
std::string slots_header(const kestrel::policy::Model& model, uint32_t partition, std::string_view policy);

}  // namespace kestrel_cli
