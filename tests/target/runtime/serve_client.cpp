// SPDX-License-Identifier: Apache-2.0
// Serve test client: calls the server of serve_server.cpp with short and long
// messages through kestrel::Outgoing / Incoming, sends it one-way notes,
// rings its bell and the listener's chime, and checks every answer.
#include <kestrel/console.hpp>
#include <kestrel/message.hpp>

namespace {

using kestrel::abi::Status;

constexpr uint64_t service = 0;  // call "service" (badge 7)
constexpr uint64_t bell = 1;     // signal "bell" (badge 4)
constexpr uint64_t chime = 2;    // signal "chime" (badge 0x20)
constexpr uint64_t console_slot = 3;
constexpr uint64_t badge = 7;

constinit kestrel::Console console = kestrel::Console::kernel(console_slot);
int failures = 0;

void check(bool good, const char* what) {
  if (good) return;
  ++failures;
  console.printf("FAILED: %s\n", what);
}

enum class Colour : uint64_t { red = 1, green = 2 };

void short_call() {
  const auto reply = kestrel::call(service, kestrel::Outgoing(1).add(100).add(20).add(Colour::green));
  check(reply.status() == Status::ok, "short call status");
  check(reply.label() == 1 && reply.length() == 3, "short reply label and length");
  check(reply.word(0) == 122, "sum of three words");
  check(reply.word(1) == badge, "the server saw this client's badge");
  check(reply.word_as<uint32_t>(2) == 3, "the server saw three words");
  check(reply.word(3) == 0, "words past the length read as 0");
}

void long_call() {
  constexpr uint64_t length = 40;
  kestrel::Outgoing request(2);
  for (uint64_t i = 0; i < length; ++i) request.add(i * 1000 + 1);
  const auto reply = kestrel::call(service, request);
  check(reply.status() == Status::ok && reply.length() == length, "long reply length");
  bool reversed = true;
  for (uint64_t i = 0; i < length; ++i) reversed = reversed && reply.word(i) == (length - 1 - i) * 1000 + 1;
  check(reversed, "40 words came back reversed");
}

void long_reply_to_a_short_call() {
  const auto reply = kestrel::call(service, kestrel::Outgoing(5).add(64));
  check(reply.length() == 64, "64 words back from a one-word call");
  bool squares = true;
  for (uint64_t i = 0; i < 64; ++i) squares = squares && reply.word(i) == i * i;
  check(squares, "the squares");
}

}  // namespace

extern "C" int main() {
  short_call();
  long_call();
  long_reply_to_a_short_call();
  check(kestrel::send(service, kestrel::Outgoing(3).add(0xabc)) == Status::ok, "first note");
  check(kestrel::send(service, kestrel::Outgoing(3).set(7, 0xdef)) == Status::ok, "second note, eight words");
  check(kestrel::signal(bell) == Status::ok, "ring the bell");
  check(kestrel::signal(chime) == Status::ok, "ring the chime");
  const auto done = kestrel::call(service, kestrel::Outgoing(4));
  check(done.word(0) == 2, "the server counted both notes before done");
  console.printf(failures == 0 ? "every serve check passed\n" : "some serve checks FAILED\n");
  kestrel::thread_exit();
}
