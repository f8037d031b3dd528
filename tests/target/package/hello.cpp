// SPDX-License-Identifier: Apache-2.0
// The C++ half of the package test's program: prints what the C half
// computed through the kernel console (the policy's only capability, so
// slot 0), then exits.
#include <kestrel/printf.hpp>
#include <kestrel/syscall.hpp>

#include "squares.h"

namespace {

constexpr uint64_t console_slot = 0;

}  // namespace

extern "C" int main() {
  const squares_result result = sum_of_squares(10);
  char line[96];
  kestrel::snformat(line, sizeof line, "package-user: hello from C++; C says the squares up to %u sum to %u\n",
                    result.n, result.sum);
  kestrel::console_print(console_slot, line);
  kestrel::thread_exit();
}
