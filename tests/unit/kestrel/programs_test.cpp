// SPDX-License-Identifier: Apache-2.0
// Programs tests: which programs are compiled from source and into which
// ELF, the compiler commands, depfiles, and when a program is rebuilt.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>

#include <kestrel_cli/programs.hpp>

#include "../policy/policy_test_support.hpp"

using namespace kestrel_cli;
namespace fs = std::filesystem;

namespace {

Toolchain fake_toolchain(const fs::path& directory) {
  Toolchain toolchain;
  toolchain.cxx = "cross-g++";
  toolchain.assembler = "cross-gcc";
  toolchain.include_directories = {"/src/runtime/include", "/src/kernel/include"};
  toolchain.cxx_flags = {"-O2", "-ffreestanding", "-g", "-std=c++20"};
  toolchain.asm_flags = {"-O3", "-ffreestanding"};
  toolchain.link_flags = {"-O2", "-nostdlib", "-T", (directory / "partition.ld").string()};
  toolchain.start = (directory / "start.S").string();
  toolchain.memory_functions = (directory / "memory_functions.cpp").string();
  toolchain.memory_functions_flags = {"-fno-tree-loop-distribute-patterns"};
  toolchain.linker_script = (directory / "partition.ld").string();
  return toolchain;
}

bool contains_sequence(const std::vector<std::string>& haystack, const std::vector<std::string>& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

void set_age(const fs::path& path, int seconds_ago) {
  fs::last_write_time(path, fs::file_time_type::clock::now() - std::chrono::seconds(seconds_ago));
}

}  // namespace

TEST(Programs, CppAndCcSourcesAreCompiledIntoStemDotElf) {
  EXPECT_EQ(compiled_program_name("hello.cpp"), "hello.elf");
  EXPECT_EQ(compiled_program_name("src/server.cc"), "server.elf");
  EXPECT_EQ(compiled_program_name("/abs/path/x.y.cpp"), "x.y.elf");
  EXPECT_FALSE(compiled_program_name("hello.elf").has_value());
  EXPECT_FALSE(compiled_program_name("hello.c").has_value());
  EXPECT_FALSE(compiled_program_name("hello").has_value());
  EXPECT_FALSE(compiled_program_name("").has_value());
}

TEST(Programs, APlanPutsEverythingUnderTheWorkDirectory) {
  const auto plan = plan_program("server", "/p/src/server.cpp", "/out/sys.programs", "// header");
  EXPECT_EQ(plan.elf, "/out/sys.programs/server.elf");
  EXPECT_EQ(plan.directory, "/out/sys.programs/server");
  EXPECT_EQ(plan.include_directory, "/out/sys.programs/server/include");
  EXPECT_EQ(plan.slots_header, "// header");
}

TEST(Programs, CommandsAreTheTargetBuildsWithTheSlotHeaderFirst) {
  const auto toolchain = fake_toolchain("/tc");
  const auto plan = plan_program("server", "/p/server.cpp", "/w", "");
  const auto commands = program_commands(toolchain, plan);
  ASSERT_EQ(commands.size(), 4u);
  EXPECT_EQ(commands[0], (std::vector<std::string>{"cross-g++", "-I/w/server/include", "-I/src/runtime/include",
                                                   "-I/src/kernel/include", "-O2", "-ffreestanding", "-g", "-std=c++20",
                                                   "-MD", "-MF", "/w/server/server.o.d", "-o", "/w/server/server.o",
                                                   "-c", "/p/server.cpp"}));
  EXPECT_EQ(commands[1].front(), "cross-gcc");
  EXPECT_TRUE(contains_sequence(commands[1], {"-O3", "-ffreestanding", "-MD"}));
  EXPECT_EQ(commands[1].back(), "/tc/start.S");
  // Only the memory functions get their own option, after the others.
  EXPECT_TRUE(contains_sequence(commands[2], {"-std=c++20", "-fno-tree-loop-distribute-patterns", "-MD"}));
  EXPECT_EQ(commands[2].back(), "/tc/memory_functions.cpp");
  EXPECT_EQ(std::count(commands[0].begin(), commands[0].end(), "-fno-tree-loop-distribute-patterns"), 0);
  EXPECT_EQ(commands[3],
            (std::vector<std::string>{"cross-g++", "-O2", "-nostdlib", "-T", "/tc/partition.ld", "/w/server/server.o",
                                      "/w/server/start.o", "/w/server/memory_functions.o", "-o", "/w/server.elf"}));
}

TEST(Programs, DepfilesListWhatAnObjectWasCompiledFrom) {
  EXPECT_EQ(parse_depfile("/w/a.o: /p/a.cpp /w/include/kestrel/slots.hpp \\\n /src/my\\ dir/x.hpp\n"),
            (std::vector<std::string>{"/p/a.cpp", "/w/include/kestrel/slots.hpp", "/src/my dir/x.hpp"}));
  EXPECT_EQ(parse_depfile("a.o: \\\r\n a.cpp\n\nb.hpp:\n"), std::vector<std::string>{"a.cpp"})
      << "phony rules after a blank line are not dependencies";
  EXPECT_TRUE(parse_depfile("").empty());
}

TEST(Programs, RebuiltWhenTheElfIsMissingACommandChangedOrAnInputIsNewer) {
  Scratch_directory scratch;
  const fs::path dir = scratch.path();
  const auto toolchain = fake_toolchain(dir);
  for (const char* name : {"start.S", "memory_functions.cpp", "partition.ld", "server.cpp"})
    write_file(dir / name, "x");
  const auto plan = plan_program("server", dir / "server.cpp", dir / "work", "");
  EXPECT_NE(rebuild_reason(toolchain, plan).value_or("").find("does not exist"), std::string::npos);

  // What a successful build leaves: objects' depfiles, the command record, the ELF.
  fs::create_directories(plan.include_directory / "kestrel");
  const fs::path header = plan.include_directory / "kestrel" / "slots.hpp";
  write_file(header, "// slots");
  write_file(plan.directory / "server.o.d",
             "server.o: " + (dir / "server.cpp").string() + " " + header.string() + "\n");
  write_file(plan.directory / "start.o.d", "start.o: " + toolchain.start + "\n");
  write_file(plan.directory / "memory_functions.o.d", "memory_functions.o: " + toolchain.memory_functions + "\n");
  std::string record;
  for (const auto& command : program_commands(toolchain, plan)) {
    std::string line;
    for (const auto& argument : command) line += (line.empty() ? "" : " ") + argument;
    record += line + '\n';
  }
  write_file(plan.directory / "commands", record);
  for (const fs::path& input :
       {dir / "start.S", dir / "memory_functions.cpp", dir / "partition.ld", dir / "server.cpp", header}) {
    set_age(input, 100);
  }
  write_file(plan.elf, "elf");
  set_age(plan.elf, 50);
  EXPECT_EQ(rebuild_reason(toolchain, plan), std::nullopt);

  set_age(header, 10);
  EXPECT_EQ(rebuild_reason(toolchain, plan), header.string() + " changed") << "a new slots.hpp";
  set_age(header, 100);
  set_age(dir / "server.cpp", 10);
  EXPECT_EQ(rebuild_reason(toolchain, plan), (dir / "server.cpp").string() + " changed");
  set_age(dir / "server.cpp", 100);
  set_age(dir / "partition.ld", 10);
  EXPECT_EQ(rebuild_reason(toolchain, plan), (dir / "partition.ld").string() + " changed");
  set_age(dir / "partition.ld", 100);
  EXPECT_EQ(rebuild_reason(toolchain, plan), std::nullopt);

  auto other_flags = toolchain;
  other_flags.cxx_flags.push_back("-DMORE");
  EXPECT_EQ(rebuild_reason(other_flags, plan), "its compiler commands changed");
  fs::remove(header);
  EXPECT_EQ(rebuild_reason(toolchain, plan), header.string() + " is gone");
}
