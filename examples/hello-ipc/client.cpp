// SPDX-License-Identifier: Apache-2.0
// Client: greets the server three times through the endpoint "greeting"
// and checks each answer, then exits. The server waits for calls that can
// no longer come, so the policy's noThreadLeft = powerOff ends the run.
#include <kestrel/console.hpp>
#include <kestrel/message.hpp>
#include <kestrel/slots.hpp>

namespace {

constexpr uint64_t greetings = 3;
constexpr uint64_t label_greeting = 1;

constinit kestrel::Console console = kestrel::Console::kernel(kestrel::slots::kernel_console);

}  // namespace

extern "C" int main() {
  console.printf("greeting the server %lu times\n", greetings);
  for (uint64_t number = 1; number <= greetings; ++number) {
    const kestrel::Incoming answer =
        kestrel::call(kestrel::slots::call_greeting, kestrel::Outgoing(label_greeting).add(number));
    const bool right = answer.status() == kestrel::abi::Status::ok && answer.word(0) == number;
    console.printf("answer %lu from the server%s\n", answer.word(0), right ? "" : " (WRONG)");
  }
  console.printf("done\n");
  kestrel::thread_exit();
}
