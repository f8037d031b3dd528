// SPDX-License-Identifier: Apache-2.0
// Limit cases: policies generated at test time with any number of
// partitions, endpoints or notifications, for the limits (KP0801-KP0804)
// whose case files would be thousands of lines long.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

struct Limit_case {
  const char* name;  // as a case file would be named
  const char* code;  // reported one past the limit
  uint32_t limit;    // the most objects that compile cleanly
  // The policy with `count` objects; `expectation` (a case file's
  // `# expect ...` comment, or nothing) ends the line whose list is too long.
  std::string (*policy)(uint32_t count, std::string_view expectation);
};

std::span<const Limit_case> limit_cases();
