// SPDX-License-Identifier: Apache-2.0
// Plan: one CPU's cyclic schedule of time windows (a major frame cut into
// minor frames, each giving the CPU to one partition), in counter ticks.
//
// Every CPU's plan starts at the same epoch (the boot CPU's start of
// scheduling), so windows on different CPUs keep their relation. An
// exclusive CPU has one partition and no windows: nothing ever ends.
#pragma once

#include <cstdint>

#include <kestrel/abi/boot_info.hpp>
#include <kestrel/abi/limits.hpp>
#include <kestrel/span.hpp>

namespace kestrel {

class Plan final {
 public:
  // Takes the windows of `plan` (checked boot-info), converting nanoseconds
  // to ticks of a counter running at `frequency` Hz, from `epoch` on.
  void configure(const abi::Cpu_plan_entry& plan, Span<const abi::Window_entry> windows, uint64_t frequency,
                 uint64_t epoch);

  bool configured() const { return count_ != 0; }
  bool exclusive() const { return exclusive_; }

  struct Window {
    uint32_t partition;  // boot-info index of the partition that may run
    uint32_t index;      // its place in the frame
    uint64_t ends_at;    // tick at which it ends (UINT64_MAX: never)
  };

  // The window in force at tick `now` (now >= epoch). Looks from the
  // window at `hint` on, when that one has not ended yet in its frame: time
  // only moves on, so the window after the last one in force (`next_hint`)
  // is found in one step, however many windows the frame has.
  [[nodiscard]] Window at(uint64_t now, uint32_t hint = 0) const;
  [[nodiscard]] uint32_t next_hint(const Window& window) const {
    return window.index + 1 < count_ ? window.index + 1 : 0;
  }

  // Counter ticks for `nanoseconds` at `frequency` Hz, rounded down.
  static uint64_t ticks(uint64_t nanoseconds, uint64_t frequency);

 private:
  uint32_t partitions_[abi::max_windows_per_cpu] = {};
  uint64_t ends_[abi::max_windows_per_cpu] = {};  // offset of each window's end in the frame
  uint32_t count_ = 0;
  uint64_t frame_ = 0;  // major frame, ticks
  uint64_t epoch_ = 0;
  bool exclusive_ = false;
};

}  // namespace kestrel
