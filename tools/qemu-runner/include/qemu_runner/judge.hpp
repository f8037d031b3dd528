// SPDX-License-Identifier: Apache-2.0
// Judge: decides whether a QEMU run passed, from the console lines the image
// printed and from how QEMU ended.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace qemu_runner {

struct Checks {
  std::string name;                    // test name used in every message
  std::vector<std::string> expected;   // each must be contained in some line
  std::vector<std::string> forbidden;  // no line may contain any of these
  bool in_image_tests = false;         // judge "[ktest] ..." result lines
};

// How the QEMU process ended.
struct Run_end {
  // ended_as_asked: --end-after's line came and QEMU was stopped on purpose.
  enum class Kind { exited, killed_by_signal, timed_out, ended_as_asked };
  Kind kind = Kind::exited;
  int code = 0;  // exit status, or signal number
  int timeout_seconds = 0;
};

struct Verdict {
  unsigned passed = 0;
  unsigned failed = 0;
  std::vector<std::string> messages;  // one per failed check, naming the test
  bool ok() const { return failed == 0; }
  std::string summary_line(std::string_view name) const;
};

class Judge {
 public:
  explicit Judge(Checks checks);

  // Feed one console line (without its line ending).
  void observe_line(std::string_view line);

  // A forbidden line has been printed: the run has failed whatever comes
  // next, so the runner stops QEMU (after its grace period) instead of
  // waiting for the end or the time limit.
  [[nodiscard]] bool saw_forbidden_line() const { return !forbidden_hits_.empty(); }

  Verdict finish(const Run_end& end) const;

 private:
  void observe_test_line(std::string_view rest);

  Checks checks_;
  std::vector<bool> expected_seen_;
  std::vector<std::string> forbidden_hits_;
  // In-image tests by name: true once they reported PASS or FAIL.
  std::map<std::string, bool, std::less<>> tests_finished_;
  std::vector<std::string> tests_failed_;
  unsigned tests_passed_ = 0;
  bool summary_seen_ = false;
  unsigned summary_passed_ = 0;
  unsigned summary_failed_ = 0;
};

}  // namespace qemu_runner
