// SPDX-License-Identifier: Apache-2.0
// Address: distinct types for physical, intermediate-physical and virtual addresses.
//
// A Paddr, an Ipa and a Vaddr are all 64-bit numbers, but passing one where
// another is meant is a real bug (a guest-physical address used as a
// physical one maps the wrong memory), so each is its own type and none
// converts to another implicitly. Arithmetic is only what address code needs:
// an offset added or subtracted, the distance between two addresses of the
// same kind, alignment tests. Freestanding and constexpr.
#pragma once

#include <cstdint>

namespace kestrel {

template <typename Kind>
class Address {
 public:
  constexpr Address() = default;
  constexpr explicit Address(uint64_t value) : value_{value} {}

  constexpr uint64_t value() const { return value_; }

  // `alignment` must be a power of two.
  constexpr bool is_aligned(uint64_t alignment) const { return (value_ & (alignment - 1)) == 0; }
  constexpr Address align_down(uint64_t alignment) const { return Address{value_ & ~(alignment - 1)}; }

  // Wrap around modulo 2^64 like unsigned arithmetic; callers check for
  // overflow where it matters.
  constexpr Address operator+(uint64_t offset) const { return Address{value_ + offset}; }
  constexpr Address operator-(uint64_t offset) const { return Address{value_ - offset}; }
  constexpr uint64_t operator-(Address other) const { return value_ - other.value_; }

  friend constexpr bool operator==(Address left, Address right) { return left.value_ == right.value_; }
  friend constexpr bool operator<(Address left, Address right) { return left.value_ < right.value_; }
  friend constexpr bool operator<=(Address left, Address right) { return left.value_ <= right.value_; }
  friend constexpr bool operator>(Address left, Address right) { return left.value_ > right.value_; }
  friend constexpr bool operator>=(Address left, Address right) { return left.value_ >= right.value_; }

 private:
  uint64_t value_ = 0;
};

struct Physical_address_kind;
struct Intermediate_physical_address_kind;
struct Virtual_address_kind;

// An address on the system bus: what a stage-2 or EL2 stage-1 translation outputs.
using Paddr = Address<Physical_address_kind>;
// An address inside a partition: what its stage-2 translation takes as input
// (and, for native threads, with stage 1 off, also their virtual address).
using Ipa = Address<Intermediate_physical_address_kind>;
// An address the kernel itself uses at EL2: its stage-1 translation's input.
using Vaddr = Address<Virtual_address_kind>;

static_assert(sizeof(Paddr) == 8 && sizeof(Ipa) == 8 && sizeof(Vaddr) == 8);

}  // namespace kestrel
