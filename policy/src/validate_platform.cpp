// SPDX-License-Identifier: Apache-2.0
// Validate platform: the board description, before anything is placed on it.
#include <algorithm>
#include <utility>
#include <vector>

#include <kestrel/abi/limits.hpp>
#include <kestrel/policy/stages.hpp>

#include "validate_util.hpp"

namespace kestrel::policy {
namespace {

constexpr uint32_t first_ppi = 16;
constexpr uint32_t last_ppi = 31;
constexpr uint32_t first_spi = 32;
constexpr uint32_t last_spi = 1019;

bool check_range(const Address_range& range, std::string_view what, Diagnostics& diagnostics) {
  if (range.size == 0 || range.wraps()) {
    diagnostics.report(Code::platform_range_invalid, range.src.at(),
                       std::string(what) + " " + range_text(range.base, range.size) +
                           (range.size == 0 ? " is empty" : " wraps around the address space"),
                       "give it a non-zero size that ends below 2^64");
    return false;
  }
  return true;
}

// Devices' register ranges that overlap, by a sweep over them sorted by
// base (in policy order in `ranges`): a range overlaps an earlier one exactly
// when it starts below the furthest end so far. Linear after sorting, for a
// platform of any number of devices; reported at the range written later.
void check_device_overlaps(std::vector<std::pair<const Address_range*, const Device*>> ranges,
                           Diagnostics& diagnostics) {
  std::vector<size_t> order(ranges.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return ranges[a].first->base < ranges[b].first->base; });
  const size_t no_range = ranges.size();
  size_t furthest = no_range;
  for (const size_t current : order) {
    const Address_range& range = *ranges[current].first;
    if (furthest != no_range && range.base < ranges[furthest].first->end()) {
      const size_t later = std::max(current, furthest);
      const size_t earlier = std::min(current, furthest);
      diagnostics
          .report(Code::platform_device_overlap, ranges[later].first->src.at(),
                  "device " + quoted(ranges[later].second->name) + " registers overlap those of device " +
                      quoted(ranges[earlier].second->name),
                  "check both devices' addresses")
          .notes.push_back({ranges[earlier].first->src.at(), "the other device's range"});
    }
    if (furthest == no_range || range.end() > ranges[furthest].first->end()) furthest = current;
  }
}

}  // namespace

