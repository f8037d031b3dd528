// SPDX-License-Identifier: Apache-2.0
// Process tests: output capture, exit status, timeout and launch failure,
// with /bin/sh standing in for QEMU.
#include <gtest/gtest.h>

#include <chrono>

#include <qemu_runner/process.hpp>

using qemu_runner::Launch_error;
using qemu_runner::Process_options;
using qemu_runner::Run_end;
using qemu_runner::run_process;

namespace {

struct Captured {
  std::vector<std::string> lines;
  std::variant<Run_end, Launch_error> result;
};

Captured run_shell(const std::string& script, int timeout_seconds = 10) {
  Captured captured;
  captured.result = run_process({"/bin/sh", "-c", script}, Process_options{false, timeout_seconds},
                                [&](std::string_view line) { captured.lines.emplace_back(line); });
  return captured;
}

}  // namespace

TEST(Process, CapturesLinesFromStdoutAndStderrAndStripsCarriageReturns) {
  const auto captured = run_shell("printf 'one\\r\\ntwo\\n'; echo three >&2; printf 'no newline'");
  EXPECT_EQ(captured.lines, (std::vector<std::string>{"one", "two", "three", "no newline"}));
  const auto& end = std::get<Run_end>(captured.result);
  EXPECT_EQ(end.kind, Run_end::Kind::exited);
  EXPECT_EQ(end.code, 0);
}

TEST(Process, ReportsExitStatus) {
  const auto end = std::get<Run_end>(run_shell("exit 7").result);
  EXPECT_EQ(end.kind, Run_end::Kind::exited);
  EXPECT_EQ(end.code, 7);
}

TEST(Process, StdinIsClosedInTestMode) {
  const auto captured = run_shell("if read line; then echo got-input; else echo eof; fi");
  EXPECT_EQ(captured.lines, std::vector<std::string>{"eof"});
}

TEST(Process, TimeoutKillsTheChild) {
  const auto start = std::chrono::steady_clock::now();
  // exec so that the shell itself is the sleeping process we kill.
  const auto captured = run_shell("echo started; exec sleep 30", 1);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const auto& end = std::get<Run_end>(captured.result);
  EXPECT_EQ(end.kind, Run_end::Kind::timed_out);
  EXPECT_EQ(end.timeout_seconds, 1);
  EXPECT_EQ(captured.lines, std::vector<std::string>{"started"});
  // Not a timing assertion on the code under test: only proves the kill
  // happened rather than the 30 s sleep finishing.
  EXPECT_LT(elapsed, std::chrono::seconds(25));
}

TEST(Process, MissingProgramIsALaunchError) {
  std::vector<std::string> lines;
  const auto result = run_process({"/nonexistent/qemu-system-aarch64"}, Process_options{},
                                  [&](std::string_view line) { lines.emplace_back(line); });
  const auto* error = std::get_if<Launch_error>(&result);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->message, "cannot run '/nonexistent/qemu-system-aarch64': No such file or directory");
  EXPECT_TRUE(lines.empty());
}

TEST(Process, AnEndRequestStopsTheRunAfterTheGracePeriod) {
  std::vector<std::string> lines;
  const auto started = std::chrono::steady_clock::now();
  const auto result =
      run_process_until({"/bin/sh", "-c", "echo first; echo idle; echo after; sleep 30"},
                        Process_options{.timeout_seconds = 20, .grace_milliseconds = 200}, [&](std::string_view line) {
                          lines.emplace_back(line);
                          return line == "idle";
                        });
  const auto* end = std::get_if<Run_end>(&result);
  ASSERT_NE(end, nullptr);
  EXPECT_EQ(end->kind, Run_end::Kind::ended_as_asked);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10)) << "not the 20 s timeout";
  EXPECT_EQ(lines, (std::vector<std::string>{"first", "idle", "after"})) << "lines in the grace period still count";
}

