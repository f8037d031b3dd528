// SPDX-License-Identifier: Apache-2.0
// Control: a native real-time partition with a periodic control loop, on a
// CPU of its own while Linux boots and works beside it. Every period (1 ms)
// it steps a PD controller that drives a simulated mass towards a set point
// in double precision (so it uses FP/SIMD registers, switched lazily by the
// kernel like everyone's), and measures how late the period started. Every
// 1000 periods it reports its worst lateness so far, the periods it missed
// (releases that never came) and the controller's position as the bits of
// the double, which are the same on every run: the arithmetic depends only
// on the number of steps: every 250 steps. Each lateness report covers the
// last 1000 periods.
//
// The kernel releases it every 1 ms: its thread has a budget of 200 us in
// every 1 ms period, or its partition a 1 ms major frame with a window for
// it (the policy chooses), so once it has done its step it spins until the
// kernel takes the CPU away until the next period. A gap in the counter
// between two reads is a new release; the first one fixes the phase, and
// each later one should come a whole number of periods after it (under
// QEMU's -icount with several CPUs, one emulated CPU at a time runs, so a
// CPU of its own misses periods while QEMU runs the others).
#include <kestrel/console.hpp>
#include <kestrel/slots.hpp>
#include <kestrel/syscall.hpp>

namespace {

constinit kestrel::Console console = kestrel::Console::kernel(kestrel::slots::kernel_console);

uint64_t now() {
  uint64_t value;
  asm volatile("isb\n mrs %0, cntvct_el0" : "=r"(value));
  return value;
}

uint64_t counter_frequency() {
  uint64_t value;
  asm volatile("mrs %0, cntfrq_el0" : "=r"(value));
  return value;
}

uint64_t bits_of(double value) {
  uint64_t bits;
  __builtin_memcpy(&bits, &value, sizeof bits);
  return bits;
}

// A unit mass on a frictionless track pulled towards 1.0 by a PD
// controller, integrated with explicit Euler steps of dt = 1/1024 s (a
// power of two, so the step itself rounds nothing). Written so that no
// multiply-add can be fused: each product is its own statement.
struct Plant {
  double position = 0.0;
  double velocity = 0.0;

  void step() {
    constexpr double set_point = 1.0;
    constexpr double stiffness = 4.0;
    constexpr double damping = 2.5;
    constexpr double dt = 1.0 / 1024.0;
    const double error = set_point - position;
    const double pull = stiffness * error;
    const double drag = damping * velocity;
    const double force = pull - drag;
    const double dv = force * dt;
    velocity = velocity + dv;
    const double dx = velocity * dt;
    position = position + dx;
  }
};

// The next release: the first counter reading after a gap of more than
// half a period (the CPU was taken away once the budget ran out).
uint64_t wait_for_release(uint64_t period) {
  uint64_t last = now();
  for (;;) {
    const uint64_t current = now();
    if (current - last > period / 2) return current;
    last = current;
  }
}

}  // namespace

extern "C" int main() {
  const uint64_t frequency = counter_frequency();
  const uint64_t period = frequency / 1000;  // 1 ms, as the policy's periodUs
  Plant plant;
  uint64_t worst_lateness = 0;  // in the last 1000 periods
  uint64_t missed = 0;          // likewise
  const uint64_t first = wait_for_release(period);
  uint64_t previous_index = 0;
  for (uint64_t steps = 1;; ++steps) {
    plant.step();
    if (steps % 250 == 0) console.printf("position after %lu steps %#lx\n", steps, bits_of(plant.position));
    if (steps % 1000 == 0) {
      const uint64_t worst_us = worst_lateness * 1'000'000 / frequency;
      if (missed == 0) {
        console.printf("periods %lu-%lu: every one kept; worst lateness %lu us\n", steps - 999, steps, worst_us);
      } else {
        console.printf("periods %lu-%lu: %lu MISSED; worst lateness %lu us\n", steps - 999, steps, missed, worst_us);
      }
      worst_lateness = 0;
      missed = 0;
    }
    const uint64_t release = wait_for_release(period);
    // The nearest period boundary: the first release may itself have come a
    // little late, so a later one can be a little "early" against it.
    const uint64_t since_first = release - first;
    const uint64_t index = (since_first + period / 2) / period;
    const uint64_t lateness = since_first > index * period ? since_first - index * period : 0;
    if (index > previous_index + 1) missed += index - previous_index - 1;
    previous_index = index;
    if (lateness > worst_lateness) worst_lateness = lateness;
  }
}
