// SPDX-License-Identifier: Apache-2.0
// Scale benchmark, the timed roles (roles.hpp), measured as the IPC
// benchmark measures (benchmarks/ipc/timed.hpp, docs/benchmarks.md): the
// sender reads the counter right before its svc and passes the value in
// message word 0 (for a signal: in the stamp page, layout.hpp); the receiver
// reads the counter right after its svc returns. Part b names each figure
// after its CPU (".cpuN"); part c's figures cross from CPU 0 to CPU 1.
#include <kestrel/syscall.hpp>

#include "../ipc/timed.hpp"
#include "layout.hpp"
#include "roles.hpp"

namespace kestrel::bench::scale {
namespace {

using abi::Status;
using abi::Syscall;

enum Label : uint64_t { label_call = 1, label_done = 2 };

volatile uint64_t* const stamp = reinterpret_cast<volatile uint64_t*>(stamp_address);

// "<base>.cpu<cpu>" for part b.
struct Name {
  char text[64];
  Name(const char* base, uint64_t cpu) {
    Line line;
    line.append(base);
    line.append(".cpu");
    line.append_decimal(cpu);
    size_t i = 0;
    for (; i < line.length && i + 1 < sizeof text; ++i) text[i] = line.text[i];
    text[i] = '\0';
  }
};

void failed(uint64_t console, const char* what) {
  Line line;
  line.append("FAILED: ");
  line.append(what);
  line.append("\n");
  console_write(console, line.text, line.length);
}

// Signals `notification` as timed_signal does (counter stored at *stamp
// right before the svc), and also reads the counter when the svc returns:
// the signaller's own side of the signal.
struct Timed_signal {
  Status status;
  uint64_t start;
  uint64_t end;
};
Timed_signal timed_signal_returning(uint64_t notification) {
  register uint64_t x0 asm("x0") = notification;
  register uint64_t x1 asm("x1") = 0;
  register uint64_t x2 asm("x2") = 0;
  register uint64_t x3 asm("x3") = 0;
  register uint64_t x4 asm("x4") = 0;
  register uint64_t x5 asm("x5") = 0;
  register uint64_t x8 asm("x8") = static_cast<uint64_t>(Syscall::signal);
  uint64_t start;
  uint64_t end;
  asm volatile("mrs %[start], pmccntr_el0\n\tstr %[start], [%[stamp]]\n\tsvc #0\n\tmrs %[end], pmccntr_el0"
               : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), [start] "=&r"(start), [end] "=r"(end)
               : "r"(x8), [stamp] "r"(stamp)
               : "memory");
  return {static_cast<Status>(x0), start, end};
}

// Calls the server `rounds` times, then once with label_done for it to
// print. Times each reply (the server's word 0) and, if `round_trips` is
// given, each whole call (the server echoes the caller's word 0 in word 1).
bool call_rounds(uint64_t* replies, uint64_t* round_trips, uint64_t overhead) {
  const uint64_t words[abi::message_register_words] = {};
  bool good = true;
  for (uint64_t i = 0; i < rounds; ++i) {
    const auto reply = timed_message<true>(Syscall::call, slot::call, abi::message_info(label_call, 2), words);
    good = good && reply.status == Status::ok;
    replies[i] = reply.end - reply.words[0] - overhead;
    if (round_trips != nullptr) round_trips[i] = reply.end - reply.words[1] - overhead;
  }
  const uint64_t none[abi::message_register_words] = {};
  good = good && call(slot::call, label_done, none, 0).status == Status::ok;
  return good;
}

// Serves calls: times each from its word 0, answers with word 1 = that
// word 0; on label_done prints the figure `name` (nullptr: none, for a
// caller on another CPU, whose counter is not this CPU's). Never returns.
[[noreturn]] void serve(uint64_t console, const char* name) {
  const uint64_t overhead = message_overhead();
  uint64_t samples[rounds];
  uint64_t count = 0;
  uint64_t reply[abi::message_register_words] = {};
  auto message = timed_message<true>(Syscall::recv, slot::receive, 0, reply);
  for (;;) {
    if (message.status != Status::ok) failed(console, "receive");
    if (message.label() == label_call && count < rounds) samples[count++] = message.end - message.words[0] - overhead;
    if (message.label() == label_done && name != nullptr) {
      if (count == rounds) {
        print_result(console, name, samples, overhead);
      } else {
        failed(console, "too few calls for a figure");
      }
    }
    reply[1] = message.words[0];
    message = timed_message<true>(Syscall::reply_recv, slot::receive, abi::message_info(message.label(), 2), reply);
  }
}

uint64_t replies[rounds];
uint64_t round_trips[rounds];
uint64_t wakes[rounds];
uint64_t sender_side[rounds];
uint64_t stamp_scratch;

}  // namespace

