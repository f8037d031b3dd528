// SPDX-License-Identifier: Apache-2.0
// Refused-reply client: one call to refused_reply_server.cpp, whose first
// reply_recv is refused; only its second answer (222) may arrive.
#include <kestrel/syscall.hpp>

namespace {

constexpr uint64_t front = 0;  // slot 0: call "front"
constexpr uint64_t console = 1;

}  // namespace

extern "C" int main() {
  const uint64_t none[5] = {};
  const auto answer = kestrel::call(front, 1, none, 0);
  const bool second = answer.status == kestrel::abi::Status::ok && answer.words[0] == 222;
  kestrel::console_print(console, second ? "the refused reply_recv answered nobody, the next one answered 222\n"
                                         : "FAILED: the answer of a refused reply_recv arrived\n");
  kestrel::thread_exit();
}
