// SPDX-License-Identifier: Apache-2.0
// Channel test reader: reads the writer's Samples (channel_writer.cpp) from
// its read-only mapping of "stream" with kestrel::Channel_reader and checks
// order, loss counting and that no message is ever torn.
#include <kestrel/channel.hpp>
#include <kestrel/console.hpp>

#include "channel_sample.hpp"

namespace {

using namespace channel_test;

constexpr uint64_t phase = 0;     // wait on "phase"
constexpr uint64_t doorbell = 1;  // wait on "stream.doorbell.reader"
constexpr uint64_t ack = 2;       // signal "ack"
constexpr uint64_t console_slot = 3;

constinit kestrel::Console console = kestrel::Console::kernel(console_slot);
kestrel::Channel_reader<Sample> in(reader_address, size, doorbell);
int failures = 0;

void check(bool good, const char* what) {
  if (good) return;
  ++failures;
  console.printf("FAILED: %s\n", what);
}

void first() {
  Sample s{};
  bool in_order = true;
  for (uint64_t i = 0; i < first_phase; ++i) {
    in.receive(s);
    in_order = in_order && s.number == i && in.sequence() == i && s.phase == 1 && whole(s);
  }
  check(in_order && in.lost() == 0, "phase 1: ten messages in order, none lost");
  console.printf("phase 1: %lu messages in order, %lu lost\n", first_phase, in.lost());
}

void second() {
  kestrel::wait(phase);
  Sample s{};
  uint64_t got = 0;
  bool in_order = true;
  // The newest `slots` messages are left, the oldest first.
  const uint64_t oldest = first_phase + overrun - slots;
  while (in.read(s)) {
    in_order = in_order && s.number == oldest + got && s.phase == 2 && whole(s);
    ++got;
  }
  check(in_order && got == slots && in.lost() == overrun - slots, "phase 2: the newest kept, the rest counted lost");
  console.printf("phase 2: kept the newest %lu of %lu, counted %lu lost\n", got, overrun, in.lost());
}

void third() {
  const uint64_t lost_before = in.lost();
  const uint64_t last = total - 1;
  Sample s{};
  uint64_t got = 0;
  uint64_t previous = first_phase + overrun - 1;
  bool good = true;
  do {
    in.receive(s);
    good = good && whole(s) && s.phase == 3 && s.number > previous && s.number == in.sequence();
    previous = s.number;
    ++got;
  } while (s.number != last);
  const uint64_t lost = in.lost() - lost_before;
  check(good, "phase 3: every message whole and in order");
  check(got + lost == race, "phase 3: every message read or counted lost");
  console.printf("phase 3: read %lu, lost %lu of %lu\n", got, lost, race);
}

}  // namespace

extern "C" int main() {
  first();
  kestrel::signal(ack);
  second();
  kestrel::signal(ack);
  third();
  kestrel::signal(ack);
  if (failures == 0) console.printf("every channel check passed\n");
  kestrel::thread_exit();
}
