// SPDX-License-Identifier: Apache-2.0
// Server: a passive server on the endpoint "greeting". It answers each
// greeting (label 1, word 0 the caller's count) with how many greetings it
// has answered so far, on the time of its caller.
#include <kestrel/console.hpp>
#include <kestrel/serve.hpp>
#include <kestrel/slots.hpp>

namespace {

constexpr uint64_t label_greeting = 1;

constinit kestrel::Console console = kestrel::Console::kernel(kestrel::slots::kernel_console);
uint64_t answered = 0;

kestrel::Outgoing greet(const kestrel::Incoming& request) {
  if (request.label() != label_greeting) return kestrel::Outgoing(0);
  ++answered;
  console.printf("greeting %lu from badge %lu; answered %lu so far\n", request.word(0), request.badge(), answered);
  return kestrel::Outgoing(label_greeting).add(answered);
}

}  // namespace

extern "C" int main() { kestrel::serve({.endpoint = kestrel::slots::serve_greeting, .call = greet}); }
