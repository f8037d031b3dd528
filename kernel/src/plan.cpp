// SPDX-License-Identifier: Apache-2.0
// Plan: window boundaries.
#include <kestrel/plan.hpp>

namespace kestrel {

// nanoseconds * frequency / 10^9, rounded down, without a 128-bit division
// (which would link GCC's __udivti3, 832 bytes of text): with nanoseconds =
// q * 10^9 + r, the result is q * frequency + r * frequency / 10^9 exactly,
// and r * frequency fits 64 bits for any counter below 18 GHz (Armv8.6 fixes
// it at 1 GHz; QEMU's is 62.5 MHz).
uint64_t Plan::ticks(uint64_t nanoseconds, uint64_t frequency) {
  constexpr uint64_t per_second = 1'000'000'000U;
  return nanoseconds / per_second * frequency + nanoseconds % per_second * frequency / per_second;
}

void Plan::configure(const abi::Cpu_plan_entry& plan, Span<const abi::Window_entry> windows, uint64_t frequency,
                     uint64_t epoch) {
  count_ = 0;
  epoch_ = epoch;
  exclusive_ = (plan.flags & abi::cpu_exclusive) != 0;
  // Boundaries from the running sum of nanoseconds, so that rounding to
  // ticks never accumulates over the frame.
  uint64_t elapsed_ns = 0;
  for (const abi::Window_entry& window : windows) {
    if (count_ == abi::max_windows_per_cpu) break;
    elapsed_ns += window.duration_ns;
    partitions_[count_] = window.partition;
    ends_[count_] = ticks(elapsed_ns, frequency);
    ++count_;
  }
  frame_ = ticks(plan.major_frame_ns, frequency);
  // A frame shorter than a tick cannot be kept: the CPU then behaves as if
  // its first partition had it exclusively.
  if (frame_ == 0) exclusive_ = true;
}

Plan::Window Plan::at(uint64_t now, uint32_t hint) const {
  if (exclusive_ || count_ == 0) return {partitions_[0], 0, UINT64_MAX};
  const uint64_t since_epoch = now >= epoch_ ? now - epoch_ : 0;
  const uint64_t offset = since_epoch % frame_;
  const uint64_t frame_start = now - offset;
  // The hint holds if the windows before it have ended in this frame.
  uint32_t first = hint < count_ && (hint == 0 || offset >= ends_[hint - 1]) ? hint : 0;
  for (uint32_t i = first; i < count_; ++i) {
    if (offset < ends_[i]) return {partitions_[i], i, frame_start + ends_[i]};
  }
  return {partitions_[count_ - 1], count_ - 1, frame_start + frame_};  // rounding left the last tick over
}

}  // namespace kestrel
