// SPDX-License-Identifier: Apache-2.0
// Policy cases: compiles every file in cases/, and the generated limit cases
// (limit_cases.hpp), and checks that exactly the diagnostics their
// expectations name are reported (see cases/README.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include <kestrel/policy/codes.hpp>
#include <kestrel/policy/compiler.hpp>

#include "limit_cases.hpp"
#include "policy_test_support.hpp"

namespace fs = std::filesystem;
using namespace kestrel::policy;

namespace {

struct Expected {
  std::string code;
  uint32_t line = 0;  // 0: the whole file
  uint32_t column = 0;
  auto key() const { return std::tie(code, line, column); }
  bool operator<(const Expected& other) const { return key() < other.key(); }
  bool operator==(const Expected& other) const { return key() == other.key(); }
};

std::string describe(const Expected& expected) {
  return expected.code + (expected.line == 0
                              ? " (file)"
                              : " at " + std::to_string(expected.line) + ":" + std::to_string(expected.column));
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Expectations written as comments in a .capnp case; failures to parse them
// are test failures, so a typo cannot silently weaken a case.
std::vector<Expected> inline_expectations(const std::string& text) {
  std::vector<Expected> expected;
  const auto lines = lines_of(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (const auto at = line.find("# expect-file "); at != std::string::npos) {
      expected.push_back({line.substr(at + 14, 6), 0, 0});
      continue;
    }
    const auto at = line.find("# expect ");
    if (at == std::string::npos) continue;
    std::string rest = line.substr(at + 9);
    const std::string code = rest.substr(0, 6);
    const auto open = rest.find("@ \"");
    const auto close = rest.rfind('"');
    if (open == std::string::npos || close <= open + 2) {
      ADD_FAILURE() << "line " << i + 1 << ": cannot read expectation: " << line;
      continue;
    }
    const std::string needle = rest.substr(open + 3, close - open - 3);
    const bool next_line = rest.find("+1", close) != std::string::npos;
    const size_t target = next_line ? i + 1 : i;
    if (target >= lines.size()) {
      ADD_FAILURE() << "line " << i + 1 << ": expectation points past the end of the file";
      continue;
    }
    const std::string searched = next_line ? lines[target] : line.substr(0, at);
    const auto column = searched.find(needle);
    if (column == std::string::npos) {
      ADD_FAILURE() << "line " << target + 1 << ": expectation text '" << needle << "' is not on the line";
      continue;
    }
    expected.push_back({code, static_cast<uint32_t>(target + 1), static_cast<uint32_t>(column + 1)});
  }
  return expected;
}

// Hints a case expects: "# expect-hint TEXT" in a .capnp case, "hint TEXT"
// in a sidecar; some diagnostic's hint must contain each TEXT.
std::vector<std::string> expected_hints(const fs::path& file) {
  fs::path sidecar = file;
  sidecar += ".expect";
  const bool has_sidecar = fs::exists(sidecar);
  const std::string marker = has_sidecar ? "hint " : "# expect-hint ";
  std::vector<std::string> hints;
  for (const auto& line : lines_of(read_file(has_sidecar ? sidecar : file))) {
    const auto at = line.find(marker);
    if (at != std::string::npos && (!has_sidecar || at == 0)) hints.push_back(line.substr(at + marker.size()));
  }
  return hints;
}

// Expectations in NAME.expect: "KP0006 3:5" or "KP0005 file".
std::vector<Expected> sidecar_expectations(const fs::path& sidecar) {
  std::vector<Expected> expected;
  for (const auto& line : lines_of(read_file(sidecar))) {
    if (line.empty() || line[0] == '#' || line.rfind("hint ", 0) == 0) continue;
    std::istringstream in(line);
    std::string code, where;
    in >> code >> where;
    if (where == "file") {
      expected.push_back({code, 0, 0});
      continue;
    }
    const auto colon = where.find(':');
    if (colon == std::string::npos) {
      ADD_FAILURE() << sidecar << ": cannot read expectation: " << line;
      continue;
    }
    expected.push_back({code, static_cast<uint32_t>(std::stoul(where.substr(0, colon))),
                        static_cast<uint32_t>(std::stoul(where.substr(colon + 1)))});
  }
  return expected;
}

std::vector<Expected> expectations_for(const fs::path& file) {
  fs::path sidecar = file;
  sidecar += ".expect";
  if (fs::exists(sidecar)) return sidecar_expectations(sidecar);
  return inline_expectations(read_file(file));
}

std::vector<fs::path> case_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(cases_directory())) {
    const auto extension = entry.path().extension();
    if (extension == ".capnp" || extension == ".json" || extension == ".txt") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string test_name(const testing::TestParamInfo<fs::path>& info) {
  std::string name = info.param.filename().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

// The compiler reports exactly the diagnostics `file` expects, and writes
// boot-info exactly when none of them is an error.
void expect_exactly_the_expected_diagnostics(const fs::path& file) {
  auto expected = expectations_for(file);
  const auto result = compile_policy(file.string(), {});
  std::vector<Expected> actual;
  for (const auto& diagnostic : result.diagnostics.all()) {
    actual.push_back({code_text(diagnostic.code), diagnostic.at.line, diagnostic.at.column});
  }
  std::sort(expected.begin(), expected.end());
  std::sort(actual.begin(), actual.end());
  std::string expected_text, actual_text;
  for (const auto& e : expected) expected_text += "  " + describe(e) + "\n";
  for (const auto& a : actual) actual_text += "  " + describe(a) + "\n";
  EXPECT_EQ(expected, actual) << file.filename() << "\nexpected:\n"
                              << expected_text << "compiler said:\n"
                              << actual_text << diagnostics_text(result.diagnostics);
  const bool expects_errors = std::any_of(expected.begin(), expected.end(), [](const Expected& e) {
    for (const auto& info : all_codes()) {
      if (code_text(info.code) == e.code) return info.severity == Severity::error;
    }
    return false;
  });
  EXPECT_EQ(result.ok(), !expects_errors);
  EXPECT_EQ(result.boot_info.empty(), expects_errors) << "boot-info is written exactly when there is no error";
  for (const auto& hint : expected_hints(file)) {
    const auto& all = result.diagnostics.all();
    EXPECT_TRUE(std::any_of(all.begin(), all.end(),
                            [&](const Diagnostic& d) { return d.hint.find(hint) != std::string::npos; }))
        << file.filename() << ": no diagnostic's hint says: " << hint << "\n"
        << diagnostics_text(result.diagnostics);
  }
}

class PolicyCases : public testing::TestWithParam<fs::path> {};

}  // namespace

TEST_P(PolicyCases, ReportsExactlyTheExpectedDiagnostics) { expect_exactly_the_expected_diagnostics(GetParam()); }

INSTANTIATE_TEST_SUITE_P(Cases, PolicyCases, testing::ValuesIn(case_files()), test_name);

// The limits too large for case files: a generated policy one past the limit
// reports its code where the list starts, as a case file would, and one at
// the limit compiles cleanly, so that the case shows where the limit is.

void PrintTo(const Limit_case& limit_case, std::ostream* out) { *out << limit_case.name; }

namespace {

class LimitCases : public testing::TestWithParam<Limit_case> {
 protected:
  // The generated policy with `count` objects, as a file for the compiler.
  fs::path write_policy(uint32_t count, std::string_view expectation) {
    const fs::path path = scratch_.path() / (std::string(GetParam().name) + ".capnp");
    write_file(path, GetParam().policy(count, expectation));
    return path;
  }

 private:
  Scratch_directory scratch_;
};

std::string limit_case_name(const testing::TestParamInfo<Limit_case>& info) {
  std::string name = info.param.name;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

}  // namespace

TEST_P(LimitCases, OnePastTheLimitIsReportedWhereTheListStarts) {
  const fs::path path = write_policy(GetParam().limit + 1, std::string("  # expect ") + GetParam().code + " @ \"[\"");
  ASSERT_EQ(expectations_for(path).size(), 1u) << "the generator dropped the expectation";
  expect_exactly_the_expected_diagnostics(path);
}

TEST_P(LimitCases, AtTheLimitCompilesCleanly) {
  const fs::path path = write_policy(GetParam().limit, "");
  ASSERT_TRUE(expectations_for(path).empty());
  expect_exactly_the_expected_diagnostics(path);
}

INSTANTIATE_TEST_SUITE_P(Generated, LimitCases, testing::ValuesIn(limit_cases()), limit_case_name);

// Codes whose trigger cannot be written as a case file (or only as one of
// megabytes, KP0809); each has its own test in policy_compiler_test.cpp,
// except KP0413, which `kestrel check` and `kestrel build` report, not the
// compiler (tests/unit/kestrel/check_test.cpp).
const std::set<std::string> codes_tested_in_code = {"KP0001", "KP0009", "KP0010", "KP0413", "KP0414",
                                                    "KP0809", "KP1022", "KP1032", "KP1115"};

TEST(PolicyCasesCoverage, EveryCodeHasACase) {
  std::set<std::string> covered = codes_tested_in_code;
  for (const auto& file : case_files()) {
    for (const auto& expected : expectations_for(file)) covered.insert(expected.code);
  }
  for (const auto& generated : limit_cases()) covered.insert(generated.code);
  for (const auto& info : all_codes()) {
    EXPECT_TRUE(covered.count(code_text(info.code)) != 0)
        << code_text(info.code) << " (" << info.identifier << ") has no case in tests/unit/policy/cases/";
  }
}

TEST(PolicyCasesCoverage, AtLeastSixtyDistinctErrorCodes) {
  size_t errors = 0;
  for (const auto& info : all_codes()) errors += info.severity == Severity::error ? 1 : 0;
  EXPECT_GE(errors, 60u);
}

TEST(PolicyDocs, EveryCodeIsDocumented) {
  const std::string docs = read_file(source_directory() / "docs" / "policy.md");
  for (const auto& info : all_codes()) {
    EXPECT_NE(docs.find(code_text(info.code)), std::string::npos)
        << code_text(info.code) << " (" << info.identifier << ") is not described in docs/policy.md";
  }
}
