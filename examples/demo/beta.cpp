// SPDX-License-Identifier: Apache-2.0
// Beta: a passive server. It answers each "ping" call with a "pong" (the
// number plus one), on the time of its caller, and for each also writes a
// news item into the shared-memory channel "news" and rings the reader's
// doorbell.
#include <kestrel/channel.hpp>
#include <kestrel/console.hpp>
#include <kestrel/serve.hpp>
#include <kestrel/slots.hpp>

#include "news.hpp"

namespace {

constinit kestrel::Console console(kestrel::slots::call_console, "beta");
constinit kestrel::Channel_writer<News> news(kestrel::channels::news_address, kestrel::channels::news_size,
                                             kestrel::slots::signal_news_doorbell_alpha);

kestrel::Outgoing ping(const kestrel::Incoming& request) {
  const uint64_t number = request.word(0);
  console.printf("ping %lu from badge %lu; pong %lu, and news item %lu into the channel\n", number, request.badge(),
                 number + 1, number);
  news.send(News{number, number * number});
  return kestrel::Outgoing(request.label()).add(number + 1);
}

}  // namespace

extern "C" int main() { kestrel::serve({.endpoint = kestrel::slots::serve_ping, .call = ping}); }
