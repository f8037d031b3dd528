// SPDX-License-Identifier: Apache-2.0
// Bit signaller: signals its notification once (its badge is its bit) and
// exits. The notification-bits test (images/notification-bits.capnp).
#include <kestrel/syscall.hpp>

extern "C" int main() {
  (void)kestrel::signal(0);  // slot 0: signal "pile"
  kestrel::thread_exit();
}
