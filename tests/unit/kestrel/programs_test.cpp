// SPDX-License-Identifier: Apache-2.0
// Programs tests: which programs are compiled from source and into which
// ELF, the CMake project kestrel writes for them, the cmake commands, and
// what a build reports, run against a stand-in for cmake.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include <kestrel_cli/programs.hpp>

#include "../policy/policy_test_support.hpp"

using namespace kestrel_cli;
namespace fs = std::filesystem;

namespace {

bool contains(const std::vector<std::string>& command, const std::string& argument) {
  return std::find(command.begin(), command.end(), argument) != command.end();
}

// A stand-in for cmake: configuring succeeds (or fails if WORK/configure-fails
// exists); building runs WORK/fake-build, a shell script each test writes.
Recipe fake_recipe(const fs::path& directory) {
  const fs::path cmake = directory / "fake-cmake";
  write_file(cmake,
             "#!/bin/sh\n"
             "if [ \"$1\" = --build ]; then exec sh \"$(dirname \"$2\")/fake-build\"; fi\n"
             "[ ! -e \"$2/configure-fails\" ] || { echo 'CMake Error: no package'; exit 1; }\n");
  fs::permissions(cmake, fs::perms::owner_all);
  return {.cmake = cmake.string(), .generator = "Ninja", .package = "/pkg"};
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
  EXPECT_EQ(plan.include_directory, "/out/sys.programs/server/include");
  EXPECT_EQ(plan.slots_header, "// header");
  EXPECT_EQ(cmake_build_directory("/out/sys.programs"), "/out/sys.programs/build");
}

TEST(Programs, TheProjectBuildsEachProgramWithThePackagesRecipe) {
  const std::string project = programs_project(
      {plan_program("server", "/p/src/server.cpp", "/w", ""), plan_program("client", "/p/client.cc", "/w", "")});
  EXPECT_NE(project.find("find_package(Kestrel REQUIRED)\n"), std::string::npos);
  EXPECT_NE(project.find("project(kestrel_programs LANGUAGES C CXX ASM)\n"), std::string::npos);
  EXPECT_NE(project.find("kestrel_add_partition(partition-server SOURCES [[/p/src/server.cpp]])\n"
                         "target_include_directories(partition-server BEFORE PRIVATE [[/w/server/include]])\n"
                         "set_target_properties(partition-server PROPERTIES OUTPUT_NAME [[server]] "
                         "RUNTIME_OUTPUT_DIRECTORY [[/w]])\n"),
            std::string::npos)
      << project;
  EXPECT_NE(project.find("kestrel_add_partition(partition-client SOURCES [[/p/client.cc]])"), std::string::npos);
}

TEST(Programs, NoPathCanEndItsCMakeArgument) {
  const std::string project = programs_project({plan_program("odd", "/p/]]x]=]y \"q\";$.cpp", "/w", "")});
  EXPECT_NE(project.find("SOURCES [==[/p/]]x]=]y \"q\";$.cpp]==])"), std::string::npos) << project;
}

TEST(Programs, TargetNamesAreCMakesAndDistinct) {
  const std::string project =
      programs_project({plan_program("all", "/p/a.cpp", "/w", ""), plan_program("a b", "/p/b.cpp", "/w", ""),
                        plan_program("a_b", "/p/c.cpp", "/w", "")});
  EXPECT_NE(project.find("kestrel_add_partition(partition-all "), std::string::npos) << "clear of CMake's `all`";
  EXPECT_NE(project.find("kestrel_add_partition(partition-a_b SOURCES [[/p/b.cpp]])"), std::string::npos);
  EXPECT_NE(project.find("kestrel_add_partition(partition-a_b-2 SOURCES [[/p/c.cpp]])"), std::string::npos);
}

TEST(Programs, ConfiguredWithThePackagesToolchainReleaseOrDebug) {
  const Recipe recipe{.cmake = "/usr/bin/cmake", .generator = "Ninja", .package = "/b/target/package"};
  const auto release = configure_command(recipe, "/w", false);
  EXPECT_EQ(std::vector<std::string>(release.begin(), release.begin() + 7),
            (std::vector<std::string>{"/usr/bin/cmake", "-S", "/w", "-B", "/w/build", "-G", "Ninja"}));
  EXPECT_TRUE(contains(release, "-DCMAKE_TOOLCHAIN_FILE=/b/target/package/aarch64-toolchain.cmake"));
  EXPECT_TRUE(contains(release, "-DKestrel_DIR=/b/target/package"));
  EXPECT_TRUE(contains(release, "-DCMAKE_BUILD_TYPE=Release"));
  EXPECT_TRUE(contains(configure_command(recipe, "/w", true), "-DCMAKE_BUILD_TYPE=Debug"));
  EXPECT_EQ(build_command(recipe, "/w", false), (std::vector<std::string>{"/usr/bin/cmake", "--build", "/w/build"}));
  EXPECT_TRUE(contains(build_command(recipe, "/w", true), "--verbose"));
  EXPECT_FALSE(Recipe{}.available()) << "no package without the AArch64 side";
}

TEST(Programs, ABuildSaysWhatItBuiltAndWhatWasUpToDate) {
  Scratch_directory scratch;
  const fs::path work = scratch.path() / "sys.programs";
  const auto recipe = fake_recipe(scratch.path());
  const std::vector<Program_plan> plans = {plan_program("server", scratch.path() / "server.cpp", work, "// server"),
                                           plan_program("client", scratch.path() / "client.cpp", work, "// client")};
  fs::create_directories(work);
  write_file(work / "fake-build", "touch '" + plans[0].elf.string() + "' '" + plans[1].elf.string() + "'\n");

  testing::internal::CaptureStderr();
  ASSERT_TRUE(build_programs(recipe, plans, work, {}));
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("kestrel: building 2 partition programs with CMake in " + (work / "build").string()),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("kestrel: built server.elf for partition \"server\""), std::string::npos) << err;
  EXPECT_EQ(read_file(work / "server" / "include" / "kestrel" / "slots.hpp"), "// server");
  EXPECT_EQ(read_file(work / "CMakeLists.txt"), programs_project(plans));

