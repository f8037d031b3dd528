// SPDX-License-Identifier: Apache-2.0
// Arguments tests: the kestrel command line, subcommand by subcommand, and
// where kestrel build puts what goes with an image.
#include <gtest/gtest.h>

#include <kestrel_cli/arguments.hpp>

using namespace kestrel_cli;

namespace {

template <typename Command>
Command parsed(const std::vector<std::string>& arguments) {
  auto result = parse_arguments(arguments);
  EXPECT_TRUE(std::holds_alternative<Command>(result))
      << (std::holds_alternative<Usage_error>(result) ? std::get<Usage_error>(result).message : "another command");
  return std::holds_alternative<Command>(result) ? std::get<Command>(result) : Command{};
}

Usage_error usage_error(const std::vector<std::string>& arguments) {
  auto result = parse_arguments(arguments);
  if (const auto* error = std::get_if<Usage_error>(&result)) return *error;
  return {"(no error)", ""};
}

std::string help(const std::vector<std::string>& arguments) {
  auto result = parse_arguments(arguments);
  if (const auto* text = std::get_if<Help>(&result)) return text->text;
  return "(no help)";
}

}  // namespace

TEST(Arguments, TopLevelHelpListsEverySubcommand) {
  const std::string text = help({"--help"});
  for (const char* subcommand : {"check POLICY", "build POLICY -o IMAGE", "run IMAGE|POLICY", "bench"}) {
    EXPECT_NE(text.find(subcommand), std::string::npos) << subcommand;
  }
  EXPECT_EQ(help({"-h"}), text);
  EXPECT_EQ(help({"help"}), text);
}

TEST(Arguments, EachSubcommandHasItsOwnHelp) {
  for (const std::string subcommand : {"check", "build", "run", "bench"}) {
    const std::string text = help({subcommand, "--help"});
    EXPECT_EQ(text.rfind("usage: kestrel " + subcommand, 0), 0u) << text;
    EXPECT_EQ(help({subcommand, "x", "-h"}), text) << "--help anywhere";
    EXPECT_EQ(usage_text(subcommand), text);
  }
  EXPECT_FALSE(usage_text("frob").has_value());
}

TEST(Arguments, MisspeltCommandsAndOptionsGetASuggestion) {
  EXPECT_EQ(usage_error({"chek", "p.capnp"}).message, "unknown command 'chek' (did you mean 'check'?)");
  EXPECT_EQ(usage_error({"biuld", "p.capnp"}).message, "unknown command 'biuld' (did you mean 'build'?)");
  EXPECT_EQ(usage_error({"--verison"}).message, "unknown option '--verison' (did you mean '--version'?)");
  EXPECT_EQ(usage_error({"check", "p.capnp", "--formt", "json"}).message,
            "unknown option '--formt' (did you mean '--format'?)");
  EXPECT_EQ(usage_error({"build", "p.capnp", "-o", "i.elf", "--kernal", "k.elf"}).message,
            "unknown option '--kernal' (did you mean '--kernel'?)");
  EXPECT_EQ(usage_error({"run", "i.elf", "--timout", "5"}).message,
            "unknown option '--timout' (did you mean '--timeout'?)");
  EXPECT_EQ(usage_error({"bench", "--no-biuld"}).message, "unknown option '--no-biuld' (did you mean '--no-build'?)");
  // Each subcommand suggests only its own options: --werror is check's.
  EXPECT_EQ(usage_error({"build", "p.capnp", "-o", "i.elf", "--werorr"}).message, "unknown option '--werorr'");
  EXPECT_EQ(usage_error({"check", "p.capnp", "--werorr"}).message,
            "unknown option '--werorr' (did you mean '--werror'?)");
}

TEST(Arguments, UnknownCommandsAndOptionsAreUsageErrors) {
  EXPECT_EQ(usage_error({}).message, "no command given");
  EXPECT_EQ(usage_error({"frob"}).message, "unknown command 'frob'");
  EXPECT_EQ(usage_error({"--frob"}).message, "unknown option '--frob'");
  const auto error = usage_error({"build", "p.capnp", "-o", "i.elf", "--fast"});
  EXPECT_EQ(error.message, "unknown option '--fast'");
  EXPECT_EQ(error.subcommand, "build") << "so the message can point at kestrel build --help";
  EXPECT_EQ(usage_error({"check", "p.capnp", "--frob"}).message, "unknown option '--frob'");
  EXPECT_EQ(usage_error({"run", "i.elf", "--frob"}).message, "unknown option '--frob'");
  EXPECT_EQ(usage_error({"bench", "--frob"}).message, "unknown option '--frob'");
}

