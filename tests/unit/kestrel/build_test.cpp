// SPDX-License-Identifier: Apache-2.0
// Build tests: kestrel build compiles its policy once (the image is built
// from that result), so a warning is printed once, with kernel and program
// ELFs made in a scratch directory.
#include <gtest/gtest.h>

#include <kestrel/policy/compiler.hpp>
#include <kestrel_cli/commands.hpp>

#include "../policy/policy_test_support.hpp"
#include "../sysimage/elf_builder.hpp"

using namespace kestrel_cli;
namespace fs = std::filesystem;

namespace {

// One partition from a prebuilt ELF, and an endpoint without clients: a
// KP0902 warning.
constexpr const char* policy_text = R"(@0xd1e2f3a4b5c6d7e8;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "once",
  platform = Virt.platform,
  partitions = [
    (name = "alpha", program = "alpha.elf",
     memory = [(name = "code", size = 0x10000, address = 0x200000, access = readExecute),
               (name = "data", size = 0x10000, address = 0x400000),
               (name = "stack", size = 0x4000, address = 0x800000)],
     threads = [(name = "main", stack = "stack")]),
  ],
  endpoints = [(name = "unused", server = "alpha")],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "alpha", durationUs = 1000)])],
);
)";

std::string as_text(const std::vector<uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }

size_t occurrences(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

}  // namespace

TEST(Build, CompilesThePolicyOnceAndPrintsItsWarningOnce) {
  Scratch_directory scratch;
  write_file(scratch.path() / "system.capnp", policy_text);
  write_file(
      scratch.path() / "kernel.elf",
      as_text(make_kernel_elf(0x40080000, {{0x40080000, std::vector<uint8_t>(0x1000, 0x11), 0x1000, PF_R | PF_X}})));
  write_file(scratch.path() / "alpha.elf",
             as_text(make_elf(0x200000, {{0x200000, std::vector<uint8_t>(0x40, 0xa1), 0x40, PF_R | PF_X},
                                         {0x400000, std::vector<uint8_t>(8, 0xa1), 0x100, PF_R | PF_W}})));
  Build_command command;
  command.inputs.policy = (scratch.path() / "system.capnp").string();
  command.inputs.kernel = (scratch.path() / "kernel.elf").string();
  command.image = (scratch.path() / "out" / "once.elf").string();

  const uint64_t before = kestrel::policy::policies_compiled();
  testing::internal::CaptureStderr();
  const int status = run_build(command);
  const std::string printed = testing::internal::GetCapturedStderr();
  ASSERT_EQ(status, 0) << printed;
  EXPECT_EQ(kestrel::policy::policies_compiled() - before, 1u) << "compiled again by the image builder?";
  EXPECT_EQ(occurrences(printed, "warning: KP0902"), 1u) << printed;
  EXPECT_TRUE(fs::is_regular_file(command.image)) << printed;
}

TEST(Build, AMissingKernelIsReportedBeforeThePolicyIsCompiled) {
  Scratch_directory scratch;
  write_file(scratch.path() / "system.capnp", policy_text);
  Build_command command;
  command.inputs.policy = (scratch.path() / "system.capnp").string();
  command.inputs.kernel = (scratch.path() / "no-kernel.elf").string();
  command.image = (scratch.path() / "once.elf").string();
  const uint64_t before = kestrel::policy::policies_compiled();
  testing::internal::CaptureStderr();
  EXPECT_EQ(run_build(command), exit_errors);
  const std::string printed = testing::internal::GetCapturedStderr();
  EXPECT_NE(printed.find("kernel " + command.inputs.kernel + " not found"), std::string::npos) << printed;
  EXPECT_EQ(kestrel::policy::policies_compiled(), before);
  EXPECT_FALSE(fs::exists(command.image));
}
