// SPDX-License-Identifier: Apache-2.0
// Sysfuzz: what the fuzzer, victim and client of the system-call fuzzer test
// (tests/target/images/sysfuzz.capnp) agree on, and a system call with every
// general register given and read back.
#pragma once

#include <cstdint>

#include <kestrel/abi/syscall.hpp>

namespace sysfuzz {

// The victim answers every call on "service" with the same message
// transformed: the label XOR echo_label, each word XOR echo_word, the same
// length. The caller can check every word that comes back.
inline constexpr uint64_t echo_label = 0x5a;
inline constexpr uint64_t echo_word = 0xa5a5'5a5a'0f0f'f0f0ULL;

// Badges of "service" (sysfuzz.capnp).
inline constexpr uint64_t fuzzer_badge = 1;
inline constexpr uint64_t client_badge = 2;

// What the fuzzer's last thread sends once every fuzzing thread is done: a
// label and words no random call uses (the fuzzer skips this label).
inline constexpr uint64_t fuzzing_over_label = 0x0f0f'd0e5'0000ULL;
inline constexpr uint64_t fuzzing_over_words[5] = {0xf0220001, 0xf0220002, 0xf0220003, 0xf0220004, 0xf0220005};

// What the client's feeding thread sends to the fuzzer's inbox, over and
// over (badge 7 in sysfuzz.capnp).
inline constexpr uint64_t feed_badge = 7;
inline constexpr uint64_t feed_label = 0xfeed;
inline constexpr uint64_t feed_words[5] = {0xfeed0000, 0xfeed0001, 0xfeed0002, 0xfeed0003, 0xfeed0004};

// The client's calls to the victim after the fuzzing: labels client_label +
// i, then client_done_label.
inline constexpr uint64_t client_label = 0xc11e'0000ULL;
inline constexpr uint64_t client_calls = 16;
inline constexpr uint64_t client_done_label = 0xc11e'd0e5ULL;
inline constexpr uint64_t client_word(uint64_t call, uint64_t word) { return (call << 32) ^ (word * 0x9e37'79b9ULL); }

// splitmix64: small, and every seed gives a good stream.
class Random {
 public:
  constexpr explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e37'79b9'7f4a'7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58'476d'1ce4'e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d0'49bb'1331'11ebULL;
    return z ^ (z >> 31);
  }
  uint64_t below(uint64_t bound) { return next() % bound; }
  bool one_in(uint64_t n) { return below(n) == 0; }

 private:
  uint64_t state_;
};

// x0-x29 given to `svc #0` and read back after it, and sp before and after.
struct Registers {
  uint64_t x[30];
  uint64_t sp_before;
  uint64_t sp_after;
};
static_assert(sizeof(Registers) == 32 * 8);

}  // namespace sysfuzz

// Loads x0-x29 from `registers`, makes the system call, stores x0-x29 back.
// x30 holds `registers` across the call (the kernel preserves it; if it did
// not, the stores would fault and the test would time out).
extern "C" void sysfuzz_svc(sysfuzz::Registers* registers);

// clang-format off
asm(R"(
  .text
  .balign 4
  .global sysfuzz_svc
  .type sysfuzz_svc, %function
sysfuzz_svc:
  stp x29, x30, [sp, #-96]!
  stp x19, x20, [sp, #16]
  stp x21, x22, [sp, #32]
  stp x23, x24, [sp, #48]
  stp x25, x26, [sp, #64]
  stp x27, x28, [sp, #80]
  mov x30, x0
  mov x9, sp
  str x9, [x30, #240]
  ldp x0, x1, [x30, #0]
  ldp x2, x3, [x30, #16]
  ldp x4, x5, [x30, #32]
  ldp x6, x7, [x30, #48]
  ldp x8, x9, [x30, #64]
  ldp x10, x11, [x30, #80]
  ldp x12, x13, [x30, #96]
  ldp x14, x15, [x30, #112]
  ldp x16, x17, [x30, #128]
  ldp x18, x19, [x30, #144]
  ldp x20, x21, [x30, #160]
  ldp x22, x23, [x30, #176]
  ldp x24, x25, [x30, #192]
  ldp x26, x27, [x30, #208]
  ldp x28, x29, [x30, #224]
  svc #0
  stp x0, x1, [x30, #0]
  stp x2, x3, [x30, #16]
  stp x4, x5, [x30, #32]
  stp x6, x7, [x30, #48]
  stp x8, x9, [x30, #64]
  stp x10, x11, [x30, #80]
  stp x12, x13, [x30, #96]
  stp x14, x15, [x30, #112]
  stp x16, x17, [x30, #128]
  stp x18, x19, [x30, #144]
  stp x20, x21, [x30, #160]
  stp x22, x23, [x30, #176]
  stp x24, x25, [x30, #192]
  stp x26, x27, [x30, #208]
  stp x28, x29, [x30, #224]
  mov x9, sp
  str x9, [x30, #248]
  ldp x19, x20, [sp, #16]
  ldp x21, x22, [sp, #32]
  ldp x23, x24, [sp, #48]
  ldp x25, x26, [sp, #64]
  ldp x27, x28, [sp, #80]
  ldp x29, x30, [sp], #96
  ret
  .size sysfuzz_svc, . - sysfuzz_svc
)");
// clang-format on
