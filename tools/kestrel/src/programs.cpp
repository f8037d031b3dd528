// SPDX-License-Identifier: Apache-2.0
// Programs: compiling partition programs from C++ source, when needed.
#include <kestrel_cli/programs.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include <kestrel/policy/output_file.hpp>
#include <qemu_runner/process.hpp>

namespace kestrel_cli {
namespace {

namespace fs = std::filesystem;

// What the ELF was built with, one command a line: a different command
// (another source, other flags after kestrel was rebuilt) means a rebuild.
constexpr const char* record_name = "commands";

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string command_line(const std::vector<std::string>& command) {
  std::string line;
  for (const auto& argument : command) line += (line.empty() ? "" : " ") + argument;
  return line;
}

std::string record_text(const std::vector<std::vector<std::string>>& commands) {
  std::string text;
  for (const auto& command : commands) text += command_line(command) + '\n';
  return text;
}

fs::path object_path(const Program_plan& plan, const std::string& name) { return plan.directory / (name + ".o"); }

bool write_text(const fs::path& path, const std::string& text) {
  return kestrel::policy::write_file_atomically(path.string(), text.data(), text.size());
}

}  // namespace

std::optional<std::string> compiled_program_name(const std::string& program) {
  const fs::path path(program);
  if (path.extension() != ".cpp" && path.extension() != ".cc") return std::nullopt;
  return path.stem().string() + ".elf";
}

Program_plan plan_program(const std::string& partition, const fs::path& source, const fs::path& work_directory,
                          std::string slots_header) {
  Program_plan plan;
  plan.partition = partition;
  plan.source = source;
  const std::string stem = source.stem().string();
  plan.elf = work_directory / (stem + ".elf");
  plan.directory = work_directory / stem;
  plan.include_directory = plan.directory / "include";
  plan.slots_header = std::move(slots_header);
  return plan;
}

// As CMake's Ninja rules put them: compiler, include directories, flags
// (build type, compile options, language standard, the source's own
// options), then -o and -c; for the link, flags, link options, objects, -o.
// -MD -MF only add the depfile that tells which headers a source used.
std::vector<std::vector<std::string>> program_commands(const Toolchain& toolchain, const Program_plan& plan) {
  std::vector<std::string> includes = {"-I" + plan.include_directory.string()};
  for (const auto& directory : toolchain.include_directories) includes.push_back("-I" + directory);
  auto compile = [&](const std::string& compiler, const std::vector<std::string>& flags,
                     const std::vector<std::string>& own_flags, const fs::path& source,
                     const std::string& object_name) {
    std::vector<std::string> command = {compiler};
    command.insert(command.end(), includes.begin(), includes.end());
    command.insert(command.end(), flags.begin(), flags.end());
    command.insert(command.end(), own_flags.begin(), own_flags.end());
    const fs::path object = object_path(plan, object_name);
    command.insert(command.end(), {"-MD", "-MF", object.string() + ".d", "-o", object.string(), "-c", source.string()});
    return command;
  };
  const std::string stem = plan.source.stem().string();
  std::vector<std::vector<std::string>> commands;
  commands.push_back(compile(toolchain.cxx, toolchain.cxx_flags, {}, plan.source, stem));
  commands.push_back(compile(toolchain.assembler, toolchain.asm_flags, {}, toolchain.start, "start"));
  commands.push_back(compile(toolchain.cxx, toolchain.cxx_flags, toolchain.memory_functions_flags,
                             toolchain.memory_functions, "memory_functions"));
  std::vector<std::string> link = {toolchain.cxx};
  link.insert(link.end(), toolchain.link_flags.begin(), toolchain.link_flags.end());
  for (const char* name : {stem.c_str(), "start", "memory_functions"}) link.push_back(object_path(plan, name).string());
  link.insert(link.end(), {"-o", plan.elf.string()});
  commands.push_back(std::move(link));
  return commands;
}

std::vector<std::string> parse_depfile(const std::string& text) {
  std::vector<std::string> files;
  std::string current;
  bool after_colon = false;
  auto finish = [&] {
    if (!current.empty() && after_colon) files.push_back(current);
    current.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '\n' || text[i + 1] == '\r')) {
      finish();
      ++i;
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\\' && i + 1 < text.size() && text[i + 1] == ' ') {
      current += ' ';
      ++i;
    } else if (c == ':' && !after_colon && (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n')) {
      // The end of the target ("x.o:"), not a drive letter or a path.
      current.clear();
      after_colon = true;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      finish();
      // A blank line ends the rule; later rules (-MP phony targets) are not
      // dependencies of the object.
      if (c == '\n' && after_colon && i + 1 < text.size() && text[i + 1] == '\n') break;
    } else {
      current += c;
    }
  }
  finish();
  return files;
}