  // Nothing rebuilt: the ELF and the generated files keep their times.
  const fs::path header = plans[1].include_directory / "kestrel" / "slots.hpp";
  for (const fs::path& file : {plans[0].elf, plans[1].elf, header, work / "CMakeLists.txt"}) set_age(file, 100);
  const auto header_time = fs::last_write_time(header);
  write_file(work / "fake-build", "touch '" + plans[0].elf.string() + "'\n");
  testing::internal::CaptureStderr();
  ASSERT_TRUE(build_programs(recipe, plans, work, {.debug = true, .verbose = false}));
  err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("without optimisation (--debug)"), std::string::npos) << err;
  EXPECT_NE(err.find("kestrel: built server.elf"), std::string::npos) << err;
  EXPECT_NE(err.find("kestrel: client.elf is up to date"), std::string::npos) << err;
  EXPECT_EQ(fs::last_write_time(header), header_time) << "an unchanged slots.hpp is not rewritten";
}

TEST(Programs, AFailedBuildShowsTheCompilerAndLeavesNoElf) {
  Scratch_directory scratch;
  const fs::path work = scratch.path() / "sys.programs";
  const auto recipe = fake_recipe(scratch.path());
  const std::vector<Program_plan> plans = {plan_program("server", scratch.path() / "server.cpp", work, "")};
  fs::create_directories(work);
  write_file(plans[0].elf, "stale");
  write_file(work / "fake-build", "echo 'server.cpp:2:5: error: no_such_slot'; exit 1\n");
  testing::internal::CaptureStderr();
  EXPECT_FALSE(build_programs(recipe, plans, work, {}));
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("server.cpp:2:5: error: no_such_slot\n"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(plans[0].elf));

  // A configure error is shown too, though configuring is quiet otherwise.
  write_file(work / "configure-fails", "");
  write_file(work / "fake-build", "exit 0\n");
  testing::internal::CaptureStderr();
  EXPECT_FALSE(build_programs(recipe, plans, work, {}));
  err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("CMake Error: no package"), std::string::npos) << err;
}
