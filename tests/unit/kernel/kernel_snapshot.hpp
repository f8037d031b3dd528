// SPDX-License-Identifier: Apache-2.0
// Kernel snapshot: everything of an Ipc_system's state that a thread or the
// scheduler can observe, as values, so that two runs from the same starting
// state (the fast path's and the slow path's) can be compared field by
// field, and so that a fast path that declines can be shown to have changed
// nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ipc_system.hpp"

namespace kestrel::test {

struct Thread_snapshot {
  std::string name;
  int state;
  arch::Exception_frame context;
  std::vector<uint64_t> ipc_buffer_words;  // its IPC buffer's contents (empty: none)
  uint64_t ipc_buffer;                     // where it is (host address)
  uint64_t wake_at;
  uint32_t ready_domain;  // the scheduler's ready queue it is in (+1), 0: none
  std::string parked_on;  // the donor whose refill it waits for, "-": none
  int64_t budget_left;
  uint64_t period_end;
  bool waited_for_call;
  bool overrun_reported;
  bool fp_in_registers;
  std::string reply_to;  // thread names; "-" for none
  std::string serving;
  std::string next_sender;
  std::string donor;
  uint64_t sent_badge;
  bool kernel_message;
  uint64_t message[6];
  int64_t also_waiting_on;  // notification index, -1 for none
  int64_t receiving_on;     // endpoint index, -1 for none
  bool stop_scheduled;
  bool stop_when_answered;
  uint32_t exit_register;
  uint32_t resume_advance;
};

struct Endpoint_snapshot {
  std::string receiver;
  std::vector<std::string> queue;  // oldest first
};

struct Notification_snapshot {
  uint64_t word;
  std::string waiter;
  bool bound_to_interrupt;
};

struct Cpu_snapshot {
  std::string current;    // the scheduler's running thread
  std::string pick_next;  // what it would pick now
  bool woke_thread;
  uint64_t next_event;
  // The fake CPU's registers: the thread loaded, its translation, FP trap,
  // the kernel timer.
  std::string loaded;
  uint64_t translation_root;
  bool fp_trapping;
  uint64_t kernel_timer;
};

struct Partition_snapshot {
  uint32_t live_threads;
  std::string restart_waiter;
  bool console_mid_line;
};

struct Kernel_snapshot {
  std::vector<Thread_snapshot> threads;
  std::vector<Endpoint_snapshot> endpoints;
  std::vector<Notification_snapshot> notifications;
  std::vector<Cpu_snapshot> cpus;
  std::vector<Partition_snapshot> partitions;
};

Kernel_snapshot take_snapshot(Ipc_system& system);

// Adds a GoogleTest failure naming the object and field for every field
// that differs; true if none does.
bool expect_same(const Kernel_snapshot& expected, const Kernel_snapshot& actual);

}  // namespace kestrel::test