void validate_platform(const Model& model, Diagnostics& diagnostics) {
  if (!model.has_platform) return;  // reported once by resolve
  const Platform& platform = model.platform;
  if (platform.cpus == 0) {
    diagnostics.report(Code::platform_no_cpus, platform.src.at("cpus"), "the platform has no CPUs",
                       "set cpus to the number of CPUs");
  } else if (platform.cpus > abi::max_cpus) {
    diagnostics.report(Code::platform_too_many_cpus, platform.src.at("cpus"),
                       "the platform has " + std::to_string(platform.cpus) + " CPUs; the kernel supports " +
                           std::to_string(abi::max_cpus),
                       "describe at most " + std::to_string(abi::max_cpus) + " CPUs");
  }
  if (platform.vmid_bits != 8 && platform.vmid_bits != 16) {
    diagnostics.report(Code::platform_vmid_bits, platform.src.at("vmidBits"),
                       "vmidBits is " + std::to_string(platform.vmid_bits) + "; AArch64 has 8- or 16-bit VMIDs",
                       "use 8, or 16 if ID_AA64MMFR1_EL1.VMIDBits says so");
  }
  if (platform.ram.empty()) {
    diagnostics.report(Code::platform_no_ram, platform.src.at("ram"), "the platform has no RAM",
                       "list its RAM ranges in ram");
  }
  if (platform.ram.size() > abi::max_ram_ranges) {
    diagnostics.report(Code::platform_too_many_ram_ranges, platform.src.at("ram"),
                       "the platform lists " + std::to_string(platform.ram.size()) +
                           " RAM ranges; the kernel supports " + std::to_string(abi::max_ram_ranges),
                       "merge adjacent ranges");
  }
  for (const auto& [intid, field] : {std::pair{platform.hypervisor_timer_intid, "hypervisorTimerIntid"},
                                     std::pair{platform.virtual_timer_intid, "virtualTimerIntid"}}) {
    if (intid < first_ppi || intid > last_ppi) {
      diagnostics.report(Code::platform_timer_intid, platform.src.at(field),
                         std::string(field) + " is " + std::to_string(intid) +
                             "; the generic timer's interrupts are PPIs, INTIDs 16-31",
                         "QEMU virt uses 26 (EL2 physical timer) and 27 (virtual timer)");
    }
  }
  std::vector<const Address_range*> valid_ram;
  bool all_ram_valid = true;
  for (const auto& ram : platform.ram) {
    if (!check_range(ram, "RAM range", diagnostics)) {
      all_ram_valid = false;
      continue;
    }
    if (!page_aligned(ram.base) || !page_aligned(ram.size)) {
      diagnostics.report(Code::platform_ram_unaligned, ram.src.at(),
                         "RAM range " + range_text(ram.base, ram.size) + " is not whole 4 KiB pages",
                         "the kernel maps RAM in pages: use a base and a size that are multiples of 0x1000");
    }
    for (const auto* other : valid_ram) {
      if (ram.overlaps(*other)) {
        diagnostics
            .report(Code::platform_ram_overlap, ram.src.at(),
                    "RAM range " + range_text(ram.base, ram.size) + " overlaps " + range_text(other->base, other->size),
                    "list each range of RAM once")
            .notes.push_back({other->src.at(), "the other range"});
      }
    }
    valid_ram.push_back(&ram);
  }
  // Only meaningful against a sound RAM list; its problems are reported above.
  if (check_range(platform.kernel_reserved, "kernelReserved", diagnostics) && all_ram_valid && !valid_ram.empty()) {
    const bool inside = std::any_of(valid_ram.begin(), valid_ram.end(), [&](const Address_range* ram) {
      return platform.kernel_reserved.base >= ram->base && platform.kernel_reserved.end() <= ram->end();
    });
    if (!inside) {
      diagnostics.report(Code::platform_kernel_reserved, platform.kernel_reserved.src.at(),
                         "kernelReserved " + range_text(platform.kernel_reserved.base, platform.kernel_reserved.size) +
                             " is not inside one RAM range",
                         "the kernel is loaded into RAM: put kernelReserved inside a ram range");
    }
  }
  std::vector<const Address_range*> valid_gic;
  for (const auto* gic : {&platform.gic_distributor, &platform.gic_redistributors}) {
    if (!check_range(*gic, gic == &platform.gic_distributor ? "gicDistributor" : "gicRedistributors", diagnostics)) {
      continue;
    }
    for (const auto* ram : valid_ram) {
      if (gic->overlaps(*ram)) {
        diagnostics.report(Code::platform_gic_overlap, gic->src.at(),
                           "the GIC's registers " + range_text(gic->base, gic->size) + " overlap RAM",
                           "check the GIC's address");
      }
    }
    valid_gic.push_back(gic);
  }

  std::map<uint32_t, const Device*> interrupt_owner;
  std::vector<std::pair<const Address_range*, const Device*>> valid_mmio;
  for (const auto& device : platform.devices) {
    for (const auto& mmio : device.mmio) {
      if (!check_range(mmio, "device " + quoted(device.name) + " register range", diagnostics)) continue;
      if (((mmio.base + (mmio.size - 1)) | (page_size - 1)) == UINT64_MAX) {
        // Mapped in whole pages, it would end at 2^64, which the kernel's
        // boot-info reader refuses as wrapping around.
        diagnostics.report(Code::platform_device_last_page, mmio.src.at(),
                           "device " + quoted(device.name) + " registers " + range_text(mmio.base, mmio.size) +
                               " reach the last 4 KiB page, which would be mapped up to 2^64",
                           "devices are mapped in whole pages, which must end below 2^64");
        continue;
      }
      for (const auto* gic : valid_gic) {
        if (mmio.overlaps(*gic)) {
          diagnostics.report(
              Code::platform_gic_overlap, mmio.src.at(),
              "device " + quoted(device.name) + " registers overlap the GIC's " + range_text(gic->base, gic->size),
              "the GIC belongs to the kernel; no device may be placed on it");
        }
      }
      for (const auto* ram : valid_ram) {
        if (mmio.overlaps(*ram)) {
          diagnostics
              .report(
                  Code::platform_device_in_ram, mmio.src.at(),
                  "device " + quoted(device.name) + " registers " + range_text(mmio.base, mmio.size) + " overlap RAM",
                  "check the device's address or shrink the RAM range")
              .notes.push_back({ram->src.at(), "the RAM range"});
        }
      }
      valid_mmio.emplace_back(&mmio, &device);
    }
    for (size_t i = 0; i < device.interrupts.size(); ++i) {
      const uint32_t interrupt = device.interrupts[i];
      const Location at = device.src.field("interrupts").item(i).at();
      if (interrupt < first_spi || interrupt > last_spi) {
        diagnostics.report(Code::platform_interrupt_range, at,
                           "device " + quoted(device.name) + " interrupt " + std::to_string(interrupt) +
                               " is not a shared peripheral interrupt",
                           "device interrupts are GIC INTIDs 32-1019 (SPI n is INTID n+32)");
        continue;
      }
      const auto [it, inserted] = interrupt_owner.emplace(interrupt, &device);
      if (!inserted) {
        diagnostics
            .report(Code::platform_interrupt_shared, at,
                    "interrupt " + std::to_string(interrupt) + " of device " + quoted(device.name) +
                        " is also raised by device " + quoted(it->second->name),
                    "each interrupt belongs to one device")
            .notes.push_back({it->second->src.at("interrupts"), "the other device"});
      }
    }
  }
  check_device_overlaps(std::move(valid_mmio), diagnostics);
}

}  // namespace kestrel::policy
