// SPDX-License-Identifier: Apache-2.0
// Ktest main: the kernel_main of the in-kernel test image.
#include "ktest.hpp"

#include <kestrel/arch.hpp>

extern "C" const kestrel::ktest::Case __ktest_cases_start[];
extern "C" const kestrel::ktest::Case __ktest_cases_end[];

using namespace kestrel;

extern "C" [[noreturn]] void kernel_main() {
  unsigned passed = 0;
  unsigned failed = 0;
  log("[ktest] kernel tests starting\n");
  for (const ktest::Case* test = __ktest_cases_start; test != __ktest_cases_end; ++test) {
    log("[ktest] RUN {}.{}\n", test->suite, test->name);
    ktest::Context context;
    test->body(context);
    if (context.failed()) {
      ++failed;
      log("[ktest] FAIL {}.{}\n", test->suite, test->name);
    } else {
      ++passed;
      log("[ktest] PASS {}.{}\n", test->suite, test->name);
    }
  }
  log("[ktest] SUMMARY {} passed, {} failed\n", passed, failed);
  arch::power_off();
}
