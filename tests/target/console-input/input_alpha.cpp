// SPDX-License-Identifier: Apache-2.0
// Alpha, the console-input test's first client (badge 1, the first focus):
// two lines of input, woken by its doorbell "console-input-1".
#include "input_client.hpp"

namespace {
constinit kestrel::Console console(kestrel::slots::call_console, "alpha");
}  // namespace

extern "C" int main() { input_client::run(console, kestrel::slots::wait_console_input_1, 2); }
