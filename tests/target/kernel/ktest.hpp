// SPDX-License-Identifier: Apache-2.0
// Ktest: in-kernel tests that run in QEMU.
//
// KTEST(suite, name) { ... } registers a test in the .ktest_cases linker
// section; the test image's kernel_main runs every registered test in turn
// and prints one result line per test, which the QEMU runner judges:
//   [ktest] RUN suite.name
//   [ktest]   file:line: expected a == b (1 vs 2)
//   [ktest] FAIL suite.name        or   [ktest] PASS suite.name
//   [ktest] SUMMARY n passed, m failed
#pragma once

#include <cstdint>
#include <type_traits>

#include <kestrel/log.hpp>

namespace kestrel::ktest {

class Context {
 public:
  bool failed() const { return failed_; }

  template <typename A, typename B>
  void expect_eq(const A& actual, const B& expected, const char* actual_text, const char* expected_text,
                 const char* file, int line) {
    if (actual == expected) return;
    failed_ = true;
    log("[ktest]   {}:{}: expected {} == {} ({:#x} vs {:#x})\n", file, line, actual_text, expected_text,
        as_number(actual), as_number(expected));
  }

  void expect_true(bool condition, const char* text, const char* file, int line) {
    if (condition) return;
    failed_ = true;
    log("[ktest]   {}:{}: expected {}\n", file, line, text);
  }

 private:
  template <typename T>
  static uint64_t as_number(const T& value) {
    if constexpr (std::is_enum_v<T>) {
      return static_cast<uint64_t>(value);
    } else if constexpr (std::is_pointer_v<T>) {
      return reinterpret_cast<uint64_t>(value);
    } else {
      return static_cast<uint64_t>(value);
    }
  }

  bool failed_ = false;
};

struct Case {
  const char* suite;
  const char* name;
  void (*body)(Context& context);
};

}  // namespace kestrel::ktest

#define KTEST(suite, name)                                                                                     \
  static void ktest_body_##suite##_##name(::kestrel::ktest::Context& ktest_context);                           \
  [[gnu::used, gnu::section(".ktest_cases")]] static const ::kestrel::ktest::Case ktest_case_##suite##_##name{ \
      #suite, #name, &ktest_body_##suite##_##name};                                                            \
  static void ktest_body_##suite##_##name([[maybe_unused]] ::kestrel::ktest::Context& ktest_context)

#define KEXPECT_EQ(actual, expected) \
  ktest_context.expect_eq((actual), (expected), #actual, #expected, __FILE__, __LINE__)
#define KEXPECT_TRUE(condition) ktest_context.expect_true((condition), #condition, __FILE__, __LINE__)
