// SPDX-License-Identifier: Apache-2.0
// Guest placement: where a VM's payloads (its kernel, initrd and device tree)
// go in its guest RAM, for the image layout (image.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <kestrel/abi/boot_info.hpp>
#include <kestrel/policy/model.hpp>
#include <kestrel/sysimage/image.hpp>

namespace kestrel::sysimage {

// What placing a guest needs from the image being laid out: the files the
// policy names, a place for errors, and the pieces and seed placeholders it
// adds.
struct Guest_placement_context {
  const policy::Platform& platform;
  const policy::Model& model;  // for the VM's tunnels (policy/vm_tunnels.hpp)
  // A file named in the policy (or nothing, having reported the error).
  std::function<std::optional<std::string>(const std::string& name, const std::string& what)> find_file;
  std::function<std::optional<std::vector<uint8_t>>(const std::string& path)> read_payload;
  std::function<void(std::string message)> error;
  std::vector<Loaded_piece>& pieces;
  std::vector<abi::Guest_seed_entry>& guest_seeds;
};

// VM: the guest kernel (arm64 Image or bare-metal ELF), initrd and device
// tree in guest RAM, as the Linux arm64 boot protocol asks; sets the vCPUs'
// entry points and the first one's boot argument (the device tree).
void place_guest_payloads(uint32_t index, policy::Partition& partition, const Guest_placement_context& context);

}  // namespace kestrel::sysimage
