// SPDX-License-Identifier: Apache-2.0
// Commands: check, build and run (bench is bench_command.cpp), on top of the
// policy compiler, the image builder and the QEMU runner.
#include <kestrel_cli/commands.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>

#include <kestrel/policy/check_command.hpp>
#include <kestrel/policy/compiler.hpp>
#include <kestrel/policy/output_file.hpp>
#include <kestrel/sha256.hpp>
#include <kestrel/sysimage/image.hpp>
#include <kestrel/sysimage/write_outputs.hpp>
#include <kestrel_cli/check.hpp>
#include <kestrel_cli/config.hpp>
#include <kestrel_cli/programs.hpp>
#include <kestrel_cli/slots.hpp>
#include <qemu_runner/options.hpp>
#include <qemu_runner/process.hpp>
#include <qemu_runner/run.hpp>

#include "command_errors.hpp"

namespace kestrel_cli {
namespace {

namespace fs = std::filesystem;

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string directories = path != nullptr ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= directories.size()) {
    const size_t end = std::min(directories.find(':', start), directories.size());
    const fs::path candidate = fs::path(directories.substr(start, end - start)) / program;
    if (access(candidate.c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

kestrel::policy::Load_options load_options(const Build_inputs& inputs) {
  kestrel::policy::Load_options load;
  load.import_paths = inputs.import_paths;
  load.constant = inputs.constant;
  return load;
}

std::string default_kernel() { return config::kernel; }

// A program named in the policy, found as the image builder finds it
// (absolute, beside the policy, then in each search directory), for gdb's
// add-symbol-file lines.
std::optional<fs::path> find_program_file(const std::string& program, const Build_inputs& inputs) {
  if (fs::path(program).is_absolute()) return fs::path(program);
  std::vector<fs::path> candidates = {fs::path(inputs.policy).parent_path() / program};
  for (const auto& directory : inputs.search_directories) candidates.push_back(fs::path(directory) / program);
  for (const auto& candidate : candidates) {
    if (fs::is_regular_file(candidate)) return fs::absolute(candidate);
  }
  return std::nullopt;
}

// What `kestrel build` made, for `kestrel run --gdb`.
struct Built {
  std::vector<std::pair<fs::path, std::string>> programs;  // ELF, what it is ("partition "x"")
};

// The programs a policy names as C++ source, planned; errors (a missing
// source KP0413, two sources with one ELF name KP0414) are reported at the
// policy's `program` field.
std::optional<std::vector<Program_plan>> plan_programs(const kestrel::policy::Model& model, const Build_inputs& inputs,
                                                       const fs::path& work_directory) {
  std::vector<Program_plan> plans;
  kestrel::policy::Diagnostics missing;
  check_program_sources(model, inputs.policy, missing);
  if (missing.has_errors()) {
    kestrel::policy::print_gcc(std::cerr, missing);
    return std::nullopt;
  }
  for (uint32_t p = 0; p < model.partitions.size(); ++p) {
    const auto& partition = model.partitions[p];
    const auto source = program_source(partition, inputs.policy);
    if (!source) continue;
    plans.push_back(plan_program(partition.name, *source, work_directory, slots_header(model, p, inputs.policy)));
  }
  return plans;
}

// Where scripts/guest-payloads puts Debian's kernel and the busybox
// initramfs in the build tree (cmake/guest-payloads.cmake): searched after
// the -P directories, so examples/linux finds "Image" and
// "initramfs.cpio.gz" there.
fs::path guest_payload_directory() {
  const fs::path build_directory = config::build_directory;
  return build_directory.empty() ? fs::path{} : build_directory / "guest";
}

// A VM payload the policy names that is found nowhere else and is one the
// build tree can make: made now (apt-get download, cached), as the README's
// commands promise.
bool make_missing_guest_payloads(const kestrel::policy::Model& model, const Build_inputs& inputs) {
  const fs::path guest = guest_payload_directory();
  if (guest.empty()) return true;
  bool missing = false;
  for (const auto& partition : model.partitions) {
    if (!partition.vm) continue;
    for (const std::string& payload : {partition.vm->kernel, partition.vm->initrd}) {
      if (payload != "Image" && payload != "initramfs.cpio.gz") continue;
      if (!find_program_file(payload, inputs) && !fs::is_regular_file(guest / payload)) missing = true;
    }
  }
  if (!missing) return true;
  std::cerr << tool << ": making the Linux guest payloads in " << guest.string()
            << " (scripts/guest-payloads: apt-get download, cached)\n";
  const auto result =
      qemu_runner::run_process({config::cmake, "--build", config::build_directory, "--target", "guest_payloads"}, {},
                               [](std::string_view line) { std::cerr << line << '\n'; });
  const auto* end = std::get_if<qemu_runner::Run_end>(&result);
  return end != nullptr && end->kind == qemu_runner::Run_end::Kind::exited && end->code == 0;
}

// The whole of `kestrel build`: policy, programs, image, report, picture.
int build(const Build_inputs& inputs, const std::string& image, Built* built = nullptr) {
  const auto outputs = build_outputs(image);
  const std::string kernel = inputs.kernel.empty() ? default_kernel() : inputs.kernel;
  if (kernel.empty()) return fail("no kernel: this kestrel was built without the AArch64 side; pass --kernel ELF");
  // Before anything is compiled: nothing can be booted without it.
  if (!fs::is_regular_file(kernel)) {
    return fail("kernel " + kernel + " not found; build it (cmake --build BUILD-DIR) or pass --kernel ELF");
  }

  std::cerr << tool << ": compiling policy " << inputs.policy << '\n';
  // Compiled once: the image is built from this result.
  const auto compiled = kestrel::policy::compile_policy(inputs.policy, load_options(inputs));
  kestrel::policy::print_gcc(std::cerr, compiled.diagnostics);
  if (!compiled.ok()) {
    kestrel::policy::print_counts(std::cerr, inputs.policy, compiled.diagnostics);
    return exit_errors;
  }
  const fs::path work_directory = fs::absolute(outputs.work_directory);
  const auto plans = plan_programs(*compiled.model, inputs, work_directory);
  if (!plans) return exit_errors;
  if (!plans->empty()) {
    const Recipe recipe = config::recipe();
    if (!recipe.available()) {
      return fail("cannot compile " + plans->front().source.filename().string() +
                  ": this kestrel was configured without the AArch64 side and its Kestrel package "
                  "(KESTREL_BUILD_TARGET=OFF)");
    }
    if (!build_programs(recipe, *plans, work_directory, {.debug = inputs.debug, .verbose = inputs.verbose})) {
      return fail("the partition programs did not build (see above); no image written");
    }
  }

  kestrel::sysimage::Image_inputs image_inputs;
  image_inputs.policy_path = inputs.policy;
  image_inputs.kernel_path = kernel;
  // Compiled programs first, so a stale ELF of the same name in a -P
  // directory cannot stand in for them.
  if (!plans->empty()) image_inputs.search_directories.push_back(work_directory.string());
  image_inputs.search_directories.insert(image_inputs.search_directories.end(), inputs.search_directories.begin(),
                                         inputs.search_directories.end());
  if (!make_missing_guest_payloads(*compiled.model, inputs)) {
    return fail(
        "could not make the Linux guest payloads (see above); run scripts/install-deps as root, then "
        "cmake --build " +
        std::string(config::build_directory) + " --target guest_payloads");
  }
  if (!guest_payload_directory().empty()) image_inputs.search_directories.push_back(guest_payload_directory().string());
  image_inputs.secret_key_path = inputs.secret_key;
  std::cerr << tool << ": building image " << image << '\n';
  const auto result = kestrel::sysimage::build_image(compiled, image_inputs);
  for (const auto& error : result.errors) std::cerr << tool << ": error: " << error << '\n';
  if (!result.ok()) return fail("no image written");

  std::string svg = outputs.svg;
  if (!on_path("dot")) {
    std::cerr << tool << ": warning: Graphviz 'dot' not found, so no picture (" << svg
              << "); scripts/install-deps installs it\n";
    svg.clear();
  }
  if (const fs::path parent = fs::path(image).parent_path(); !parent.empty()) {
    std::error_code error;
    fs::create_directories(parent, error);
    if (error) {
      std::cerr << tool << ": error: cannot create " << parent.string() << ": " << error.message() << '\n';
      return exit_output;
    }
  }
  const int status =
      kestrel::sysimage::tool::write_image_outputs(*result.image, {image, outputs.report, "", svg}, tool);
  if (status != 0) return status;
  std::cerr << tool << ": report in " << outputs.report << (svg.empty() ? "" : ", picture in " + svg) << '\n';
  if (built != nullptr) {
    for (const auto& partition : result.image->model->partitions) {
      if (partition.vm || partition.program.empty()) continue;
      const auto plan = std::find_if(plans->begin(), plans->end(),
                                     [&](const Program_plan& p) { return p.partition == partition.name; });
      const std::string what = "partition \"" + partition.name + "\"";
      if (plan != plans->end()) {
        built->programs.emplace_back(plan->elf, what);
      } else if (const auto file = find_program_file(partition.program, inputs)) {
        built->programs.emplace_back(*file, what);
      }
    }
  }
  return 0;
}

// Where `kestrel run POLICY` builds: the build tree if kestrel can write
// there, else the temporary directory; in a folder of its own per policy
// file, named after it and a hash of its absolute path, so that two
// projects' system.capnp never share (and overwrite) one folder.
fs::path run_directory(const std::string& policy) {
  const std::string absolute = fs::absolute(policy).lexically_normal().string();
  kestrel::Sha256 hash;
  hash.update(absolute.data(), absolute.size());
  char digits[kestrel::sha256_hex_buffer_size];
  const std::string name =
      fs::path(policy).stem().string() + "-" + std::string(kestrel::format_hex(hash.finish(), digits)).substr(0, 12);
  const fs::path build_directory = config::build_directory;
  if (!build_directory.empty() && access(build_directory.c_str(), W_OK) == 0) {
    return build_directory / "kestrel-run" / name;
  }
  return fs::temp_directory_path() / ("kestrel-run-" + std::to_string(getuid())) / name;
}

// 1234 if it is free on the loopback interface, else a port the system
// picks.
int gdb_port() {
  for (const int wanted : {1234, 0}) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return 1234;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(wanted));
    socklen_t length = sizeof address;
    const bool bound = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                       getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    close(fd);
    if (bound) return ntohs(address.sin_port);
  }
  return 1234;
}

std::string shell_quoted(const std::string& text) {
  if (text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:=,") ==
      std::string::npos) {
    return text;
  }
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The gdb command to attach with: the kernel's symbols, then every
// partition program's (add-symbol-file takes each at its link address), so
// `break main` stops in a partition; the kernel has no main.
std::string gdb_command(int port, const std::string& kernel, const Built& built) {
  std::string command = "gdb-multiarch -q " + shell_quoted(kernel);
  if (!built.programs.empty()) {
    // add-symbol-file asks for confirmation in an interactive gdb.
    command += " -ex 'set confirm off'";
    for (const auto& [elf, what] : built.programs) command += " -ex " + shell_quoted("add-symbol-file " + elf.string());
    command += " -ex 'set confirm on'";
  }
  return command + " -ex 'target remote localhost:" + std::to_string(port) + "'";
}

void print_gdb_instructions(int port, const std::string& kernel, const Built& built, bool image_only) {
  std::cerr << tool << ": QEMU starts halted, with a gdb stub on localhost:" << port << ". To attach with the kernel's"
            << (built.programs.empty() ? "" : " and the partitions'") << " symbols, in another terminal:\n  "
            << gdb_command(port, kernel, built) << '\n';
  if (image_only) {
    std::cerr << tool << ": an image does not say which programs it holds; "
              << (built.programs.empty() ? "for the partitions' symbols, run its policy instead (kestrel run POLICY "
                                           "--gdb)\n"
                                         : "the symbols above are of the programs kestrel build compiled for it; "
                                           "for every partition's, run its policy instead (kestrel run POLICY "
                                           "--gdb)\n");
  }
  if (built.programs.empty()) return;
  std::cerr << tool << ": then `break main` (or any function) and `continue`. Each partition is linked at 0x200000 "
            << "in its own address space, so a breakpoint stops in whichever partition runs that address; "
            << "`break FILE.cpp:FUNCTION` names one partition's function. The programs:\n";
  for (const auto& [elf, what] : built.programs) std::cerr << "  " << elf.string() << "    # " << what << '\n';
}

}  // namespace

int run_check(const Check_command& command) {
  kestrel::policy::tool::Check_options options;
  options.policy = command.policy;
  options.output = command.output;
  options.summary = command.summary;
  options.json = command.json;
  options.warnings_are_errors = command.warnings_are_errors;
  options.load.import_paths = command.import_paths;
  options.load.constant = command.constant;
  if (const auto problem = kestrel::policy::tool::check_options_problem(options); !problem.empty()) {
    std::cerr << tool << ": error: " << problem << "\n(kestrel check --help shows the usage)\n";
    return exit_usage;
  }
  // The program sources, checked before anything is written; the summary
  // kept for the closing line.
  std::string summary;
  options.check_model = [&](const kestrel::policy::Model& model, kestrel::policy::Diagnostics& diagnostics) {
    summary = one_line_summary(model);
    check_program_sources(model, command.policy, diagnostics);
  };
  const int status = kestrel::policy::tool::check_policy(options, tool);
  if (status == 0) std::cerr << command.policy << ": ok: " << summary << '\n';
  return status;
}

int run_build(const Build_command& command) {
  std::error_code error;
  if (fs::equivalent(command.image, command.inputs.policy, error)) {
    std::cerr << tool << ": error: the image '" << command.image << "' would overwrite the policy\n";
    return exit_usage;
  }
  return build(command.inputs, command.image);
}

int run_run(const Run_command& command) {
  std::string image = command.target;
  const std::string kernel = command.inputs.kernel.empty() ? default_kernel() : command.inputs.kernel;
  Built built;
  if (command.target_is_policy()) {
    const fs::path directory = run_directory(command.target);
    std::error_code error;
    fs::create_directories(directory, error);
    if (error) return fail("cannot create " + directory.string() + ": " + error.message());
    image = (directory / (fs::path(command.target).stem().string() + ".elf")).string();
    std::cerr << tool << ": building " << command.target << " into " << image << '\n';
    if (const int status = build(command.inputs, image, &built); status != 0) return status;
  } else if (access(image.c_str(), R_OK) != 0) {
    // Said here, before anything claims to boot it.
    std::cerr << tool << ": error: cannot read image '" << image << "'"
              << (fs::exists(image) ? ""
                                    : ": no such file; make it with kestrel build POLICY -o IMAGE, or give "
                                      "kestrel run the policy")
              << '\n';
    return exit_usage;
  }
  if (command.gdb && (kernel.empty() || !fs::is_regular_file(kernel))) {
    return fail("kernel " + (kernel.empty() ? std::string("(none)") : kernel) +
                " not found, and gdb needs its symbols; build it (cmake --build BUILD-DIR) or pass --kernel ELF");
  }

  qemu_runner::Options options;
  options.image = image;
  options.qemu = command.qemu.empty() ? config::qemu : command.qemu;
  options.smp = command.smp;
  options.memory = command.memory;
  options.timeout_seconds = command.timeout_seconds.value_or(0);
  if (command.gdb) {
    const int port = gdb_port();
    options.extra_qemu_args = {"-S", "-gdb", "tcp:localhost:" + std::to_string(port)};
    if (!command.target_is_policy()) {
      // Programs kestrel build compiled for this image, if it made it.
      const fs::path programs = build_outputs(image).work_directory;
      std::error_code error;
      for (const auto& entry : fs::directory_iterator(programs, error)) {
        if (entry.path().extension() == ".elf") {
          built.programs.emplace_back(fs::absolute(entry.path()),
                                      "compiled from " + entry.path().stem().string() + ".cpp or .cc");
        }
      }
      std::sort(built.programs.begin(), built.programs.end());
    }
    print_gdb_instructions(port, fs::absolute(kernel).string(), built, !command.target_is_policy());
  }
  options.extra_qemu_args.insert(options.extra_qemu_args.end(), command.extra_qemu_args.begin(),
                                 command.extra_qemu_args.end());
  std::cerr << tool << ": booting " << image << " under QEMU (" << options.smp << " CPU"
            << (options.smp == 1 ? "" : "s") << ", " << options.memory << ")"
            << (options.effective_timeout() != 0
                    ? ", killed after " + std::to_string(options.effective_timeout()) + " s"
                    : std::string{})
            << "; the console follows. To leave QEMU, press Ctrl-A then X\n";
  return qemu_runner::run_qemu(options, tool);
}

}  // namespace kestrel_cli
