// SPDX-License-Identifier: Apache-2.0
// Serve test listener: kestrel::serve with a notification and no endpoint
// (it waits on "chime"), printing the bits the client rings.
#include <kestrel/console.hpp>
#include <kestrel/serve.hpp>

namespace {

constexpr uint64_t chime = 0;  // wait on "chime"
constexpr uint64_t console_slot = 1;

constinit kestrel::Console console = kestrel::Console::kernel(console_slot);

void chimed(uint64_t bits) { console.printf("chime rung, bits %#lx\n", bits); }

}  // namespace

extern "C" int main() { kestrel::serve({.notification = chime, .notified = chimed}); }
