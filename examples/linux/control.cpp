// SPDX-License-Identifier: Apache-2.0
// Control: a native real-time partition with a periodic control loop, on a
// CPU of its own while Linux boots and works beside it. Every period (1 ms)
// it steps a PD controller that drives a simulated mass towards a set point
// in double precision (so it uses FP/SIMD registers, switched lazily by the
// kernel like everyone's), and measures how late the period started. Every
// 1000 periods it reports its worst lateness so far, the periods it missed
// (started more than a whole period late) and the controller's position as
// the bits of the double, which are the same on every run: the arithmetic
// depends only on the number of steps.
//
// The loop waits by reading the virtual counter: the CPU is its alone
// (exclusive in the policy), so there is nothing else to give it to.
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

}  // namespace

extern "C" int main() {
  const uint64_t ticks_per_us = counter_frequency() / 1'000'000;
  const uint64_t period = 1000 * ticks_per_us;
  Plant plant;
  uint64_t worst_lateness = 0;
  uint64_t missed = 0;
  uint64_t next = now() + period;
  for (uint64_t periods = 1;; ++periods) {
    while (now() < next) {
    }
    const uint64_t lateness = now() - next;
    if (lateness > worst_lateness) worst_lateness = lateness;
    if (lateness >= period) ++missed;
    plant.step();
    if (periods % 1000 == 0) {
      console.printf("period %lu: worst lateness %lu us, %lu missed, position %#lx\n", periods,
                     worst_lateness / ticks_per_us, missed, bits_of(plant.position));
    }
    next += period;
  }
}