TEST(Arguments, Check) {
  const auto command = parsed<Check_command>({"check", "p.capnp", "--format", "json", "--summary", "-", "-o", "b.bin",
                                              "-I", "inc", "--constant", "other", "--werror"});
  EXPECT_EQ(command.policy, "p.capnp");
  EXPECT_TRUE(command.json);
  EXPECT_EQ(command.summary, "-");
  EXPECT_EQ(command.output, "b.bin");
  EXPECT_EQ(command.import_paths, std::vector<std::string>{"inc"});
  EXPECT_EQ(command.constant, "other");
  EXPECT_TRUE(command.warnings_are_errors);
  EXPECT_FALSE(parsed<Check_command>({"check", "p.json", "--format", "gcc"}).json);

  EXPECT_EQ(usage_error({"check"}).message, "check needs a policy file");
  EXPECT_EQ(usage_error({"check", "p.capnp", "--format", "xml"}).message, "--format must be gcc or json");
  EXPECT_EQ(usage_error({"check", "p.capnp", "--summary"}).message, "--summary needs a file name or '-'");
  EXPECT_EQ(usage_error({"check", "a.capnp", "b.capnp"}).message, "more than one policy given: 'b.capnp'");
}

TEST(Arguments, Build) {
  const auto command = parsed<Build_command>({"build", "p.capnp", "-o", "out/i.elf", "--kernel", "k.elf", "-P", "a",
                                              "--path", "b", "-I", "inc", "--sign", "key", "-v"});
  EXPECT_EQ(command.inputs.policy, "p.capnp");
  EXPECT_EQ(command.image, "out/i.elf");
  EXPECT_EQ(command.inputs.kernel, "k.elf");
  EXPECT_EQ(command.inputs.search_directories, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(command.inputs.import_paths, std::vector<std::string>{"inc"});
  EXPECT_EQ(command.inputs.secret_key, "key");
  EXPECT_TRUE(command.inputs.verbose);
  EXPECT_FALSE(command.inputs.debug);
  EXPECT_TRUE(parsed<Build_command>({"build", "p.capnp", "-o", "i.elf"}).inputs.kernel.empty())
      << "the build tree's kernel unless --kernel";
  EXPECT_TRUE(parsed<Build_command>({"build", "p.capnp", "-o", "i.elf", "--debug"}).inputs.debug);
  EXPECT_TRUE(parsed<Run_command>({"run", "p.capnp", "--debug"}).inputs.debug);

  EXPECT_EQ(usage_error({"build", "-o", "i.elf"}).message, "build needs a policy file");
  EXPECT_EQ(usage_error({"build", "p.capnp"}).message, "build needs -o IMAGE");
  EXPECT_EQ(usage_error({"build", "p.capnp", "-o"}).message, "-o needs a file");
  EXPECT_EQ(usage_error({"build", "p.capnp", "-o", "i.elf", "-P"}).message, "-P needs a directory");
  EXPECT_NE(usage_error({"build", "p.capnp", "-o", "q.capnp"}).message.find("would be a policy file"),
            std::string::npos);
  EXPECT_NE(usage_error({"build", "p.capnp", "-o", "i.report"}).message.find("must not end in .report"),
            std::string::npos);
}

TEST(Arguments, RunAnImageOrAPolicy) {
  const auto image = parsed<Run_command>({"run", "i.elf"});
  EXPECT_EQ(image.target, "i.elf");
  EXPECT_FALSE(image.target_is_policy());
  EXPECT_EQ(image.smp, 4u) << "default";
  EXPECT_EQ(image.memory, "1G");
  EXPECT_FALSE(image.timeout_seconds.has_value());
  EXPECT_FALSE(image.gdb);

  const auto policy = parsed<Run_command>({"run", "dir/p.capnp", "--smp", "2", "--timeout", "30", "--gdb", "-P",
                                           "progs", "--qemu", "/q", "--", "-d", "int", "--help"});
  EXPECT_TRUE(policy.target_is_policy());
  EXPECT_EQ(policy.inputs.policy, "dir/p.capnp");
  EXPECT_EQ(policy.smp, 2u);
  EXPECT_EQ(policy.timeout_seconds, 30);
  EXPECT_TRUE(policy.gdb);
  EXPECT_EQ(policy.qemu, "/q");
  EXPECT_EQ(policy.inputs.search_directories, std::vector<std::string>{"progs"});
  EXPECT_EQ(policy.extra_qemu_args, (std::vector<std::string>{"-d", "int", "--help"})) << "after --, QEMU's";
  EXPECT_TRUE(parsed<Run_command>({"run", "p.json"}).target_is_policy());
  EXPECT_EQ(parsed<Run_command>({"run", "i.elf", "--gdb", "--kernel", "k.elf"}).inputs.kernel, "k.elf")
      << "the kernel's symbols for gdb";

  EXPECT_EQ(usage_error({"run"}).message, "run needs an image or a policy");
  EXPECT_EQ(usage_error({"run", "i.elf", "--smp", "9"}).message, "--smp must be a number from 1 to 8, not '9'");
  EXPECT_EQ(usage_error({"run", "i.elf", "--smp"}).message, "--smp must be a number from 1 to 8, not ''");
  EXPECT_EQ(usage_error({"run", "i.elf", "--timeout", "soon"}).message,
            "--timeout must be 0-86400 seconds, not 'soon'");
  EXPECT_NE(usage_error({"run", "i.elf", "-P", "dir"}).message.find("are for building a policy"), std::string::npos);
  EXPECT_NE(usage_error({"run", "i.elf", "--debug"}).message.find("are for building a policy"), std::string::npos);
  EXPECT_EQ(usage_error({"run", "a.elf", "b.elf"}).message, "more than one image or policy given: 'b.elf'");
}

TEST(Arguments, Bench) {
  const auto defaults = parsed<Bench_command>({"bench"});
  EXPECT_TRUE(defaults.build_directory.empty()) << "the build tree kestrel was built in";
  EXPECT_TRUE(defaults.build);
  const auto command = parsed<Bench_command>({"bench", "--build-dir", "b", "--no-build", "--qemu", "/q"});
  EXPECT_EQ(command.build_directory, "b");
  EXPECT_FALSE(command.build);
  EXPECT_EQ(command.qemu, "/q");
  EXPECT_EQ(defaults.cpus, std::vector<std::string>{"cortex-a72"});
  EXPECT_EQ(parsed<Bench_command>({"bench", "--cpu", "cortex-a57"}).cpus, std::vector<std::string>{"cortex-a57"});
  EXPECT_EQ(parsed<Bench_command>({"bench", "--cpu", "cortex-a72"}).cpus, std::vector<std::string>{"cortex-a72"});
  EXPECT_EQ(parsed<Bench_command>({"bench", "--cpu", "both"}).cpus,
            (std::vector<std::string>{"cortex-a72", "cortex-a57"}));
  EXPECT_EQ(usage_error({"bench", "--cpu", "cortex-a53"}).message,
            "--cpu must be cortex-a72, cortex-a57 or both, not 'cortex-a53'");
  EXPECT_EQ(usage_error({"bench", "--cpu", "cortex-a53"}).subcommand, "bench");
  EXPECT_EQ(usage_error({"bench", "--cpu"}).message, "--cpu must be cortex-a72, cortex-a57 or both, not ''");
  EXPECT_NE(usage_text("bench")->find("--cpu MODEL"), std::string::npos);
  EXPECT_EQ(usage_error({"bench", "--build-dir"}).message, "--build-dir needs a directory");
  EXPECT_NE(usage_error({"bench", "extra"}).message.find("bench takes no arguments"), std::string::npos);
}

TEST(Arguments, BenchScale) {
  EXPECT_FALSE(parsed<Bench_command>({"bench"}).scale);
  const auto all = parsed<Bench_command>({"bench", "--scale"});
  EXPECT_TRUE(all.scale);
  EXPECT_TRUE(all.scale_parts.empty());
  EXPECT_EQ(parsed<Bench_command>({"bench", "--scale", "--part", "cross", "--part", "threads"}).scale_parts,
            (std::vector<std::string>{"cross", "threads"}));
  EXPECT_EQ(usage_error({"bench", "--scale", "--part", "everything"}).message,
            "--part must be threads, cpus, cross or partitions, not 'everything'");
  EXPECT_EQ(usage_error({"bench", "--part", "cpus"}).message, "--part needs --scale");
  EXPECT_EQ(usage_error({"bench", "--scale", "--cpu", "both"}).message, "--scale runs on one CPU model, not both");
  EXPECT_NE(usage_text("bench")->find("--scale"), std::string::npos);
}

TEST(Arguments, PolicyFilesAreCapnpOrJson) {
  EXPECT_TRUE(is_policy_file("a/b.capnp"));
  EXPECT_TRUE(is_policy_file("b.json"));
  EXPECT_FALSE(is_policy_file("b.elf"));
  EXPECT_FALSE(is_policy_file("capnp"));
}

TEST(Arguments, TheReportPictureAndProgramsGoBesideTheImage) {
  const auto outputs = build_outputs("out/system.elf");
  EXPECT_EQ(outputs.report, "out/system.report");
  EXPECT_EQ(outputs.svg, "out/system.svg");
  EXPECT_EQ(outputs.work_directory, "out/system.programs");
  EXPECT_EQ(build_outputs("system").report, "system.report");
}
