// SPDX-License-Identifier: Apache-2.0
// Refused-reply server: thread "waiter" waits in recv on endpoint "back";
// thread "main" takes a call on "front" and answers it with reply_recv on
// "back", which the kernel must refuse (would_deadlock: another thread
// waits there) before it replies: the caller must not get that answer.
// Then main answers again with reply_recv on "front", and the caller must
// get this second answer (images/refused-reply.capnp).
#include <kestrel/syscall.hpp>

namespace {

constexpr uint64_t front = 0;  // slot 0: receive on "front"
constexpr uint64_t back = 1;   // slot 1: receive on "back"
constexpr uint64_t console = 2;
constexpr uint64_t waiter_stack = 0x90'0000;

}  // namespace

extern "C" int main() {
  uint64_t sp;
  asm volatile("mov %0, sp" : "=r"(sp));
  if (sp > waiter_stack) {
    (void)kestrel::receive(back);  // nobody ever sends: it waits for good
    kestrel::thread_exit();
  }
  const kestrel::Message call = kestrel::receive(front);
  const uint64_t refused_answer[5] = {111};
  const kestrel::Message refused = kestrel::reply_and_receive(back, call.label(), refused_answer, 1);
  kestrel::console_print(console, refused.status == kestrel::abi::Status::would_deadlock
                                      ? "reply_recv on an endpoint another thread waits on: would_deadlock\n"
                                      : "FAILED: reply_recv on a busy endpoint was not refused\n");
  const uint64_t answer[5] = {222};
  (void)kestrel::reply_and_receive(front, call.label(), answer, 1);
  kestrel::thread_exit();
}
