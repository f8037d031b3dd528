// SPDX-License-Identifier: Apache-2.0
// Partition: creation and checks of what a partition may let the kernel do.
#include <kestrel/partition.hpp>

namespace kestrel {

Partition* partition_pool = nullptr;
uint32_t partition_count = 0;

void Partition::create(const Boot_info& info, uint32_t index) {
  entry_ = &info.partitions()[index];
  index_ = index;
  name_ = info.name(entry_->name);
  regions_ = info.regions_of(*entry_);
  stop_signals_ = info.stop_signals_of(*entry_);
  guest_doorbells_ = info.guest_doorbells_of(*entry_);
  capabilities_ = info.capabilities_of(*entry_);
}

// The physical address of [ipa, ipa + size) if all of it lies in one region
// with every attribute in `required` and no device attribute.
uint8_t* Partition::translate(uint64_t ipa, uint64_t size, uint32_t required) const {
  if (size == 0 || size - 1 > UINT64_MAX - ipa) return nullptr;
  for (const abi::Region_entry& region : regions_) {
    const bool inside =
        ipa >= region.ipa && ipa - region.ipa <= region.size && size <= region.size - (ipa - region.ipa);
    if (!inside) continue;
    if ((region.attributes & required) != required || (region.attributes & abi::region_device) != 0) return nullptr;
    return reinterpret_cast<uint8_t*>(region.pa + (ipa - region.ipa));
  }
  return nullptr;
}

const uint8_t* Partition::readable(uint64_t ipa, uint64_t size) const { return translate(ipa, size, abi::region_read); }

uint8_t* Partition::writable(uint64_t ipa, uint64_t size) const {
  return translate(ipa, size, abi::region_read | abi::region_write);
}

}  // namespace kestrel
