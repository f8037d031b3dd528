// SPDX-License-Identifier: Apache-2.0
// FP check: what a thread (native or a guest's) does to see that its FP/SIMD
// registers are its own while other threads of its CPU use theirs: markers
// in all of V0-V31, FPCR and FPSR held across a switch, and a sum in double
// precision that runs across many. Freestanding: no runtime calls, so that
// guests (tests/target/guest/fp_guest.cpp) use it too; the code that uses
// it must be compiled with FP/SIMD allowed.
#pragma once

#include <cstdint>

namespace fp_check {

// V0-V31 (two words each), then FPCR and FPSR, as the asm below stores them.
struct alignas(16) Registers {
  uint64_t v[64];
  uint64_t fpcr;
  uint64_t fpsr;
};

inline uint64_t virtual_counter() {
  uint64_t value;
  asm volatile("isb\n mrs %0, cntvct_el0" : "=r"(value));
  return value;
}

// All of the thread's FP/SIMD registers as they are now; no FP instruction
// of the compiler's runs in between (the first FP use of a thread).
inline void read(Registers& out) {
  uint64_t* base = out.v;
  asm volatile(
      "st1 {v0.2d, v1.2d, v2.2d, v3.2d}, [%[base]], #64\n"
      "st1 {v4.2d, v5.2d, v6.2d, v7.2d}, [%[base]], #64\n"
      "st1 {v8.2d, v9.2d, v10.2d, v11.2d}, [%[base]], #64\n"
      "st1 {v12.2d, v13.2d, v14.2d, v15.2d}, [%[base]], #64\n"
      "st1 {v16.2d, v17.2d, v18.2d, v19.2d}, [%[base]], #64\n"
      "st1 {v20.2d, v21.2d, v22.2d, v23.2d}, [%[base]], #64\n"
      "st1 {v24.2d, v25.2d, v26.2d, v27.2d}, [%[base]], #64\n"
      "st1 {v28.2d, v29.2d, v30.2d, v31.2d}, [%[base]], #64\n"
      : [base] "+r"(base)
      :
      : "memory");
  asm volatile("mrs %0, fpcr" : "=r"(out.fpcr));
  asm volatile("mrs %0, fpsr" : "=r"(out.fpsr));
}

// Loads `in` into every FP/SIMD register, spins until the virtual counter
// reaches `until` (past a switch to another thread, if the caller chose it
// so), then stores them into `out`; FPCR and FPSR are zero afterwards.
inline void hold(const Registers& in, Registers& out, uint64_t until) {
  const uint64_t* from = in.v;
  uint64_t* to = out.v;
  uint64_t now;
  uint64_t fpcr;
  uint64_t fpsr;
  asm volatile(
      "ld1 {v0.2d, v1.2d, v2.2d, v3.2d}, [%[from]], #64\n"
      "ld1 {v4.2d, v5.2d, v6.2d, v7.2d}, [%[from]], #64\n"
      "ld1 {v8.2d, v9.2d, v10.2d, v11.2d}, [%[from]], #64\n"
      "ld1 {v12.2d, v13.2d, v14.2d, v15.2d}, [%[from]], #64\n"
      "ld1 {v16.2d, v17.2d, v18.2d, v19.2d}, [%[from]], #64\n"
      "ld1 {v20.2d, v21.2d, v22.2d, v23.2d}, [%[from]], #64\n"
      "ld1 {v24.2d, v25.2d, v26.2d, v27.2d}, [%[from]], #64\n"
      "ld1 {v28.2d, v29.2d, v30.2d, v31.2d}, [%[from]], #64\n"
      "ldp %[fpcr], %[fpsr], [%[from]]\n"
      "msr fpcr, %[fpcr]\n"
      "msr fpsr, %[fpsr]\n"
      "1: isb\n"
      "mrs %[now], cntvct_el0\n"
      "cmp %[now], %[until]\n"
      "b.lo 1b\n"
      "st1 {v0.2d, v1.2d, v2.2d, v3.2d}, [%[to]], #64\n"
      "st1 {v4.2d, v5.2d, v6.2d, v7.2d}, [%[to]], #64\n"
      "st1 {v8.2d, v9.2d, v10.2d, v11.2d}, [%[to]], #64\n"
      "st1 {v12.2d, v13.2d, v14.2d, v15.2d}, [%[to]], #64\n"
      "st1 {v16.2d, v17.2d, v18.2d, v19.2d}, [%[to]], #64\n"
      "st1 {v20.2d, v21.2d, v22.2d, v23.2d}, [%[to]], #64\n"
      "st1 {v24.2d, v25.2d, v26.2d, v27.2d}, [%[to]], #64\n"
      "st1 {v28.2d, v29.2d, v30.2d, v31.2d}, [%[to]], #64\n"
      "mrs %[fpcr], fpcr\n"
      "mrs %[fpsr], fpsr\n"
      "stp %[fpcr], %[fpsr], [%[to]]\n"
      "msr fpcr, xzr\n"
      "msr fpsr, xzr\n"
      : [from] "+r"(from), [to] "+r"(to), [now] "=&r"(now), [fpcr] "=&r"(fpcr), [fpsr] "=&r"(fpsr)
      : [until] "r"(until)
      : "memory", "cc", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14",
        "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30",
        "v31");
}

// Thread `seed`'s markers for `round`: every word different, and different
// from every other thread's. FPCR: rounding mode and the AHP/DN/FZ bits,
// which change results; FPSR: cumulative exception flags.
inline void markers(uint64_t seed, uint64_t round, Registers& out) {
  for (uint64_t word = 0; word < 64; ++word) {
    out.v[word] = (seed << 56) | (round << 32) | (word << 8) | 0xa5;
  }
  out.fpcr = seed % 2 == 1 ? 0x0440'0000 : 0x0380'0000;
  out.fpsr = seed % 2 == 1 ? 0x0800'0011 : 0x0000'008e;
}

inline bool same(const Registers& a, const Registers& b) {
  for (int word = 0; word < 64; ++word) {
    if (a.v[word] != b.v[word]) return false;
  }
  return a.fpcr == b.fpcr && a.fpsr == b.fpsr;
}

inline bool all_zero(const Registers& registers) {
  for (uint64_t word : registers.v) {
    if (word != 0) return false;
  }
  return registers.fpcr == 0 && registers.fpsr == 0;
}

// Adds 1/(seed * 1000 + i) for i = first .. last to `sum`, in order, in
// double precision (divisions and additions only: nothing the compiler may
// fuse or reorder without -ffast-math).
inline double add_terms(double sum, uint64_t seed, uint64_t first, uint64_t last) {
  const double base = static_cast<double>(seed * 1000);
  for (uint64_t i = first; i <= last; ++i) sum += 1.0 / (base + static_cast<double>(i));
  return sum;
}

inline uint64_t bits_of(double value) { return __builtin_bit_cast(uint64_t, value); }

}  // namespace fp_check
