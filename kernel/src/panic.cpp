// SPDX-License-Identifier: Apache-2.0
// Panic and the C++ runtime hooks a freestanding kernel still needs.
#include <kestrel/arch.hpp>
#include <kestrel/fastpath.hpp>
#include <kestrel/log.hpp>

namespace kestrel {

[[noreturn]] void power_off_with_log() {
  log_fastpath_counts();
  log_flush_now();
  arch::power_off();
}

[[noreturn]] void panic_stop() { power_off_with_log(); }

}  // namespace kestrel

// Called if a pure virtual function is ever reached through a vtable.
extern "C" void __cxa_pure_virtual() { kestrel::panic("pure virtual function called"); }
