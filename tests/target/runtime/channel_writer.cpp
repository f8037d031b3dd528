// SPDX-License-Identifier: Apache-2.0
// Channel test writer: streams Samples through the channel "stream" with
// kestrel::Channel_writer in three phases that the reader
// (channel_reader.cpp) acknowledges on "ack".
#include <kestrel/channel.hpp>
#include <kestrel/console.hpp>

#include "channel_sample.hpp"

namespace {

using namespace channel_test;

constexpr uint64_t ack = 0;       // wait on "ack"
constexpr uint64_t phase = 1;     // signal "phase"
constexpr uint64_t doorbell = 2;  // signal "stream.doorbell.reader"
constexpr uint64_t console_slot = 3;

constinit kestrel::Console console = kestrel::Console::kernel(console_slot);

}  // namespace

extern "C" int main() {
  kestrel::Channel_writer<Sample> out(writer_address, size, doorbell);
  if (out.slot_count() != slots) console.printf("FAILED: %lu slots\n", out.slot_count());
  uint64_t n = 0;
  // 1: each message rung.
  for (uint64_t i = 0; i < first_phase; ++i) out.send(sample(n++, 1));
  kestrel::wait(ack);
  // 2: three times round the ring and more before the reader may look.
  for (uint64_t i = 0; i < overrun; ++i) out.write(sample(n++, 2));
  kestrel::signal(phase);
  kestrel::wait(ack);
  // 3: as fast as it can, rung every 64, while the reader reads.
  for (uint64_t i = 0; i < race; ++i) {
    out.write(sample(n++, 3));
    if (i % 64 == 63) out.ring();
  }
  out.ring();
  kestrel::wait(ack);
  console.printf("wrote %lu messages through %lu slots\n", out.written(), out.slot_count());
  kestrel::thread_exit();
}
