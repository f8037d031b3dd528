// SPDX-License-Identifier: Apache-2.0
// Test pools: a thread pool and scheduler memory for tests that drive a
// Scheduler by hand, without boot-info's kernel objects area (ipc_system.cpp
// carves the real way, through carve_kernel_objects).
#pragma once

#include <cstdint>
#include <vector>

#include <kestrel/scheduler.hpp>
#include <kestrel/thread.hpp>

namespace kestrel::test {

// thread_pool set to `count` fresh threads (the scheduler's queues name
// threads by their place in it).
inline Thread* use_test_threads(uint32_t count) {
  static std::vector<Thread> threads;
  threads.assign(count, Thread{});
  thread_pool = threads.data();
  thread_count = count;
  return thread_pool;
}

// Memory for one Scheduler, as carve_kernel_objects gives it: `domains`
// ready queues, a map of domains for `partitions`, `threads` heap slots.
class Test_scheduler_memory {
 public:
  Test_scheduler_memory(uint32_t domains, uint32_t partitions, uint32_t threads)
      : queues_(domains), map_(partitions), refills_(threads), wakeups_(threads) {}
  Scheduler::Memory memory() {
    return {queues_.data(),
            static_cast<uint32_t>(queues_.size()),
            map_.data(),
            static_cast<uint32_t>(map_.size()),
            refills_.data(),
            wakeups_.data(),
            static_cast<uint32_t>(refills_.size())};
  }

 private:
  std::vector<Scheduler::Domain_queue> queues_;
  std::vector<uint8_t> map_;
  std::vector<uint16_t> refills_;
  std::vector<uint16_t> wakeups_;
};

}  // namespace kestrel::test
