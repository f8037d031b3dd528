// SPDX-License-Identifier: Apache-2.0
// FP registers: a thread's saved FP/SIMD state (V0-V31, FPCR, FPSR), which
// the kernel switches lazily (arch/fp.hpp). Plain data, so that Thread and
// the host unit tests can hold it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kestrel::arch {

// Zero is a thread's state before its first FP use: every V register zero,
// FPCR zero (round to nearest, no flush to zero, no traps), FPSR zero.
struct alignas(16) Fp_registers {
  uint64_t v[64];  // V0-V31, 128 bits each, low half first
  uint64_t fpcr;
  uint64_t fpsr;
};

// fp.cpp's save and load address them with these offsets.
static_assert(sizeof(Fp_registers) == 528);
static_assert(offsetof(Fp_registers, fpcr) == 512 && offsetof(Fp_registers, fpsr) == 520);

}  // namespace kestrel::arch
