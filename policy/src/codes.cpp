// SPDX-License-Identifier: Apache-2.0
// Codes: the table behind codes.hpp.
#include <kestrel/policy/codes.hpp>

#include <cstdio>

namespace kestrel::policy {
namespace {

constexpr Code_info code_table[] = {
#define KESTREL_POLICY_CODE_INFO(identifier, number, severity, summary) \
  {Code::identifier, Severity::severity, #identifier, summary},
    KESTREL_POLICY_CODES(KESTREL_POLICY_CODE_INFO)
#undef KESTREL_POLICY_CODE_INFO
};

}  // namespace

std::span<const Code_info> all_codes() { return code_table; }

const Code_info& code_info(Code code) {
  for (const auto& info : code_table) {
    if (info.code == code) return info;
  }
  return code_table[0];  // unreachable: every Code value is in the table
}

std::string code_text(Code code) {
  char text[8];
  std::snprintf(text, sizeof text, "KP%04u", static_cast<unsigned>(code));
  return text;
}

}  // namespace kestrel::policy
