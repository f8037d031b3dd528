// SPDX-License-Identifier: Apache-2.0
// Scale benchmark program: every thread of the systems `kestrel bench
// --scale` generates runs this; its stack address says its role and number
// (layout.hpp). The filler and hello roles are here; the timed ones are in
// ipc_roles.cpp.
#include <kestrel/syscall.hpp>

#include "../ipc/bench.hpp"
#include "layout.hpp"
#include "roles.hpp"

namespace {

namespace scale = kestrel::bench::scale;
using scale::Role;

// Part a: a thread that is in the scheduler's structures for the whole run
// but never runs again: it waits on a notification of its own that nobody
// may signal.
[[noreturn]] void fill(uint64_t number) {
  for (;;) kestrel::wait(number);
}

// "RAN <number> at <CNTVCT_EL0> of <CNTFRQ_EL0>": the generic timer counts
// from reset, so the host can tell how long the boot took to get here
// (under -icount shift=0 a tick is 10^9 / CNTFRQ instructions).
void print_ran(uint64_t number) {
  uint64_t ticks;
  uint64_t frequency;
  asm volatile("isb\n\tmrs %0, cntvct_el0\n\tmrs %1, cntfrq_el0" : "=r"(ticks), "=r"(frequency));
  kestrel::bench::Line line;
  line.append("RAN ");
  line.append_decimal(number);
  line.append(" at ");
  line.append_decimal(ticks);
  line.append(" of ");
  line.append_decimal(frequency);
  line.append("\n");
  kestrel::console_write(scale::slot::console_alone, line.text, line.length);
}

// Part d: every partition shows it ran. A caller has a window; its server is
// passive and starts up on the caller's time, so the call is what makes it
// run at all.
[[noreturn]] void hello_caller(uint64_t number) {
  print_ran(number);
  const uint64_t none[kestrel::abi::message_register_words] = {};
  if (kestrel::call(scale::slot::call, 1, none, 0).status != kestrel::abi::Status::ok) {
    kestrel::console_print_line(scale::slot::console_alone, "FAILED: hello call of ", number);
  }
  kestrel::thread_exit();
}

[[noreturn]] void hello_server(uint64_t number) {
  print_ran(number);
  const uint64_t none[kestrel::abi::message_register_words] = {};
  kestrel::receive(scale::slot::receive);
  for (;;) kestrel::reply_and_receive(scale::slot::receive, 1, none, 0);
}

}  // namespace

extern "C" int main() {
  uint64_t sp;
  asm volatile("mov %0, sp" : "=r"(sp));
  // sp starts at the end of the stack region: its last byte is in it.
  const uint64_t offset = sp - 1 - scale::stack_base;
  const auto role = static_cast<Role>(offset / scale::role_stride);
  const uint64_t number = offset % scale::role_stride / scale::number_stride;
  switch (role) {
    case Role::filler:
      fill(number);
    case Role::client:
      scale::run_client(number);
    case Role::server:
      scale::run_server(number);
    case Role::waiter:
      scale::run_waiter(number);
    case Role::signaller:
      scale::run_signaller();
    case Role::cross_client:
      scale::run_cross_client();
    case Role::cross_server:
      scale::run_cross_server();
    case Role::cross_waiter:
      scale::run_cross_waiter();
    case Role::cross_signaller:
      scale::run_cross_signaller();
    case Role::hello_caller:
      hello_caller(number);
    case Role::hello_server:
      hello_server(number);
  }
  kestrel::console_print(scale::slot::console_alone, "FAILED: a thread with a stack no role has\n");
  kestrel::thread_exit();
}
