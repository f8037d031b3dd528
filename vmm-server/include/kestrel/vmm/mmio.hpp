// SPDX-License-Identifier: Apache-2.0
// What the VMM's device models share: the shape of an MMIO access, the vCPU
// affinity scheme, the interrupts a model hands the VMM to inject, and the
// level changes of a device's interrupt line.
//
// Every model is pure logic: no heap, no exceptions, no kernel or runtime
// headers, so the same header builds for the AArch64 VMM partition and for the
// host unit tests (tests/unit/vmm/).
#pragma once

#include <cstddef>
#include <cstdint>

namespace kestrel::vmm {

// The bits an access of `size` bytes carries; 0 for a size no load or store
// has (a VM exit's size comes from the guest's instruction, so 1, 2, 4 or 8,
// but a model never trusts it).
constexpr uint64_t access_mask(unsigned size) {
  switch (size) {
    case 1:
      return 0xff;
    case 2:
      return 0xffff;
    case 4:
      return 0xffff'ffff;
    case 8:
      return ~uint64_t{0};
    default:
      return 0;
  }
}

// A size the bus has, at an address aligned to it.
constexpr bool is_natural_access(uint64_t offset, unsigned size) {
  return access_mask(size) != 0 && offset % size == 0;
}

// Offset of `address` in a frame of `frame_size` bytes at `base`, or false.
constexpr bool offset_in_frame(uint64_t address, uint64_t base, uint64_t frame_size, uint64_t& offset) {
  if (address < base || address - base >= frame_size) return false;
  offset = address - base;
  return true;
}

// vCPU affinity, the same in MPIDR_EL1, GICR_TYPER, GICD_IROUTER and PSCI:
// Aff0 = index % 16, Aff1 = index / 16, Aff2 = Aff3 = 0. (Aff0 stops at 15
// because GICD_TYPER.RSS = 0 limits SGI targets to Aff0 0-15.)
inline constexpr uint32_t max_vcpus = 8;
inline constexpr uint32_t no_vcpu = ~uint32_t{0};
// Aff3 (bits 39:32) and Aff2.Aff1.Aff0 (bits 23:0) of an MPIDR or IROUTER.
inline constexpr uint64_t affinity_bits = 0xff'00ff'ffff;

constexpr uint64_t affinity_of(uint32_t index) { return (index % 16) | uint64_t{index / 16} << 8; }

// The vCPU whose affinity `value` names (its bits other than affinity_bits
// are ignored), or no_vcpu.
constexpr uint32_t vcpu_of_affinity(uint64_t value, uint32_t vcpu_count) {
  const uint64_t affinity = value & affinity_bits;
  const uint64_t aff0 = affinity & 0xff;
  const uint64_t aff1 = (affinity >> 8) & 0xff;
  if ((affinity >> 16) != 0 || aff0 >= 16) return no_vcpu;
  const uint64_t index = aff1 * 16 + aff0;
  return index < vcpu_count ? static_cast<uint32_t>(index) : no_vcpu;
}

// An interrupt for the VMM to inject: vcpu_inject_interrupt(vcpu, intid).
struct Delivery {
  uint32_t vcpu;
  uint32_t intid;
};

// The deliveries one call produced, in a fixed array. When more interrupts
// were ready than fit, more() is true and the rest stay pending in the model:
// the VMM calls Gic::take_deliveries() for them.
class Deliveries {
 public:
  static constexpr size_t capacity = 32;

  constexpr bool push(Delivery delivery) {
    if (count_ == capacity) {
      more_ = true;
      return false;
    }
    items_[count_++] = delivery;
    return true;
  }
  constexpr bool full() const { return count_ == capacity; }
  constexpr void set_more() { more_ = true; }

  constexpr size_t size() const { return count_; }
  constexpr bool empty() const { return count_ == 0; }
  constexpr bool more() const { return more_; }
  constexpr const Delivery& operator[](size_t i) const { return items_[i]; }
  constexpr const Delivery* begin() const { return items_; }
  constexpr const Delivery* end() const { return items_ + count_; }

 private:
  Delivery items_[capacity]{};
  size_t count_ = 0;
  bool more_ = false;
};

// How a device's interrupt line moved since the VMM last asked.
enum class Level_change : uint8_t { none, rose, fell };

}  // namespace kestrel::vmm
