// SPDX-License-Identifier: Apache-2.0
// Judge: expected and forbidden console lines, in-image test results, and
// QEMU's exit.
#include <qemu_runner/judge.hpp>

#include <charconv>

namespace qemu_runner {
namespace {

constexpr std::string_view test_prefix = "[ktest] ";

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

bool starts_with_word(std::string_view text, std::string_view word, std::string_view& rest) {
  if (text.substr(0, word.size()) != word) return false;
  rest = text.substr(word.size());
  return true;
}

// Parses "N passed, M failed".
bool parse_counts(std::string_view text, unsigned& passed, unsigned& failed) {
  const char* cursor = text.data();
  const char* end = text.data() + text.size();
  auto number = [&](unsigned& out) {
    auto [next, error] = std::from_chars(cursor, end, out);
    if (error != std::errc{}) return false;
    cursor = next;
    return true;
  };
  auto literal = [&](std::string_view word) {
    if (std::string_view(cursor, static_cast<size_t>(end - cursor)).substr(0, word.size()) != word) return false;
    cursor += word.size();
    return true;
  };
  return number(passed) && literal(" passed, ") && number(failed) && literal(" failed") && cursor == end;
}

}  // namespace

std::string Verdict::summary_line(std::string_view name) const {
  return std::string(name) + ": " + std::to_string(passed) + " passed, " + std::to_string(failed) + " failed";
}

Judge::Judge(Checks checks) : checks_{std::move(checks)}, expected_seen_(checks_.expected.size(), false) {}

void Judge::observe_line(std::string_view line) {
  for (size_t i = 0; i < checks_.expected.size(); ++i) {
    if (!expected_seen_[i] && line.find(checks_.expected[i]) != std::string_view::npos) expected_seen_[i] = true;
  }
  for (const auto& forbidden : checks_.forbidden) {
    if (line.find(forbidden) != std::string_view::npos) forbidden_hits_.emplace_back(line);
  }
  std::string_view rest;
  if (checks_.in_image_tests && starts_with_word(line, test_prefix, rest)) observe_test_line(rest);
}

void Judge::observe_test_line(std::string_view rest) {
  std::string_view test;
  if (starts_with_word(rest, "RUN ", test)) {
    tests_finished_.insert_or_assign(std::string(test), false);
  } else if (starts_with_word(rest, "PASS ", test)) {
    tests_finished_.insert_or_assign(std::string(test), true);
    ++tests_passed_;
  } else if (starts_with_word(rest, "FAIL ", test)) {
    tests_finished_.insert_or_assign(std::string(test), true);
    tests_failed_.emplace_back(test);
  } else if (starts_with_word(rest, "SUMMARY ", test)) {
    summary_seen_ = parse_counts(test, summary_passed_, summary_failed_);
  }
}

Verdict Judge::finish(const Run_end& end) const {
  Verdict verdict;
  const std::string& name = checks_.name;
  auto fail = [&](std::string message) {
    ++verdict.failed;
    verdict.messages.push_back(name + ": " + std::move(message));
  };

  for (size_t i = 0; i < checks_.expected.size(); ++i) {
    if (expected_seen_[i]) {
      ++verdict.passed;
    } else {
      fail("missing line " + quoted(checks_.expected[i]));
    }
  }
  for (const auto& hit : forbidden_hits_) fail("forbidden line printed: " + quoted(hit));

  if (checks_.in_image_tests) {
    verdict.passed += tests_passed_;
    for (const auto& test : tests_failed_) fail("in-image test " + test + " failed");
    for (const auto& [test, finished] : tests_finished_) {
      if (!finished) fail("in-image test " + test + " started but never finished");
    }
    if (!summary_seen_) {
      fail("the image never printed its test summary (\"[ktest] SUMMARY N passed, N failed\")");
    } else if (summary_passed_ != tests_passed_ || summary_failed_ != tests_failed_.size()) {
      fail("the image's test summary (" + std::to_string(summary_passed_) + " passed, " +
           std::to_string(summary_failed_) + " failed) does not match the result lines");
    } else if (tests_finished_.empty()) {
      fail("the image ran no tests");
    }
  }

  switch (end.kind) {
    case Run_end::Kind::exited:
      if (end.code == 0) {
        ++verdict.passed;
      } else {
        fail("QEMU exited with status " + std::to_string(end.code));
      }
      break;
    case Run_end::Kind::killed_by_signal:
      fail("QEMU was killed by signal " + std::to_string(end.code));
      break;
    case Run_end::Kind::timed_out:
      fail("timed out after " + std::to_string(end.timeout_seconds) + " s; QEMU was killed");
      break;
    case Run_end::Kind::ended_as_asked:
      ++verdict.passed;
      break;
  }
  return verdict;
}

}  // namespace qemu_runner
