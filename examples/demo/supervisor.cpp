// SPDX-License-Identifier: Apache-2.0
// Supervisor: waits until alpha and rogue's hog have signalled "done" (their
// badges 1 and 2), then powers the machine off. Without it the system would
// run for ever: the console driver waits for input.
#include <kestrel/console.hpp>
#include <kestrel/slots.hpp>

namespace {

constexpr uint64_t everyone = 0x3;

constinit kestrel::Console console(kestrel::slots::call_console, "supervisor");

}  // namespace

extern "C" int main() {
  uint64_t done = 0;
  while (done != everyone) done |= kestrel::wait(kestrel::slots::wait_done).value;
  console.printf("alpha and rogue are done; powering the machine off\n");
  kestrel::system_off(kestrel::slots::power);
  kestrel::thread_exit();
}