std::optional<std::string> rebuild_reason(const Toolchain& toolchain, const Program_plan& plan) {
  const auto commands = program_commands(toolchain, plan);
  std::error_code error;
  const auto elf_time = fs::last_write_time(plan.elf, error);
  if (error) return plan.elf.filename().string() + " does not exist";
  if (read_text(plan.directory / record_name) != record_text(commands)) return "its compiler commands changed";
  auto newer = [&](const std::string& file) -> std::optional<std::string> {
    const auto time = fs::last_write_time(file, error);
    if (error) return file + " is gone";
    if (time > elf_time) return file + " changed";
    return std::nullopt;
  };
  if (auto reason = newer(toolchain.linker_script)) return reason;
  // The objects' depfiles name every file they were compiled from.
  for (const std::string& object :
       {plan.source.stem().string(), std::string("start"), std::string("memory_functions")}) {
    const fs::path depfile = object_path(plan, object).string() + ".d";
    if (!fs::exists(depfile)) return depfile.filename().string() + " does not exist";
    for (const auto& file : parse_depfile(read_text(depfile))) {
      if (auto reason = newer(file)) return reason;
    }
  }
  return std::nullopt;
}

Build_outcome build_program(const Toolchain& toolchain, const Program_plan& plan, bool verbose) {
  std::error_code error;
  const fs::path header = plan.include_directory / "kestrel" / "slots.hpp";
  fs::create_directories(header.parent_path(), error);
  if (error) {
    std::cerr << "kestrel: error: cannot create " << header.parent_path().string() << ": " << error.message() << '\n';
    return Build_outcome::failed;
  }
  if (read_text(header) != plan.slots_header && !write_text(header, plan.slots_header)) {
    std::cerr << "kestrel: error: cannot write " << header.string() << '\n';
    return Build_outcome::failed;
  }
  const auto commands = program_commands(toolchain, plan);
  const auto reason = rebuild_reason(toolchain, plan);
  const std::string name = plan.source.filename().string();
  if (!reason) {
    std::cerr << "kestrel: " << plan.elf.filename().string() << " is up to date\n";
    return Build_outcome::up_to_date;
  }
  std::cerr << "kestrel: compiling " << name << " for partition \"" << plan.partition << "\" (" << *reason << ")\n";
  // Until the new record is written, an interrupted build is not taken for
  // an up-to-date one.
  fs::remove(plan.directory / record_name, error);
  auto fail = [&] {
    fs::remove(plan.elf, error);
    return Build_outcome::failed;
  };
  for (const auto& command : commands) {
    if (verbose) std::cerr << command_line(command) << '\n';
    const auto result = qemu_runner::run_process(command, {}, [](std::string_view line) { std::cerr << line << '\n'; });
    if (const auto* launch = std::get_if<qemu_runner::Launch_error>(&result)) {
      std::cerr << "kestrel: error: " << launch->message << '\n';
      return fail();
    }
    const auto& end = std::get<qemu_runner::Run_end>(result);
    if (end.kind != qemu_runner::Run_end::Kind::exited || end.code != 0) {
      const bool linking = &command == &commands.back();
      std::cerr << "kestrel: error: "
                << (linking ? "linking " + plan.elf.filename().string()
                            : "compiling " + fs::path(command.back()).filename().string())
                << " failed (program of partition \"" << plan.partition << "\")\n";
      return fail();
    }
  }
  if (!write_text(plan.directory / record_name, record_text(commands))) {
    std::cerr << "kestrel: error: cannot write " << (plan.directory / record_name).string() << '\n';
    return fail();
  }
  return Build_outcome::built;
}

}  // namespace kestrel_cli
