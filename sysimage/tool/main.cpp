// SPDX-License-Identifier: Apache-2.0
// kestrel-image: build one bootable, measured system image from a policy,
// the kernel, partition programs and guest payloads.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <kestrel/policy/output_file.hpp>
#include <kestrel/policy/suggest.hpp>
#include <kestrel/sysimage/image.hpp>
#include <kestrel/sysimage/signing.hpp>
#include <kestrel/sysimage/write_outputs.hpp>

namespace {

using namespace kestrel;

constexpr int exit_errors = 1;
constexpr int exit_usage = 2;
constexpr int exit_output = sysimage::tool::exit_output;

constexpr const char* usage = R"(usage: kestrel-image build POLICY --kernel KERNEL.elf -o IMAGE.elf [options]
       kestrel-image keygen --secret FILE --public FILE [--header FILE]

Compiles POLICY, places the kernel, boot-info, every partition's program and
every VM's payloads in physical memory, measures each partition (SHA-256,
checked by the kernel before the partition starts) and writes one ELF that
boots with: qemu-system-aarch64 -M virt,virtualization=on,gic-version=3
-cpu cortex-a72 -m 1G -kernel IMAGE.elf

options:
  --kernel FILE     the Kestrel kernel ELF (build/target/kernel/kestrel.elf)
  -o, --output FILE the image to write
  -P, --path DIR    also look for programs and payloads in DIR (repeatable;
                    the policy file's directory is searched first). A program
                    given as C++ source (hello.cpp) is looked for as its
                    compiled hello.elf, in these directories only
  -I, --import DIR  search DIR for /kestrel/... schema imports first
  --report FILE     write the report (memory map, digests, capabilities,
                    threads, schedule); '-' for standard output
  --graph FILE      write the picture of the system as Graphviz source
  --svg FILE        render the picture to SVG with Graphviz's dot
  --sign FILE       sign boot-info with this Ed25519 secret key; a kernel
                    built with the public key (cmake -DKESTREL_BOOT_PUBLIC_KEY=
                    FILE) refuses images that are not signed with it
  -h, --help        this text

keygen writes a new Ed25519 key pair: the secret key as hex text (mode 0600),
the public key as 32 bytes, and with --header the public key as a C++
header. Keep the secret key out of the repository.

Outputs are written only if everything succeeds, never partially.
exit status: 0 written, 1 bad policy or inputs, 2 bad usage, 3 an output
could not be written.
)";

int usage_error(const std::string& message) {
  std::cerr << "kestrel-image: error: " << message << "\n(kestrel-image --help shows the usage)\n";
  return exit_usage;
}

struct Options {
  sysimage::Image_inputs inputs;
  std::string output, report, graph, svg;
};

int build(const Options& options) {
  auto result = sysimage::build_image(options.inputs);
  policy::print_gcc(std::cerr, result.diagnostics);
  for (const auto& error : result.errors) std::cerr << "kestrel-image: error: " << error << '\n';
  if (!result.ok()) return exit_errors;
  return sysimage::tool::write_image_outputs(
      *result.image, {options.output, options.report, options.graph, options.svg}, "kestrel-image");
}

int keygen(const std::vector<std::string>& arguments) {
  std::string secret, public_key, header;
  for (size_t i = 1; i < arguments.size(); ++i) {
    std::string* target = arguments[i] == "--secret"   ? &secret
                          : arguments[i] == "--public" ? &public_key
                          : arguments[i] == "--header" ? &header
                                                       : nullptr;
    if (target == nullptr) {
      return usage_error(policy::unknown_argument("keygen option", arguments[i], {"--secret", "--public", "--header"}));
    }
    if (i + 1 >= arguments.size()) return usage_error(arguments[i] + " needs a file");
    *target = arguments[++i];
  }
  if (secret.empty() || public_key.empty()) return usage_error("keygen needs --secret FILE and --public FILE");
  auto pair = sysimage::generate_key_pair();
  if (!pair.ok()) {
    std::cerr << "kestrel-image: error: " << pair.error() << '\n';
    return exit_errors;
  }
  std::string problem = sysimage::write_secret_key(secret, pair.value().secret_key);
  if (problem.empty()) problem = sysimage::write_public_key(public_key, pair.value().public_key);
  if (problem.empty() && !header.empty()) {
    const std::string text = sysimage::public_key_header(pair.value().public_key);
    if (!policy::write_file_atomically(header, text.data(), text.size())) problem = "cannot write " + header;
  }
  if (!problem.empty()) {
    std::remove(secret.c_str());
    std::remove(public_key.c_str());
    std::cerr << "kestrel-image: error: " << problem << '\n';
    return exit_output;
  }
  std::cerr << "kestrel-image: wrote " << secret << " (secret: keep it private) and " << public_key << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  for (const auto& argument : arguments) {
    if (argument == "-h" || argument == "--help") {
      std::cout << usage;
      return 0;
    }
  }
  if (arguments.empty()) return usage_error("no command given");
  if (arguments[0] == "keygen") return keygen(arguments);
  if (arguments[0] != "build") {
    return usage_error(policy::unknown_argument("command", arguments[0], {"build", "keygen"}));
  }
  Options options;
  for (size_t i = 1; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= arguments.size()) return false;
      out = arguments[++i];
      return true;
    };
    std::string directory;
    if (argument == "--kernel") {
      if (!value(options.inputs.kernel_path)) return usage_error("--kernel needs a file");
    } else if (argument == "-o" || argument == "--output") {
      if (!value(options.output)) return usage_error(argument + " needs a file");
    } else if (argument == "-P" || argument == "--path") {
      if (!value(directory)) return usage_error(argument + " needs a directory");
      options.inputs.search_directories.push_back(directory);
    } else if (argument == "-I" || argument == "--import") {
      if (!value(directory)) return usage_error(argument + " needs a directory");
      options.inputs.load.import_paths.push_back(directory);
    } else if (argument == "--report") {
      if (!value(options.report)) return usage_error("--report needs a file or '-'");
    } else if (argument == "--graph") {
      if (!value(options.graph)) return usage_error("--graph needs a file");
    } else if (argument == "--svg") {
      if (!value(options.svg)) return usage_error("--svg needs a file");
    } else if (argument == "--sign") {
      if (!value(options.inputs.secret_key_path)) return usage_error("--sign needs a secret key file");
    } else if (!argument.empty() && argument[0] == '-') {
      return usage_error(policy::unknown_argument(
          "option", argument,
          {"--kernel", "-o", "--output", "-P", "--path", "-I", "--import", "--report", "--graph", "--svg", "--sign"}));
    } else if (options.inputs.policy_path.empty()) {
      options.inputs.policy_path = argument;
    } else {
      return usage_error("more than one policy given: '" + argument + "'");
    }
  }
  if (options.inputs.policy_path.empty()) return usage_error("build needs a policy file");
  if (options.inputs.kernel_path.empty()) return usage_error("build needs --kernel");
  if (options.output.empty()) return usage_error("build needs -o IMAGE");
  return build(options);
}
