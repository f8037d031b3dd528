// SPDX-License-Identifier: Apache-2.0
// IPC buffer: the per-thread buffer for message words 5 and up, which the
// runtime owns and names to the kernel on a thread's first long message.
//
// ipc_buffer() returns the calling thread's buffer. The first time, it takes
// one of KESTREL_IPC_BUFFERS buffers in the program's .bss and names it with
// set_ipc_buffer; it remembers the buffer in TPIDR_EL0, which the kernel
// keeps per thread (0 when the thread starts), so that each thread of a
// program finds its own. A thread that wants a buffer of its own names it with
// use_ipc_buffer (not set_ipc_buffer, which ipc_buffer() would not see).
#pragma once

#include <cstdint>

#include <kestrel/syscall.hpp>

// Threads of one program that can take a runtime buffer (512 bytes each).
#ifndef KESTREL_IPC_BUFFERS
#define KESTREL_IPC_BUFFERS 4
#endif

namespace kestrel {

namespace ipc_buffer_detail {

alignas(64) inline uint64_t pool[KESTREL_IPC_BUFFERS][abi::max_message_words];
// Buffers handed out. Relaxed: only the uniqueness of each index matters,
// and fetch_add gives that at any ordering.
inline uint64_t taken = 0;

inline uint64_t* remembered() {
  uint64_t value;
  asm volatile("mrs %0, tpidr_el0" : "=r"(value));
  return reinterpret_cast<uint64_t*>(value);
}

inline void remember(uint64_t* buffer) { asm volatile("msr tpidr_el0, %0" : : "r"(buffer)); }

}  // namespace ipc_buffer_detail

// Names `buffer` (abi::ipc_buffer_size bytes of writable memory, 8-byte
// aligned) the calling thread's IPC buffer; nullptr: none.
inline abi::Status use_ipc_buffer(uint64_t* buffer) {
  const abi::Status status = set_ipc_buffer(buffer);
  if (status == abi::Status::ok) ipc_buffer_detail::remember(buffer);
  return status;
}

// The calling thread's IPC buffer; nullptr if every runtime buffer is taken
// (messages are then at most 5 words).
inline uint64_t* ipc_buffer() {
  using namespace ipc_buffer_detail;
  if (uint64_t* buffer = remembered(); buffer != nullptr) return buffer;
  const uint64_t index = __atomic_fetch_add(&taken, 1, __ATOMIC_RELAXED);
  if (index >= KESTREL_IPC_BUFFERS) return nullptr;
  return use_ipc_buffer(pool[index]) == abi::Status::ok ? pool[index] : nullptr;
}

}  // namespace kestrel
