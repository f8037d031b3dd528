// SPDX-License-Identifier: Apache-2.0
// Stopper: waits until every partition it waits for has signalled its
// "done" notification (KESTREL_ALL_DONE, their badges OR-ed), then powers
// the machine off. Systems whose drivers wait for interrupts never run out
// of threads, so something must end them.
#include <kestrel/syscall.hpp>

#ifndef KESTREL_ALL_DONE
#error "define KESTREL_ALL_DONE"
#endif

namespace {

constexpr uint64_t done = 0;   // slot 0: wait on "done"
constexpr uint64_t power = 1;  // slot 1: power the machine off

}  // namespace

extern "C" int main() {
  uint64_t word = 0;
  while (word != KESTREL_ALL_DONE) word |= kestrel::wait(done).value;
  kestrel::system_off(power);
  kestrel::thread_exit();
}
