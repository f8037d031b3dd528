// SPDX-License-Identifier: Apache-2.0
// Programs: partition programs given as C++ source, compiled with the
// AArch64 cross compiler exactly as the CMake target build compiles
// partition programs (runtime/CMakeLists.txt, kestrel_add_partition_program),
// and only when something they depend on changed.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kestrel_cli {

// How the target build compiles and links a partition program; the build's
// own values come from the generated config header.
struct Toolchain {
  std::string cxx;                                  // compiles C++ and links
  std::string assembler;                            // compiles .S (CMake's ASM compiler)
  std::vector<std::string> include_directories;     // runtime/include, kernel/include
  std::vector<std::string> cxx_flags;               // build type, target options, -g, -std
  std::vector<std::string> asm_flags;               // build type, target options for ASM
  std::vector<std::string> link_flags;              // build type, link options, -T script
  std::string start;                                // runtime/start.S
  std::string memory_functions;                     // kernel/src/memory_functions.cpp
  std::vector<std::string> memory_functions_flags;  // its own extra options
  std::string linker_script;                        // runtime/partition.ld
  bool available() const { return !cxx.empty() && !assembler.empty(); }
};

// "hello.elf" for a program given as C++ source ("hello.cpp", "src/x.cc"),
// as the image builder maps it; nullopt for any other program.
std::optional<std::string> compiled_program_name(const std::string& program);

// One program to compile, and where everything about it goes.
struct Program_plan {
  std::string partition;
  std::filesystem::path source;
  std::filesystem::path elf;                // WORK/<stem>.elf
  std::filesystem::path directory;          // WORK/<stem>/: objects, depfiles, command stamp
  std::filesystem::path include_directory;  // WORK/<stem>/include, holds kestrel/slots.hpp
  std::string slots_header;                 // its text
};

Program_plan plan_program(const std::string& partition, const std::filesystem::path& source,
                          const std::filesystem::path& work_directory, std::string slots_header);

// The compiler and linker commands for `plan`, in order: source, start-up
// code, memory functions, link.
std::vector<std::vector<std::string>> program_commands(const Toolchain& toolchain, const Program_plan& plan);

// Dependencies a depfile (gcc -MD) names, with "\\ " for spaces and
// backslash-newline continuations undone.
std::vector<std::string> parse_depfile(const std::string& text);

// Why `plan` must be compiled again (the ELF or its record is missing, the
// commands changed, a file it was built from, the source, the generated
// header or any other, is newer than the ELF or gone), or nullopt if its
// ELF is up to date.
std::optional<std::string> rebuild_reason(const Toolchain& toolchain, const Program_plan& plan);

enum class Build_outcome { up_to_date, built, failed };

// Writes the plan's kestrel/slots.hpp (only if its text changed, so an
// unchanged header does not force a rebuild), then compiles and links the
// program if rebuild_reason says so, printing a progress line, compiler
// output and (if `verbose`) every command to standard error. A failed build
// leaves no ELF behind.
Build_outcome build_program(const Toolchain& toolchain, const Program_plan& plan, bool verbose);

}  // namespace kestrel_cli
