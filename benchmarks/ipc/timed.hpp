// SPDX-License-Identifier: Apache-2.0
// Timed: the system calls of the IPC benchmark's partitions with the cycle
// counter read in the same asm block as the svc, so that no compiler-placed
// instruction lands between a counter read and the svc; and for each, an
// overhead twin with a nop in the svc's place.
#pragma once

#include <kestrel/syscall.hpp>

#include "bench.hpp"

namespace kestrel::bench {

// A message as recv, reply_recv and call return it, and the counter right
// after the svc returned.
struct Timed_message {
  abi::Status status;
  uint64_t badge;
  uint64_t info;
  uint64_t words[abi::message_register_words];
  uint64_t end;

  uint64_t label() const { return abi::message_label(info); }
  uint64_t length() const { return abi::message_length(info); }
};

// A message system call (registers as kestrel::message_syscall) whose word 0
// is the counter read right before the svc: the receiver of the message
// learns when it was sent. words[0] is ignored. With Real false a nop stands
// in for the svc, and words[0] of the result is the start: end - words[0] is
// the overhead of the two counter reads.
template <bool Real>
inline Timed_message timed_message(abi::Syscall number, uint64_t capability, uint64_t info,
                                   const uint64_t (&words)[abi::message_register_words]) {
  register uint64_t x0 asm("x0") = capability;
  register uint64_t x1 asm("x1") = 0;
  register uint64_t x2 asm("x2") = info;
  register uint64_t x3 asm("x3") = 0;
  register uint64_t x4 asm("x4") = words[1];
  register uint64_t x5 asm("x5") = words[2];
  register uint64_t x6 asm("x6") = words[3];
  register uint64_t x7 asm("x7") = words[4];
  register uint64_t x8 asm("x8") = static_cast<uint64_t>(number);
  uint64_t end;
  if constexpr (Real) {
    asm volatile("mrs x3, pmccntr_el0\n\tsvc #0\n\tmrs %[end], pmccntr_el0"
                 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6), "+r"(x7), [end] "=r"(end)
                 : "r"(x8)
                 : "memory");
  } else {
    asm volatile("mrs x3, pmccntr_el0\n\tnop\n\tmrs %[end], pmccntr_el0"
                 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6), "+r"(x7), [end] "=r"(end)
                 : "r"(x8)
                 : "memory");
  }
  return {static_cast<abi::Status>(x0), x1, x2, {x3, x4, x5, x6, x7}, end};
}

// The overhead of timed_message: its smallest twin run.
inline uint64_t message_overhead() {
  constexpr uint64_t none[abi::message_register_words] = {};
  uint64_t best = ~uint64_t{0};
  for (uint64_t i = 0; i < overhead_runs; ++i) {
    const Timed_message twin = timed_message<false>(abi::Syscall::call, 0, 0, none);
    const uint64_t cost = twin.end - twin.words[0];
    if (cost < best) best = cost;
  }
  return best;
}

// Signals `notification` with the counter, read right before the svc,
// stored at *start for the woken thread of the same partition.
inline abi::Status timed_signal(uint64_t notification, volatile uint64_t* start) {
  register uint64_t x0 asm("x0") = notification;
  register uint64_t x1 asm("x1") = 0;
  register uint64_t x2 asm("x2") = 0;
  register uint64_t x3 asm("x3") = 0;
  register uint64_t x4 asm("x4") = 0;
  register uint64_t x5 asm("x5") = 0;
  register uint64_t x8 asm("x8") = static_cast<uint64_t>(abi::Syscall::signal);
  uint64_t stamp;
  asm volatile("mrs %[stamp], pmccntr_el0\n\tstr %[stamp], [%[start]]\n\tsvc #0"
               : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), [stamp] "=&r"(stamp)
               : "r"(x8), [start] "r"(start)
               : "memory");
  return static_cast<abi::Status>(x0);
}

// Stores the counter at *start, then `value` (32 bits) to the device
// register at `address`: the store that raises an interrupt.
inline void timed_device_store(volatile uint64_t* start, uint64_t address, uint32_t value) {
  uint64_t stamp;
  asm volatile("mrs %[stamp], pmccntr_el0\n\tstr %[stamp], [%[start]]\n\tstr %w[value], [%[address]]"
               : [stamp] "=&r"(stamp)
               : [start] "r"(start), [value] "r"(value), [address] "r"(address)
               : "memory");
}

// The overhead of timed_signal and timed_device_store as measured by a
// timed_wait: counter read, store, nop, counter read.
inline uint64_t stamp_overhead(volatile uint64_t* scratch) {
  uint64_t best = ~uint64_t{0};
  for (uint64_t i = 0; i < overhead_runs; ++i) {
    uint64_t stamp;
    uint64_t end;
    asm volatile("mrs %[stamp], pmccntr_el0\n\tstr %[stamp], [%[start]]\n\tnop\n\tmrs %[end], pmccntr_el0"
                 : [stamp] "=&r"(stamp), [end] "=r"(end)
                 : [start] "r"(scratch)
                 : "memory");
    if (end - stamp < best) best = end - stamp;
  }
  return best;
}

struct Timed_wait {
  abi::Status status;
  uint64_t word;  // the notification's word
  uint64_t end;   // the counter right after the svc returned
};

// Waits on `notification`; reads the counter as soon as the wait returns.
inline Timed_wait timed_wait(uint64_t notification) {
  register uint64_t x0 asm("x0") = notification;
  register uint64_t x1 asm("x1") = 0;
  register uint64_t x2 asm("x2") = 0;
  register uint64_t x3 asm("x3") = 0;
  register uint64_t x4 asm("x4") = 0;
  register uint64_t x5 asm("x5") = 0;
  register uint64_t x8 asm("x8") = static_cast<uint64_t>(abi::Syscall::wait);
  uint64_t end;
  asm volatile("svc #0\n\tmrs %[end], pmccntr_el0"
               : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), [end] "=r"(end)
               : "r"(x8)
               : "memory");
  return {static_cast<abi::Status>(x0), x1, end};
}

// Prints the RESULT line of `samples` (bench::rounds of them) in one
// console write.
inline void print_result(uint64_t console, const char* name, uint64_t* samples, uint64_t overhead) {
  const Line line = result_line(name, samples, overhead);
  console_write(console, line.text, line.length);
}

}  // namespace kestrel::bench
