// SPDX-License-Identifier: Apache-2.0
// Alpha: calls beta three times over IPC ("ping" with a number, "pong" with
// the number plus one), then reads the news beta wrote into the
// shared-memory channel for each call, and tells the supervisor it is done.
#include <kestrel/channel.hpp>
#include <kestrel/console.hpp>
#include <kestrel/message.hpp>
#include <kestrel/slots.hpp>

#include "news.hpp"

namespace {

constexpr uint64_t pings = 3;
constexpr uint64_t label_ping = 1;

constinit kestrel::Console console(kestrel::slots::call_console, "alpha");
constinit kestrel::Channel_reader<News> news(kestrel::channels::news_address, kestrel::channels::news_size,
                                             kestrel::slots::wait_news_doorbell_alpha);

}  // namespace

extern "C" int main() {
  console.printf("hello; calling beta %lu times\n", pings);
  for (uint64_t number = 1; number <= pings; ++number) {
    const kestrel::Incoming pong = kestrel::call(kestrel::slots::call_ping, kestrel::Outgoing(label_ping).add(number));
    console.printf("pong %lu from beta%s\n", pong.word(0), pong.word(0) == number + 1 ? "" : " (WRONG)");
  }
  for (uint64_t received = 0; received < pings; ++received) {
    News item{};
    news.receive(item);
    console.printf("news item %lu over shared memory: %lu squared is %lu%s\n", item.item, item.item, item.square,
                   item.square == item.item * item.item ? "" : " (CORRUPT)");
  }
  console.printf("done\n");
  kestrel::signal(kestrel::slots::signal_done);
  kestrel::thread_exit();
}
