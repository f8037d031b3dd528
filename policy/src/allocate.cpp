// SPDX-License-Identifier: Apache-2.0
// Allocate: VMIDs, physical placement of every region without a fixed
// address, and capability slots. Runs only on a model without errors.
#include <algorithm>

#include <kestrel/policy/stages.hpp>

#include "capabilities.hpp"
#include "validate_util.hpp"

namespace kestrel::policy {
namespace {

constexpr uint64_t block_size = 2U << 20;

// Free physical memory as sorted, disjoint ranges; first fit.
class Free_memory {
 public:
  void add(uint64_t base, uint64_t size) { free_.push_back({base, size, {}}); }

  void remove(uint64_t base, uint64_t size) {
    std::vector<Address_range> kept;
    for (const auto& range : free_) {
      const uint64_t end = base + size;
      if (end <= range.base || base >= range.end()) {
        kept.push_back(range);
        continue;
      }
      if (range.base < base) kept.push_back({range.base, base - range.base, {}});
      if (end < range.end()) kept.push_back({end, range.end() - end, {}});
    }
    free_ = std::move(kept);
    std::sort(free_.begin(), free_.end(), [](const auto& a, const auto& b) { return a.base < b.base; });
  }

  // Base of a newly taken range, or nullopt if nothing fits.
  std::optional<uint64_t> take(uint64_t size, uint64_t alignment) {
    for (const auto& range : free_) {
      const uint64_t base = (range.base + alignment - 1) & ~(alignment - 1);
      if (base >= range.base && base <= range.end() && range.end() - base >= size) {
        remove(base, size);
        return base;
      }
    }
    return std::nullopt;
  }

  uint64_t largest() const {
    uint64_t largest = 0;
    for (const auto& range : free_) largest = std::max(largest, range.size);
    return largest;
  }

 private:
  std::vector<Address_range> free_;
};

// Big, block-sized regions get 2 MiB alignment so the kernel can map them
// with block descriptors (fewer table pages and TLB entries).
uint64_t alignment_for(uint64_t size) { return size % block_size == 0 ? block_size : page_size; }

void report_out_of_ram(Diagnostics& diagnostics, const Location& at, const std::string& what, uint64_t size,
                       const Free_memory& free) {
  diagnostics.report(Code::out_of_ram, at,
                     what + " needs " + hex(size) + " bytes of RAM, but the largest free range left is " +
                         hex(free.largest()) + " bytes",
                     "make regions smaller, or describe more RAM in the platform");
}

}  // namespace

void allocate(Model& model, Diagnostics& diagnostics) {
  Free_memory free;
  for (const auto& ram : model.platform.ram) free.add(ram.base, ram.size);
  free.remove(model.platform.kernel_reserved.base, model.platform.kernel_reserved.size);
  for (const auto& partition : model.partitions) {
    for (const auto& region : partition.regions) {
      if (region.kind == Region::Kind::memory && region.fixed_pa) free.remove(region.pa, region.size);
    }
  }

  for (auto& channel : model.channels) {
    if (const auto base = free.take(channel.size, alignment_for(channel.size))) {
      channel.pa = *base;
    } else {
      report_out_of_ram(diagnostics, channel.src.at("size"), "channel " + quoted(channel.name), channel.size, free);
    }
  }
  // Each client's queue region of a block device or network: pages the
  // client (or its VMM) and the driver share.
  for (const auto& service : model.services) {
    for (uint32_t i = 0; i < service.clients.size(); ++i) {
      const uint32_t queue = service.first_queue + i;
      if (queue >= model.queue_physical.size()) continue;
      if (const auto base = free.take(service.queue_bytes(), page_size)) {
        model.queue_physical[queue] = *base;
      } else {
        report_out_of_ram(diagnostics, service.clients[i].src.at("address"),
                          "the queue of " + quoted(service.name) + " for " +
                              quoted(partition_name(model, service.clients[i].partition)),
                          service.queue_bytes(), free);
      }
    }
  }
  for (uint32_t p = 0; p < model.partitions.size(); ++p) {
    Partition& partition = model.partitions[p];
    partition.vmid = p + 1;
    for (auto& region : partition.regions) {
      if (region.kind == Region::Kind::channel) {
        region.pa = model.channels[region.owner].pa;
        continue;
      }
      if (region.kind == Region::Kind::device_queue) {
        region.pa = model.queue_physical.at(region.owner);
        continue;
      }
      if (region.fixed_pa || region.kind == Region::Kind::device) continue;
      if (region.kind == Region::Kind::guest_ram_view) continue;  // below, once its VM's RAM is placed
      const uint64_t alignment = region.kind == Region::Kind::guest_ram ? block_size : alignment_for(region.size);
      if (const auto base = free.take(region.size, alignment)) {
        region.pa = *base;
      } else {
        const Location at = region.src.at(region.kind == Region::Kind::guest_ram ? "ramSize" : "size");
        report_out_of_ram(diagnostics, at, describe(region) + " of " + quoted(partition.name), region.size, free);
      }
    }
  }

  // A VMM's view of a VM's RAM is the VM's own pages, wherever the VM comes
  // in the policy.
  for (auto& partition : model.partitions) {
    for (auto& region : partition.regions) {
      if (region.kind != Region::Kind::guest_ram_view) continue;
      for (const auto& guest_ram : model.partitions[region.owner].regions) {
        if (guest_ram.kind == Region::Kind::guest_ram) region.pa = guest_ram.pa;
      }
    }
  }

  const Numbering numbering = number_objects(model);
  auto capabilities = capabilities_of_all(model, numbering);
  for (uint32_t p = 0; p < model.partitions.size(); ++p) {
    model.partitions[p].first_thread = numbering.first_thread[p];
    model.partitions[p].capabilities = std::move(capabilities[p]);
  }
}

}  // namespace kestrel::policy
