// SPDX-License-Identifier: Apache-2.0
// Options tests: kestrel-qemu's command line and the QEMU command it builds.
#include <gtest/gtest.h>

#include <algorithm>

#include <qemu_runner/options.hpp>

using qemu_runner::Options;
using qemu_runner::parse_arguments;
using qemu_runner::Usage_error;

namespace {

Options parsed(const std::vector<std::string>& arguments) {
  auto result = parse_arguments(arguments);
  EXPECT_TRUE(std::holds_alternative<Options>(result));
  return std::get<Options>(result);
}

std::string usage_error(const std::vector<std::string>& arguments) {
  auto result = parse_arguments(arguments);
  if (const auto* error = std::get_if<Usage_error>(&result)) return error->message;
  return "(no error)";
}

bool contains_sequence(const std::vector<std::string>& haystack, const std::vector<std::string>& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

}  // namespace

TEST(Options, RunModeByDefault) {
  const auto options = parsed({"build/kestrel.elf"});
  EXPECT_FALSE(options.test_mode());
  EXPECT_EQ(options.effective_timeout(), 0);
  EXPECT_EQ(options.checks.name, "kestrel.elf");
  EXPECT_EQ(options.checks.forbidden, std::vector<std::string>{"kernel panic"});
}

TEST(Options, TestModeWithChecks) {
  const auto options = parsed(
      {"--name", "banner", "--expect", "EL2", "--expect", "CPUs online", "--smp", "4", "--timeout", "20", "image.elf"});
  EXPECT_TRUE(options.test_mode());
  EXPECT_EQ(options.checks.name, "banner");
  EXPECT_EQ(options.checks.expected, (std::vector<std::string>{"EL2", "CPUs online"}));
  EXPECT_EQ(options.smp, 4u);
  EXPECT_EQ(options.effective_timeout(), 20);
  EXPECT_EQ(parsed({"--ktest", "x.elf"}).effective_timeout(), 60);
  EXPECT_EQ(parsed({"--end-after", "idling", "x.elf"}).end_after, "idling");
}

TEST(Options, UsageErrors) {
  EXPECT_EQ(usage_error({}), "no image given");
  EXPECT_EQ(usage_error({"a.elf", "b.elf"}), "more than one image given: 'b.elf'");
  EXPECT_EQ(usage_error({"--smp", "0", "a.elf"}), "--smp must be a number from 1 to 8, not '0'");
  EXPECT_EQ(usage_error({"--smp", "9", "a.elf"}), "--smp must be a number from 1 to 8, not '9'");
  EXPECT_EQ(usage_error({"--smp", "2x", "a.elf"}), "--smp must be a number from 1 to 8, not '2x'");
  EXPECT_EQ(usage_error({"--timeout", "-1", "a.elf"}), "--timeout must be 0-86400 seconds, not '-1'");
  EXPECT_EQ(usage_error({"a.elf", "--expect"}), "--expect needs a value");
  EXPECT_EQ(usage_error({"--expect", "", "a.elf"}), "--expect needs non-empty text");
  EXPECT_EQ(usage_error({"--frobnicate", "a.elf"}), "unknown option '--frobnicate'");
  EXPECT_EQ(usage_error({"--end-after", "", "a.elf"}), "--end-after needs non-empty text");
  EXPECT_EQ(usage_error({"a.elf", "--end-after"}), "--end-after needs a value");
}

TEST(Options, CpuModel) {
  EXPECT_EQ(parsed({"k.elf"}).cpu, "cortex-a72");
  EXPECT_EQ(parsed({"--cpu", "cortex-a57", "k.elf"}).cpu, "cortex-a57");
  EXPECT_EQ(parsed({"--cpu", "cortex-a72", "k.elf"}).cpu, "cortex-a72");
  EXPECT_TRUE(
      contains_sequence(qemu_runner::qemu_command(parsed({"--cpu", "cortex-a57", "k.elf"})), {"-cpu", "cortex-a57"}));
  EXPECT_EQ(usage_error({"--cpu", "cortex-a53", "k.elf"}), "--cpu must be cortex-a72 or cortex-a57, not 'cortex-a53'");
  EXPECT_EQ(usage_error({"--cpu", "", "k.elf"}), "--cpu must be cortex-a72 or cortex-a57, not ''");
  EXPECT_EQ(usage_error({"k.elf", "--cpu"}), "--cpu needs a value");
  EXPECT_NE(qemu_runner::usage_text().find("--cpu MODEL"), std::string::npos);
}

TEST(Options, HelpWins) {
  EXPECT_TRUE(std::holds_alternative<qemu_runner::Help_requested>(parse_arguments({"a.elf", "--help"})));
  EXPECT_NE(qemu_runner::usage_text().find("--ktest"), std::string::npos);
}

TEST(Options, QemuCommandBootsAtEl2OnGicV3) {
  auto options = parsed({"--smp", "2", "--icount", "k.elf", "--", "-d", "int"});
  const auto command = qemu_runner::qemu_command(options);
  EXPECT_EQ(command.front(), "qemu-system-aarch64");
  EXPECT_TRUE(contains_sequence(command, {"-M", "virt,virtualization=on,gic-version=3"}));
  EXPECT_TRUE(contains_sequence(command, {"-cpu", "cortex-a72"}));
  EXPECT_TRUE(contains_sequence(command, {"-smp", "2"}));
  EXPECT_TRUE(contains_sequence(command, {"-kernel", "k.elf"}));
  EXPECT_TRUE(contains_sequence(command, {"-icount", "shift=0,sleep=off"}));
  EXPECT_TRUE(contains_sequence(command, {"-chardev", "stdio,id=console,mux=on"})) << "Ctrl-A X leaves QEMU";
  EXPECT_TRUE(contains_sequence(command, {"-serial", "chardev:console"}));
  EXPECT_TRUE(contains_sequence(command, {"-d", "int"})) << "arguments after -- go to QEMU";
}

TEST(Options, InputAfterALineTakesEscapedBytesInOrder) {
  const auto options =
      parsed({"--input-after", "ready", "abc\\r\\x1dn", "--input-after", "again", "x\\\\y\\n\\t", "k.elf"});
  ASSERT_EQ(options.inputs.size(), 2u);
  EXPECT_EQ(options.inputs[0].after, "ready");
  EXPECT_EQ(options.inputs[0].bytes, std::string("abc\r\x1d") + "n");
  EXPECT_EQ(options.inputs[1].after, "again");
  EXPECT_EQ(options.inputs[1].bytes, "x\\y\n\t");
  EXPECT_EQ(parsed({"--input-after", "a", "\\x00\\xFF", "k.elf"}).inputs[0].bytes, std::string("\0\xff", 2));
  EXPECT_FALSE(options.test_mode()) << "typing is not a check";
}

TEST(Options, HoldInputUntilCollectsItsLinesAndNeedsInputToHold) {
  const auto options =
      parsed({"--hold-input-until", "one", "--input-after", "a", "x", "--hold-input-until", "two", "k.elf"});
  EXPECT_EQ(options.hold_input_until, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(usage_error({"--hold-input-until", "one", "k.elf"}),
            "--hold-input-until holds --input-after steps, and there are none");
  EXPECT_EQ(usage_error({"--hold-input-until", "", "--input-after", "a", "x", "k.elf"}),
            "--hold-input-until needs non-empty text");
  EXPECT_EQ(usage_error({"k.elf", "--hold-input-until"}), "--hold-input-until needs a value");
}

TEST(Options, InputAfterRefusesWhatItCannotType) {
  const std::string bad = "' is not bytes to type (escapes: \\n \\r \\t \\\\ \\xHH)";
  EXPECT_EQ(usage_error({"--input-after", "a", "\\q", "k.elf"}), "--input-after: '\\q" + bad);
  EXPECT_EQ(usage_error({"--input-after", "a", "ab\\", "k.elf"}), "--input-after: 'ab\\" + bad);
  EXPECT_EQ(usage_error({"--input-after", "a", "\\x1", "k.elf"}), "--input-after: '\\x1" + bad);
  EXPECT_EQ(usage_error({"--input-after", "a", "\\xg0", "k.elf"}), "--input-after: '\\xg0" + bad);
  EXPECT_EQ(usage_error({"--input-after", "a", "", "k.elf"}), "--input-after: '" + bad);
  EXPECT_EQ(usage_error({"--input-after", "", "x", "k.elf"}), "--input-after needs non-empty text");
  EXPECT_EQ(usage_error({"k.elf", "--input-after", "a"}), "--input-after needs a line's text and the bytes to type");
}
