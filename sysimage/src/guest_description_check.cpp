// SPDX-License-Identifier: Apache-2.0
// Guest description checks: everything wrong with a description, found
// before any of the tree is generated (device_tree.cpp).
#include <algorithm>
#include <limits>
#include <set>
#include <string_view>

#include "device_tree_internal.hpp"

namespace kestrel::sysimage::detail {
namespace {

constexpr uint32_t last_spi = 1019;
constexpr uint64_t redistributor_frame_size = 0x20000;  // RD_base + SGI_base, 64 KiB each

uint64_t last_byte(const Address_range& range) { return range.base + (range.size - 1); }
bool wraps(const Address_range& range) {
  return range.size != 0 && range.size - 1 > std::numeric_limits<uint64_t>::max() - range.base;
}
bool contains(const Address_range& outer, const Address_range& inner) {
  return inner.base >= outer.base && last_byte(inner) <= last_byte(outer);
}

// Devicetree spec 2.2.1: 1-31 characters from this set; '@' starts the unit address.
bool is_valid_node_basename(std::string_view name) {
  return !name.empty() && name.size() <= 31 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           std::string_view(",._+-").find(c) != std::string_view::npos;
  });
}

struct Named_range {
  std::string owner;
  Address_range range;
};

void check_range(std::vector<std::string>& problems, std::vector<Named_range>& ranges, const std::string& owner,
                 const Address_range& range) {
  if (range.size == 0) {
    problems.push_back(owner + " at " + hex(range.base) + " has size 0");
  } else if (wraps(range)) {
    problems.push_back(owner + " at " + hex(range.base) + " (size " + hex(range.size) +
                       ") runs past the end of the address space");
  } else {
    ranges.push_back({owner, range});
  }
}

// Overlapping guest-physical ranges would make the guest program one device through another's registers.
void check_overlaps(std::vector<std::string>& problems, std::vector<Named_range> ranges) {
  std::sort(ranges.begin(), ranges.end(), [](const auto& a, const auto& b) { return a.range.base < b.range.base; });
  const Named_range* reaching_furthest = nullptr;
  for (const auto& current : ranges) {
    if (reaching_furthest && current.range.base <= last_byte(reaching_furthest->range)) {
      problems.push_back(reaching_furthest->owner + " at " + hex(reaching_furthest->range.base) + " and " +
                         current.owner + " at " + hex(current.range.base) + " overlap");
    }
    if (!reaching_furthest || last_byte(current.range) > last_byte(reaching_furthest->range)) {
      reaching_furthest = &current;
    }
  }
}

void check_device(std::vector<std::string>& problems, std::vector<Named_range>& ranges, const Guest_device& device) {
  const std::string label = "device '" + (device.registers.empty() ? device.name : device_node_name(device)) + "'";
  if (!is_valid_node_basename(device.name)) {
    problems.push_back(label + ": the name must be 1-31 characters from a-z A-Z 0-9 , . _ + -");
  }
  if (device.compatible.empty()) problems.push_back(label + " has no compatible string");
  for (const auto& compatible : device.compatible) {
    if (compatible.empty() || compatible.find('\0') != std::string::npos) {
      problems.push_back(label + " has an empty compatible string or one containing NUL");
    }
  }
  if (device.registers.empty()) problems.push_back(label + " has no registers");
  for (const auto& registers : device.registers) check_range(problems, ranges, label + " register range", registers);
  for (uint32_t intid : device.interrupts) {
    if (intid < first_spi || intid > last_spi) {
      problems.push_back(label + " has interrupt " + std::to_string(intid) + ", which is not an SPI (32-1019)");
    }
  }
  for (const auto& clock_name : device.clock_names) {
    if (clock_name.empty() || clock_name.find('\0') != std::string::npos) {
      problems.push_back(label + " has an empty clock name or one containing NUL");
    }
  }
}

}  // namespace

std::vector<std::string> guest_description_problems(const Guest_description& guest) {
  std::vector<std::string> problems;
  std::vector<Named_range> ranges;
  if (guest.vcpus == 0) problems.push_back("the guest has no vCPUs; it needs at least 1");
  if (guest.vcpus > max_guest_vcpus) {
    problems.push_back("the guest has " + std::to_string(guest.vcpus) + " vCPUs; at most " +
                       std::to_string(max_guest_vcpus) + " are supported");
  }
  check_range(problems, ranges, "guest RAM", guest.ram);
  check_range(problems, ranges, "the GIC distributor", guest.gic_distributor);
  check_range(problems, ranges, "the GIC redistributors", guest.gic_redistributors);
  if (guest.gic_redistributors.size != 0 && guest.gic_redistributors.size / redistributor_frame_size < guest.vcpus) {
    problems.push_back("the GIC redistributor range (size " + hex(guest.gic_redistributors.size) +
                       ") is too small for " + std::to_string(guest.vcpus) + " vCPUs: each needs " +
                       hex(redistributor_frame_size));
  }
  const std::pair<const char*, uint32_t> timers[] = {{"secure physical", guest.secure_physical_timer_intid},
                                                     {"physical", guest.physical_timer_intid},
                                                     {"virtual", guest.virtual_timer_intid},
                                                     {"hypervisor", guest.hypervisor_timer_intid}};
  for (const auto& [timer, intid] : timers) {
    if (intid < first_ppi || intid >= first_spi) {
      problems.push_back(std::string("the ") + timer + " timer interrupt " + std::to_string(intid) +
                         " is not a PPI (16-31)");
    }
  }
  if (guest.model.find('\0') != std::string::npos) problems.push_back("the model contains a NUL character");
  if (guest.bootargs.find('\0') != std::string::npos) problems.push_back("bootargs contain a NUL character");

  std::set<std::string> node_names;
  for (const auto& device : guest.devices) {
    check_device(problems, ranges, device);
    if (!device.registers.empty() && !node_names.insert(device_node_name(device)).second) {
      problems.push_back("two devices have the node name '" + device_node_name(device) + "'");
    }
  }
  check_overlaps(problems, std::move(ranges));

  if (guest.initrd) {
    if (guest.initrd->size == 0) {
      problems.push_back("the initrd at " + hex(guest.initrd->base) + " has size 0");
    } else if (wraps(*guest.initrd) || guest.ram.size == 0 || wraps(guest.ram) || !contains(guest.ram, *guest.initrd)) {
      problems.push_back("the initrd at " + hex(guest.initrd->base) + " (size " + hex(guest.initrd->size) +
                         ") is not inside guest RAM");
    }
  }
  if (!guest.stdout_device.empty() && !node_names.contains(guest.stdout_device)) {
    problems.push_back("stdout device '" + guest.stdout_device + "' is not the node name of any device");
  }
  return problems;
}

}  // namespace kestrel::sysimage::detail
