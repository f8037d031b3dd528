// SPDX-License-Identifier: Apache-2.0
// Pristine copies: free RAM, and the copies laid out at its top.
#include <kestrel/sysimage/pristine.hpp>

#include <algorithm>

#include <kestrel/policy/text.hpp>

namespace kestrel::sysimage {
namespace {

constexpr uint64_t page_size = 4096;

uint64_t align_up(uint64_t value, uint64_t alignment) { return (value + alignment - 1) & ~(alignment - 1); }

struct Free_range {
  uint64_t base;
  uint64_t end;
};

// RAM minus the kernel's reserved range and every partition's memory.
std::vector<Free_range> free_ram(const policy::Model& model) {
  std::vector<Free_range> free;
  for (const auto& ram : model.platform.ram) free.push_back({ram.base, ram.end()});
  auto remove = [&free](uint64_t base, uint64_t end) {
    std::vector<Free_range> kept;
    for (const Free_range& range : free) {
      if (end <= range.base || base >= range.end) {
        kept.push_back(range);
        continue;
      }
      if (range.base < base) kept.push_back({range.base, base});
      if (end < range.end) kept.push_back({end, range.end});
    }
    free = std::move(kept);
  };
  remove(model.platform.kernel_reserved.base, model.platform.kernel_reserved.end());
  for (const auto& partition : model.partitions) {
    for (const auto& region : partition.regions) remove(region.pa, region.pa + region.size);
  }
  for (const auto& channel : model.channels) remove(channel.pa, channel.pa + channel.size);
  std::sort(free.begin(), free.end(), [](const Free_range& a, const Free_range& b) { return a.base < b.base; });
  return free;
}

}  // namespace

Pristine_layout place_pristine_copies(const policy::Model& model, const std::vector<Loaded_piece>& loaded) {
  Pristine_layout layout;
  // What to copy, by partition, then in address order (as the kernel
  // measures it).
  std::vector<const Loaded_piece*> sources;
  for (const Loaded_piece& piece : loaded) {
    if (piece.partition == policy::none || piece.bytes.empty()) continue;
    const auto& vm = model.partitions[piece.partition].vm;
    if (vm && vm->restartable) sources.push_back(&piece);
  }
  if (sources.empty()) return layout;
  std::sort(sources.begin(), sources.end(), [](const Loaded_piece* a, const Loaded_piece* b) {
    return a->partition != b->partition ? a->partition < b->partition : a->physical_address < b->physical_address;
  });
  uint64_t total = 0;
  for (const Loaded_piece* piece : sources) total += align_up(piece->bytes.size(), page_size);
  const auto free = free_ram(model);
  const auto room = std::find_if(free.begin(), free.end(), [total](const Free_range& range) {
    return align_up(range.base, page_size) <= range.end && range.end - align_up(range.base, page_size) >= total;
  });
  if (room == free.end()) {
    layout.error = "the pristine copies of the restartable VMs (" + std::to_string(total) +
                   " bytes) do not fit in the RAM left free by the policy; give the VMs less RAM, or set "
                   "restartable = false on a VM that is never restarted";
    return layout;
  }
  uint64_t next = align_up(room->base, page_size);
  for (const Loaded_piece* piece : sources) {
    layout.entries.push_back({piece->partition, 0, next, piece->physical_address, piece->bytes.size()});
    // Owned by no partition: nothing maps it, and it is not measured (the
    // kernel measures guest RAM after copying it back).
    layout.pieces.push_back({"pristine copy of " + piece->description, policy::none, next, piece->bytes.size(),
                             piece->bytes, false, false});
    next += align_up(piece->bytes.size(), page_size);
  }
  return layout;
}

}  // namespace kestrel::sysimage
