// SPDX-License-Identifier: Apache-2.0
// Judge tests: how console lines and QEMU's exit decide a target test.
#include <gtest/gtest.h>

#include <qemu_runner/judge.hpp>

using qemu_runner::Checks;
using qemu_runner::Judge;
using qemu_runner::Run_end;

namespace {

const Run_end clean_exit{Run_end::Kind::exited, 0, 0};

Checks expecting(std::vector<std::string> lines) {
  Checks checks;
  checks.name = "banner";
  checks.expected = std::move(lines);
  checks.forbidden = {"kernel panic"};
  return checks;
}

Checks in_image() {
  Checks checks;
  checks.name = "ktests";
  checks.in_image_tests = true;
  return checks;
}

}  // namespace

TEST(Judge, PassesWhenEveryExpectedLineAppears) {
  Judge judge{expecting({"running at EL2", "4 CPUs online"})};
  judge.observe_line("boot: running at EL2 on CPU 0");
  judge.observe_line("smp: PSCI 1.1, 4 CPUs online");
  const auto verdict = judge.finish(clean_exit);
  EXPECT_TRUE(verdict.ok());
  EXPECT_EQ(verdict.passed, 3u) << "two lines and the clean exit";
  EXPECT_EQ(verdict.summary_line("banner"), "banner: 3 passed, 0 failed");
}

TEST(Judge, ARunEndedAsAskedCountsLikeACleanExit) {
  Judge judge{expecting({"idling"})};
  judge.observe_line("boot: no thread is left to run; idling");
  const auto verdict = judge.finish(Run_end{Run_end::Kind::ended_as_asked, 0, 60});
  EXPECT_TRUE(verdict.ok());
  EXPECT_EQ(verdict.passed, 2u);
}

TEST(Judge, NamesTheTestAndTheMissingLine) {
  Judge judge{expecting({"running at EL2", "never printed"})};
  judge.observe_line("boot: running at EL2 on CPU 0");
  const auto verdict = judge.finish(clean_exit);
  EXPECT_FALSE(verdict.ok());
  ASSERT_EQ(verdict.messages.size(), 1u);
  EXPECT_EQ(verdict.messages[0], "banner: missing line \"never printed\"");
  EXPECT_EQ(verdict.summary_line("banner"), "banner: 2 passed, 1 failed");
}

TEST(Judge, SaysAtOnceWhenAForbiddenLineWasPrinted) {
  Checks checks = expecting({"idling"});
  checks.forbidden = {"FAILED"};
  Judge judge{checks};
  judge.observe_line("boot: running at EL2 on CPU 0");
  EXPECT_FALSE(judge.saw_forbidden_line());
  judge.observe_line("client: FAILED: wrong answer");
  EXPECT_TRUE(judge.saw_forbidden_line()) << "the runner stops QEMU on it";
}

TEST(Judge, ForbiddenLineFails) {
  Judge judge{expecting({"running"})};
  judge.observe_line("running");
  judge.observe_line("kernel panic: unexpected exception");
  const auto verdict = judge.finish(clean_exit);
  ASSERT_EQ(verdict.failed, 1u);
  EXPECT_EQ(verdict.messages[0], "banner: forbidden line printed: \"kernel panic: unexpected exception\"");
}

TEST(Judge, NonZeroExitTimeoutAndSignalFail) {
  for (const Run_end& end : {Run_end{Run_end::Kind::exited, 1, 0}, Run_end{Run_end::Kind::timed_out, 0, 30},
                             Run_end{Run_end::Kind::killed_by_signal, 9, 0}}) {
    Judge judge{expecting({"x"})};
    judge.observe_line("x");
    const auto verdict = judge.finish(end);
    EXPECT_EQ(verdict.failed, 1u);
    EXPECT_EQ(verdict.passed, 1u);
  }
  Judge judge{expecting({})};
  EXPECT_EQ(judge.finish(Run_end{Run_end::Kind::timed_out, 0, 30}).messages.at(0),
            "banner: timed out after 30 s; QEMU was killed");
}

TEST(Judge, InImageTestsAllPassing) {
  Judge judge{in_image()};
  for (const char* line : {"[ktest] RUN boot.el2", "[ktest] PASS boot.el2", "[ktest] RUN smp.online",
                           "[ktest] PASS smp.online", "[ktest] SUMMARY 2 passed, 0 failed"}) {
    judge.observe_line(line);
  }
  const auto verdict = judge.finish(clean_exit);
  EXPECT_TRUE(verdict.ok()) << (verdict.messages.empty() ? "" : verdict.messages[0]);
  EXPECT_EQ(verdict.passed, 3u) << "two tests and the clean exit";
}

TEST(Judge, InImageFailureIsNamed) {
  Judge judge{in_image()};
  for (const char* line : {"[ktest] RUN boot.el2", "[ktest]   boot.cpp:3: expected a == b (0x1 vs 0x2)",
                           "[ktest] FAIL boot.el2", "[ktest] SUMMARY 0 passed, 1 failed"}) {
    judge.observe_line(line);
  }
  const auto verdict = judge.finish(clean_exit);
  ASSERT_EQ(verdict.messages.size(), 1u);
  EXPECT_EQ(verdict.messages[0], "ktests: in-image test boot.el2 failed");
}

TEST(Judge, InImageTestThatNeverFinishesFails) {
  Judge judge{in_image()};
  judge.observe_line("[ktest] RUN smp.online");
  const auto verdict = judge.finish(clean_exit);
  ASSERT_EQ(verdict.messages.size(), 2u);
  EXPECT_EQ(verdict.messages[0], "ktests: in-image test smp.online started but never finished");
  EXPECT_NE(verdict.messages[1].find("never printed its test summary"), std::string::npos);
}

TEST(Judge, InImageSummaryMustMatchResults) {
  Judge judge{in_image()};
  judge.observe_line("[ktest] RUN a.b");
  judge.observe_line("[ktest] PASS a.b");
  judge.observe_line("[ktest] SUMMARY 3 passed, 0 failed");
  const auto verdict = judge.finish(clean_exit);
  ASSERT_EQ(verdict.failed, 1u);
  EXPECT_NE(verdict.messages[0].find("does not match"), std::string::npos);
}

TEST(Judge, InImageRunWithNoTestsFails) {
  Judge judge{in_image()};
  judge.observe_line("[ktest] SUMMARY 0 passed, 0 failed");
  const auto verdict = judge.finish(clean_exit);
  ASSERT_EQ(verdict.failed, 1u);
  EXPECT_EQ(verdict.messages[0], "ktests: the image ran no tests");
}

TEST(Judge, MalformedSummaryIsNotASummary) {
  Judge judge{in_image()};
  judge.observe_line("[ktest] RUN a.b");
  judge.observe_line("[ktest] PASS a.b");
  judge.observe_line("[ktest] SUMMARY 1 passed, 0 failed and more");
  EXPECT_FALSE(judge.finish(clean_exit).ok());
}

TEST(Judge, ResultLinesAreIgnoredOutsideInImageMode) {
  Judge judge{expecting({"ok"})};
  judge.observe_line("ok");
  judge.observe_line("[ktest] RUN never.finished");
  EXPECT_TRUE(judge.finish(clean_exit).ok());
}
