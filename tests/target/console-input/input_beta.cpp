// SPDX-License-Identifier: Apache-2.0
// Beta, the console-input test's second client (badge 2): one line of
// input, woken by its doorbell "console-input-2".
#include "input_client.hpp"

namespace {
constinit kestrel::Console console(kestrel::slots::call_console, "beta");
}  // namespace

extern "C" int main() { input_client::run(console, kestrel::slots::wait_console_input_2, 1); }
