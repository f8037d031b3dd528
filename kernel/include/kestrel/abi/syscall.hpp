// SPDX-License-Identifier: Apache-2.0
// Syscall: the system-call ABI between partitions and the kernel, shared by
// both (docs/abi.md explains it).
//
// A native thread calls the kernel with `svc #0`: the system-call number in
// x8, arguments in x0-x5. On return x0 holds a Status and x1-x5 any results;
// every other register is preserved. Capabilities are named by their index
// in the calling partition's capability table (the summary of kestrel-policy
// lists the slots). Numbers and codes never change meaning once released.
#pragma once

#include <cstdint>

namespace kestrel::abi {

enum class Syscall : uint64_t {
  console_write = 0,  // x0 console capability, x1 buffer address, x2 length (<= console_write_max)
  thread_exit = 1,    // the calling thread stops for good; never returns
  yield = 2,          // let another ready thread of the same priority run
};

enum class Status : uint64_t {
  ok = 0,
  invalid_syscall = 1,        // no such system-call number
  invalid_capability = 2,     // the index is outside the partition's capability table
  wrong_capability_type = 3,  // the capability is of another kind than the call needs
  missing_right = 4,          // the capability lacks the right the call needs
  invalid_argument = 5,       // an argument is out of range (e.g. too long)
  bad_address = 6,            // a buffer is not in the partition's readable (or writable) memory
};

inline constexpr uint64_t console_write_max = 256;  // bytes per console_write

}  // namespace kestrel::abi