TEST(Process, AProcessThatExitsInTheGracePeriodEndsWithItsStatus) {
  const auto result = run_process_until({"/bin/sh", "-c", "echo idle; exit 3"},
                                        Process_options{.timeout_seconds = 20, .grace_milliseconds = 5000},
                                        [&](std::string_view line) { return line == "idle"; });
  const auto* end = std::get_if<Run_end>(&result);
  ASSERT_NE(end, nullptr);
  EXPECT_EQ(end->kind, Run_end::Kind::exited);
  EXPECT_EQ(end->code, 3);
}

TEST(Process, InputsAreTypedOnceTheirLinesHaveCome) {
  // The shell reads only after it printed its prompt: the runner types each
  // step once its line came, in order; "two" and "three" wait for the line
  // "second?" and then both go, one after the other.
  std::vector<std::string> lines;
  Process_options options{.timeout_seconds = 10};
  options.inputs = {{"first?", "one\n"}, {"second?", "two\n"}, {"second?", "three\n"}};
  const auto result =
      run_process({"/bin/sh", "-c", "echo first?; read a; echo got $a; echo second?; read b; read c; echo got $b $c"},
                  options, [&](std::string_view line) { lines.emplace_back(line); });
  const auto* end = std::get_if<Run_end>(&result);
  ASSERT_NE(end, nullptr);
  EXPECT_EQ(end->kind, Run_end::Kind::exited);
  EXPECT_EQ(lines, (std::vector<std::string>{"first?", "got one", "second?", "got two three"}));
}

TEST(Process, HeldInputWaitsForItsLinesWhicheverComesFirst) {
  // "answer?" comes before "other done", so "42" waits for it: the shell
  // finds no input for a while after "answer?" (had it been typed then, head
  // would print it and "too early"). "next?" comes after both holds: it is
  // answered at once. "early" came before any step's line and still counts.
  std::vector<std::string> lines;
  Process_options options{.timeout_seconds = 10};
  options.inputs = {{"answer?", "42\n"}, {"next?", "43\n"}};
  options.hold_input_until = {"other done", "early"};
  const auto result = run_process(
      {"/bin/sh", "-c",
       "echo early; echo answer?; sleep 0.3; if timeout 0.3 head -n 1; then echo too early; fi; echo other done; "
       "read a; echo got $a; echo next?; read b; echo got $b"},
      options, [&](std::string_view line) { lines.emplace_back(line); });
  const auto* end = std::get_if<Run_end>(&result);
  ASSERT_NE(end, nullptr);
  EXPECT_EQ(end->kind, Run_end::Kind::exited);
  EXPECT_EQ(lines, (std::vector<std::string>{"early", "answer?", "other done", "got 42", "next?", "got 43"}));
}

TEST(Process, InputHeldByALineThatNeverComesIsNotTyped) {
  std::vector<std::string> lines;
  Process_options options{.timeout_seconds = 1};
  options.inputs = {{"waiting", "x\n"}};
  options.hold_input_until = {"never"};
  const auto result = run_process({"/bin/sh", "-c", "echo waiting; read a; echo got $a"}, options,
                                  [&](std::string_view line) { lines.emplace_back(line); });
  EXPECT_EQ(std::get<Run_end>(result).kind, Run_end::Kind::timed_out);
  EXPECT_EQ(lines, std::vector<std::string>{"waiting"});
}

TEST(Process, AnInputWhoseLineNeverComesIsNotTyped) {
  std::vector<std::string> lines;
  Process_options options{.timeout_seconds = 1};
  options.inputs = {{"never", "x\n"}};
  const auto result = run_process({"/bin/sh", "-c", "echo waiting; read a; echo got $a"}, options,
                                  [&](std::string_view line) { lines.emplace_back(line); });
  // The shell waits for a line that is never typed (and stdin is not at its
  // end, which would let read return) until the time limit.
  EXPECT_EQ(std::get<Run_end>(result).kind, Run_end::Kind::timed_out);
  EXPECT_EQ(lines, std::vector<std::string>{"waiting"});
}