void run_client(uint64_t cpu) {
  const uint64_t overhead = message_overhead();
  if (call_rounds(replies, nullptr, overhead)) {
    print_result(slot::console, Name("reply_recv_one_way_cross", cpu).text, replies, overhead);
  } else {
    failed(slot::console, "a call to the server");
  }
  thread_exit();
}

void run_server(uint64_t cpu) { serve(slot::console_alone, Name("call_one_way_cross", cpu).text); }

void run_waiter(uint64_t cpu) {
  const uint64_t overhead = stamp_overhead(&stamp_scratch);
  bool good = true;
  for (uint64_t i = 0; i < rounds; ++i) {
    const auto woken = timed_wait(slot::wait);
    wakes[i] = woken.end - *stamp - overhead;
    good = good && woken.status == Status::ok;
  }
  if (good) {
    print_result(slot::console, Name("signal_wake_same", cpu).text, wakes, overhead);
  } else {
    failed(slot::console, "a wait");
  }
  thread_exit();
}

void run_signaller() {
  for (uint64_t i = 0; i < rounds; ++i) {
    if (timed_signal(slot::signal, stamp) != Status::ok) failed(slot::console, "a signal");
  }
  thread_exit();
}

void run_cross_client() {
  const uint64_t overhead = message_overhead();
  if (call_rounds(replies, round_trips, overhead)) {
    print_result(slot::console, "call_round_trip_cross_cpu", round_trips, overhead);
  } else {
    failed(slot::console, "a call to the server on the other CPU");
  }
  thread_exit();
}

// Across CPUs only the caller's and signaller's own counters give figures:
// each CPU's PMCCNTR_EL0 starts at its own moment.
void run_cross_server() { serve(slot::console, nullptr); }

void run_cross_waiter() {
  bool good = true;
  for (uint64_t i = 0; i < rounds; ++i) {
    const auto woken = timed_wait(slot::wait);
    good = good && woken.status == Status::ok && signal(slot::signal) == Status::ok;
  }
  if (!good) failed(slot::console, "a wait or its acknowledgement");
  thread_exit();
}

void run_cross_signaller() {
  const uint64_t overhead = stamp_overhead(&stamp_scratch);
  bool good = true;
  for (uint64_t i = 0; i < rounds; ++i) {
    const Timed_signal sent = timed_signal_returning(slot::signal);
    const auto acknowledged = timed_wait(slot::wait);
    sender_side[i] = sent.end - sent.start - overhead;
    round_trips[i] = acknowledged.end - sent.start - overhead;
    good = good && sent.status == Status::ok && acknowledged.status == Status::ok;
  }
  if (good) {
    print_result(slot::console, "signal_cross_cpu_sender", sender_side, overhead);
    print_result(slot::console, "signal_cross_cpu_round_trip", round_trips, overhead);
  } else {
    failed(slot::console, "a signal or the wait for its acknowledgement");
  }
  thread_exit();
}

}  // namespace kestrel::bench::scale
