// SPDX-License-Identifier: Apache-2.0
// Thread: a native thread of a partition, created at boot from boot-info.
#pragma once

#include <cstdint>

#include <arch/exception.hpp>
#include <kestrel/abi/boot_info.hpp>
#include <kestrel/partition.hpp>

namespace kestrel {

class Thread final {
 public:
  enum class State : uint8_t {
    inactive,  // its partition may not start, or it is not scheduled yet
    ready,
    stopped,  // exited or faulted; never runs again
  };

  // Binds the thread to `entry` of `partition`, with its registers set for
  // the first entry at EL0: pc = entry, sp = stack top, everything else 0.
  void create(const abi::Thread_entry& entry, const char* name, Partition& partition);

  const char* name() const { return name_ != nullptr ? name_ : ""; }
  Partition& partition() const { return *partition_; }
  uint32_t priority() const { return priority_; }
  uint32_t cpu() const { return cpu_; }

  State state = State::inactive;
  arch::Exception_frame context{};  // saved while the thread does not run

 private:
  Partition* partition_ = nullptr;
  const char* name_ = nullptr;  // zero, so the static pools stay in .bss
  uint32_t priority_ = 0;
  uint32_t cpu_ = 0;
};

}  // namespace kestrel
