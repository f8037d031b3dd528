// SPDX-License-Identifier: Apache-2.0
// Validate memory: sizes, alignment, W^X, overlaps inside each address
// space, and fixed physical regions against RAM, devices and each other.
#include <algorithm>

#include <kestrel/policy/stages.hpp>

#include "validate_util.hpp"

namespace kestrel::policy {
namespace {

constexpr uint64_t ipa_limit = uint64_t{1} << 40;  // VTCR_EL2.T0SZ = 24

// The field a region's guest address was written in.
Location address_location(const Region& region) {
  switch (region.kind) {
    case Region::Kind::guest_ram:
      return region.src.at("ramAddress");
    case Region::Kind::guest_ram_view:
      return region.src.at("vmmRamAddress");
    case Region::Kind::device_queue:
      return region.src.at(region.in_driver ? "queuesAddress" : "address");
    case Region::Kind::memory:
    case Region::Kind::device:
    case Region::Kind::channel:
      break;
  }
  return region.src.at("address");
}

// "memory region \"stack\" of \"a\"", "the RAM of VM \"guest\" in \"vmm\"".
std::string mapping_in(const Region& region, const Partition& partition) {
  const bool view = region.kind == Region::Kind::guest_ram_view;
  return describe(region) + (view ? " in " : " of ") + quoted(partition.name);
}

void check_written_region(const Partition& partition, const Region& region, Diagnostics& diagnostics) {
  const std::string what = "memory region " + quoted(region.name) + " of " + quoted(partition.name);
  if (region.size == 0) {
    diagnostics.report(Code::region_size_zero, region.src.at("size"), what + " has size 0",
                       "give it a size, a multiple of 4 KiB (0x1000)");
  } else if (!page_aligned(region.size)) {
    diagnostics.report(Code::region_size_unaligned, region.src.at("size"),
                       what + " size " + hex(region.size) + " is not a multiple of 4 KiB",
                       "round it up to " + hex((region.size + page_size - 1) & ~(page_size - 1)));
  }
  if (!page_aligned(region.ipa)) {
    diagnostics.report(Code::region_address_unaligned, region.src.at("address"),
                       what + " address " + hex(region.ipa) + " is not 4 KiB aligned",
                       "use an address that is a multiple of 0x1000");
  }
  if (region.fixed_pa && !page_aligned(region.pa)) {
    diagnostics.report(Code::region_physical_unaligned, region.src.at("physicalAddress"),
                       what + " physical address " + hex(region.pa) + " is not 4 KiB aligned",
                       "use a multiple of 0x1000, or 0 to let the compiler place it");
  }
  if (region.access == Access::read_write_execute) {
    diagnostics.report(Code::region_write_execute, region.src.at("access"),
                       what + " is writable and executable: code written at run time can run",
                       "keep readWriteExecute only for code the partition writes itself (a JIT); otherwise split it "
                       "into a readExecute region for code and a readWrite one for data");
  }
  if (region.type == Memory_type::device &&
      (region.access == Access::read_execute || region.access == Access::read_write_execute)) {
    diagnostics.report(Code::region_device_execute, region.src.at("access"), what + " is device memory and executable",
                       "device memory is never executable: use readWrite");
  }
}

void check_address_space(const Partition& partition, Diagnostics& diagnostics) {
  std::vector<const Region*> valid;
  for (const auto& region : partition.regions) {
    if (region.kind == Region::Kind::memory) check_written_region(partition, region, diagnostics);
    if (region.kind == Region::Kind::device && !page_aligned(region.ipa)) {
      diagnostics.report(
          Code::region_address_unaligned, region.src.at("address"),
          "device " + quoted(region.name) + " is mapped at " + hex(region.ipa) + ", which is not 4 KiB aligned",
          "use an address that is a multiple of 0x1000, or 0 to map it at its physical address");
      continue;
    }
    if (region.kind == Region::Kind::device_queue && !page_aligned(region.ipa)) {
      diagnostics.report(Code::region_address_unaligned, address_location(region),
                         describe(region) + " is mapped in " + quoted(partition.name) + " at " + hex(region.ipa) +
                             ", which is not 4 KiB aligned",
                         "use an address that is a multiple of 0x1000");
      continue;
    }
    if (region.kind == Region::Kind::channel && !page_aligned(region.ipa)) {
      diagnostics.report(Code::region_address_unaligned, region.src.at("address"),
                         "channel " + quoted(region.name) + " is mapped in " + quoted(partition.name) + " at " +
                             hex(region.ipa) + ", which is not 4 KiB aligned",
                         "use an address that is a multiple of 0x1000");
      continue;
    }
    if (region.size == 0) continue;
    if (region.size - 1 > UINT64_MAX - region.ipa) {  // ends past 2^64 (ending at 2^64 is not a wrap)
      diagnostics.report(
          Code::region_address_overflow, address_location(region),
          mapping_in(region, partition) + " at " + hex(region.ipa) + " size " + hex(region.size) + " wraps around",
          "move it lower or make it smaller");
      continue;
    }
    if (region.ipa > ipa_limit || region.size > ipa_limit - region.ipa) {
      diagnostics.report(Code::region_ipa_range, address_location(region),
                         mapping_in(region, partition) + " " + range_text(region.ipa, region.size) +
                             " lies beyond the 40-bit (1 TiB) guest-physical space",
                         "keep every mapping below 0x10000000000");
      continue;
    }
    valid.push_back(&region);
  }
  // Sorted by address, a mapping overlaps an earlier one exactly when it
  // starts below the furthest end so far: O(n log n) for a partition of any
  // size. Each overlap is reported at the mapping written later.
  std::stable_sort(valid.begin(), valid.end(), [](const Region* a, const Region* b) { return a->ipa < b->ipa; });
  const Region* furthest = nullptr;
  for (const Region* region : valid) {
    // All end at or below 2^40 here, so the sums cannot wrap.
    if (furthest != nullptr && region->ipa < furthest->ipa + furthest->size) {
      const Region* later = furthest > region ? furthest : region;  // regions are in policy order in memory
      const Region* earlier = furthest > region ? region : furthest;
      diagnostics
          .report(Code::region_overlap, address_location(*later),
                  describe(*later) + " " + range_text(later->ipa, later->size) + " overlaps " + describe(*earlier) +
                      " " + range_text(earlier->ipa, earlier->size) + " in partition " + quoted(partition.name),
                  "give each mapping its own address range")
          .notes.push_back({address_location(*earlier), "the other mapping"});
    }
    if (furthest == nullptr || region->ipa + region->size > furthest->ipa + furthest->size) furthest = region;
  }
}

// Fixed physical regions: inside RAM, clear of the kernel and of devices, and
// not shared (sharing is what channels are for).
void check_fixed_physical(const Model& model, Diagnostics& diagnostics) {
  const Platform& platform = model.platform;
  struct Fixed {
    const Region* region;
    const Partition* partition;
  };
  std::vector<Fixed> fixed;
  for (const auto& partition : model.partitions) {
    for (const auto& region : partition.regions) {
      if (region.kind != Region::Kind::memory || !region.fixed_pa || region.size == 0) continue;
      if (!page_aligned(region.pa)) continue;  // KP0304
      if (region.size - 1 > UINT64_MAX - region.pa) {
        diagnostics.report(Code::region_address_overflow, region.src.at("physicalAddress"),
                           "memory region " + quoted(region.name) + " of " + quoted(partition.name) + " at physical " +
                               hex(region.pa) + " size " + hex(region.size) + " wraps around",
                           "use a physical address inside RAM, or 0 to let the compiler place it");
        continue;
      }
      const Address_range range{region.pa, region.size, {}};
      const std::string what = "memory region " + quoted(region.name) + " of " + quoted(partition.name) + " " +
                               range_text(region.pa, region.size);
      bool in_device = false;
      for (const auto& device : platform.devices) {
        for (const auto& mmio : device.mmio) {
          if (!range.overlaps(mmio) || in_device) continue;
          in_device = true;
          diagnostics.report(Code::physical_device_overlap, region.src.at("physicalAddress"),
                             what + " overlaps the registers of device " + quoted(device.name),
                             "grant the device in the partition's devices list instead");
        }
      }
      if (in_device) continue;
      // Without sums, which wrap for a region that ends at 2^64.
      const bool in_ram = std::any_of(platform.ram.begin(), platform.ram.end(), [&](const Address_range& ram) {
        return region.pa >= ram.base && region.pa - ram.base <= ram.size &&
               region.size <= ram.size - (region.pa - ram.base);
      });
      if (!in_ram) {
        diagnostics.report(Code::region_outside_ram, region.src.at("physicalAddress"), what + " is not inside RAM",
                           "use an address inside one of the platform's ram ranges, or 0 to let the compiler place it");
        continue;
      }
      if (range.overlaps(platform.kernel_reserved)) {
        diagnostics.report(Code::physical_kernel_reserved, region.src.at("physicalAddress"),
                           what + " overlaps the kernel's memory " +
                               range_text(platform.kernel_reserved.base, platform.kernel_reserved.size),
                           "move it out of kernelReserved");
        continue;
      }
      fixed.push_back({&region, &partition});
    }
  }
  std::sort(fixed.begin(), fixed.end(), [](const Fixed& a, const Fixed& b) { return a.region->pa < b.region->pa; });
  // Sorted by base: a region overlaps an earlier one exactly when it starts
  // below the furthest end seen so far; report it against that region.
  size_t furthest = 0;
  for (size_t i = 1; i < fixed.size(); ++i) {
    const Fixed& previous = fixed[furthest];
    const Fixed& current = fixed[i];
    const uint64_t previous_end = previous.region->pa + previous.region->size;
    if (current.region->pa + current.region->size > previous_end) furthest = i;
    if (current.region->pa >= previous_end) continue;
    diagnostics
        .report(Code::physical_overlap, current.region->src.at("physicalAddress"),
                "memory region " + quoted(current.region->name) + " of " + quoted(current.partition->name) +
                    " overlaps memory region " + quoted(previous.region->name) + " of " +
                    quoted(previous.partition->name) + " in physical memory",
                "to share memory between partitions, declare a channel")
        .notes.push_back({previous.region->src.at("physicalAddress"), "the other region"});
  }
}

void check_channels(const Model& model, Diagnostics& diagnostics) {
  for (const auto& channel : model.channels) {
    if (channel.size == 0 || !page_aligned(channel.size)) {
      diagnostics.report(Code::channel_size, channel.src.at("size"),
                         "channel " + quoted(channel.name) + " size " + hex(channel.size) +
                             (channel.size == 0 ? " is 0" : " is not a multiple of 4 KiB"),
                         "give it a size that is a non-zero multiple of 0x1000");
    }
  }
}

}  // namespace

void validate_memory(const Model& model, Diagnostics& diagnostics) {
  for (const auto& partition : model.partitions) check_address_space(partition, diagnostics);
  check_fixed_physical(model, diagnostics);
  check_channels(model, diagnostics);
}

}  // namespace kestrel::policy
