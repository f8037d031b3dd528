// SPDX-License-Identifier: Apache-2.0
// Bitfield: one named field of a 64-bit register or descriptor.
//
// Every register field the kernel reads or writes goes through this template,
// so a field's position is written once, next to its name, instead of as
// shifts and masks at each use.
#pragma once

#include <cstdint>

namespace kestrel {

template <unsigned Shift, unsigned Width>
struct Bitfield {
  static_assert(Width > 0 && Shift + Width <= 64, "field must lie inside 64 bits");

  static constexpr unsigned shift = Shift;
  static constexpr unsigned width = Width;
  static constexpr uint64_t max_value = Width == 64 ? ~uint64_t{0} : (uint64_t{1} << Width) - 1;
  static constexpr uint64_t mask = max_value << Shift;

  // The field's value in `reg`.
  static constexpr uint64_t get(uint64_t reg) { return (reg & mask) >> Shift; }

  // `value` placed in the field; bits of `value` beyond the field are dropped.
  static constexpr uint64_t bits(uint64_t value) { return (value << Shift) & mask; }

  // `reg` with the field replaced by `value`.
  static constexpr uint64_t set(uint64_t reg, uint64_t value) { return (reg & ~mask) | bits(value); }

  static constexpr bool fits(uint64_t value) { return value <= max_value; }
};

// A single-bit field.
template <unsigned Bit>
using Bitflag = Bitfield<Bit, 1>;

}  // namespace kestrel
