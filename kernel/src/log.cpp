// SPDX-License-Identifier: Apache-2.0
// Log: the kernel's text, held back while a console driver partition that
// shares the UART may be mid-line.
#include <kestrel/log.hpp>
#include <kestrel/partition.hpp>
#include <kestrel/thread.hpp>

namespace kestrel {
namespace {

// Under the kernel lock once threads run (boot is single-threaded).
const Partition* console_owner = nullptr;
char pending[4096];
size_t pending_length = 0;

// No thread of the owner is running or about to run: it is not in the
// middle of writing a line (it writes while it handles a request, and then
// waits again).
bool owner_quiet() {
  for (uint32_t i = 0; i < console_owner->thread_count(); ++i) {
    if (thread_object(console_owner->first_thread() + i).state == Thread::State::ready) return false;
  }
  return true;
}

}  // namespace

void log_defer_for(const Partition* owner) { console_owner = owner; }

void log_write(const char* text, size_t length) {
  if (console_owner == nullptr || (pending_length == 0 && owner_quiet())) {
    console_write(text, length);
    return;
  }
  if (length > sizeof pending - pending_length) log_flush_now();  // better mixed than lost
  if (length > sizeof pending) {
    console_write(text, length);
    return;
  }
  for (size_t i = 0; i < length; ++i) pending[pending_length++] = text[i];
}

void log_flush_if_quiet() {
  if (pending_length != 0 && owner_quiet()) log_flush_now();
}

void log_flush_now() {
  console_write(pending, pending_length);
  pending_length = 0;
}

}  // namespace kestrel
