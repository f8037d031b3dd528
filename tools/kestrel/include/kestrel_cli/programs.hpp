// SPDX-License-Identifier: Apache-2.0
// Programs: partition programs given as C++ source, built with the Kestrel
// package's one recipe (kestrel_add_partition, cmake/kestrel-partition.cmake)
// by a small CMake project kestrel writes into its work directory. What to
// rebuild, depfiles and changed commands are CMake's business.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kestrel_cli {

// How to run CMake on a project that uses the Kestrel package; the build
// tree's values come from the generated config header.
struct Recipe {
  std::string cmake;      // the cmake binary
  std::string generator;  // -G, as the build tree's own
  std::string package;    // Kestrel_DIR: KestrelConfig.cmake, aarch64-toolchain.cmake
  bool available() const { return !package.empty(); }
};

// "hello.elf" for a program given as C++ source ("hello.cpp", "src/x.cc"),
// as the image builder maps it; nullopt for any other program.
std::optional<std::string> compiled_program_name(const std::string& program);

// One program to compile, and where everything about it goes.
struct Program_plan {
  std::string partition;
  std::filesystem::path source;
  std::filesystem::path elf;                // WORK/<stem>.elf
  std::filesystem::path include_directory;  // WORK/<stem>/include, holds kestrel/slots.hpp
  std::string slots_header;                 // its text
};

Program_plan plan_program(const std::string& partition, const std::filesystem::path& source,
                          const std::filesystem::path& work_directory, std::string slots_header);

// WORK/CMakeLists.txt: one kestrel_add_partition per plan, its slot
// header's directory ahead of the runtime's, its ELF in WORK.
std::string programs_project(const std::vector<Program_plan>& plans);

// The CMake build directory of the work directory's project: WORK/build.
std::filesystem::path cmake_build_directory(const std::filesystem::path& work_directory);

// cmake -S WORK -B WORK/build with the package's toolchain, Debug (-O0) or
// Release.
std::vector<std::string> configure_command(const Recipe& recipe, const std::filesystem::path& work_directory,
                                           bool debug);
// cmake --build WORK/build, --verbose to show every command.
std::vector<std::string> build_command(const Recipe& recipe, const std::filesystem::path& work_directory, bool verbose);

struct Program_options {
  bool debug = false;    // -O0 -g instead of the target build's optimisation
  bool verbose = false;  // CMake's configure output and every compiler command
};

// Writes every plan's kestrel/slots.hpp and the project (each only if its
// text changed, so an unchanged file rebuilds nothing), configures and
// builds it, and says for each program whether it was built or up to date.
// The build's output (compiler errors as the compiler prints them) goes to
// standard error. A failed build leaves none of the plans' ELFs behind.
bool build_programs(const Recipe& recipe, const std::vector<Program_plan>& plans,
                    const std::filesystem::path& work_directory, const Program_options& options);

}  // namespace kestrel_cli
