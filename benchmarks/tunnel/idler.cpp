// SPDX-License-Identifier: Apache-2.0
// Idler: a thread on each of CPUs 1-3 of the 4-CPU benchmark systems, so
// that the kernel starts those CPUs (it starts only CPUs that run threads)
// and the unmaps' inner-shareable TLB invalidations reach 4 CPUs. Each
// waits for ever on a notification of its own (a notification has one
// waiter), chosen by the CPU it runs on.
#include <kestrel/slots.hpp>
#include <kestrel/syscall.hpp>

extern "C" int main() {
  namespace slots = kestrel::slots;
  const uint32_t cpu = slots::this_thread().cpu;
  const uint64_t rest = cpu == 1 ? slots::wait_rest_1 : cpu == 2 ? slots::wait_rest_2 : slots::wait_rest_3;
  for (;;) kestrel::wait(rest);
}
