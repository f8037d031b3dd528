// SPDX-License-Identifier: Apache-2.0
// Check tests: what kestrel check says of a policy beyond the compiler's
// diagnostics: a missing program source (at its `program` field, nothing
// written) and the closing ok line with the policy's one-line summary.
#include <gtest/gtest.h>

#include <kestrel/policy/diagnostics.hpp>
#include <kestrel_cli/commands.hpp>

#include "../policy/policy_test_support.hpp"

using namespace kestrel_cli;
namespace fs = std::filesystem;

namespace {

// Three programs from source, a VM (vCPUs on two CPUs) and two endpoints.
constexpr const char* policy_text = R"(@0xc4d5e6f7a8091a2b;
using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
const system :K.System = (
  name = "check",
  platform = Virt.platform,
  partitions = [
    (name = "server", program = "server.cpp", kernelConsole = true,
     memory = [(name = "code", size = 0x10000, address = 0x200000, access = readExecute),
               (name = "stack", size = 0x4000, address = 0x800000)],
     threads = [(name = "main", stack = "stack")]),
    (name = "client", program = "src/client.cpp",
     memory = [(name = "code", size = 0x10000, address = 0x200000, access = readExecute),
               (name = "stack", size = 0x4000, address = 0x800000)],
     threads = [(name = "main", stack = "stack")]),
    (name = "vmm", program = "vmm.cpp",
     memory = [(name = "code", size = 0x10000, address = 0x200000, access = readExecute),
               (name = "stack", size = 0x4000, address = 0x800000),
               (name = "stack-cpu1", size = 0x8000, address = 0x900000)],
     threads = [(name = "main", stack = "stack"),
                (name = "exits-cpu1", stack = "stack-cpu1", passive = true, cpu = 1)]),
    (name = "guest", vm = (cpus = [0, 1, 1], ramSize = 0x400000, kernel = "guest.elf", vmm = "vmm")),
  ],
  endpoints = [
    (name = "query", server = "server", clients = [(partition = "client", badge = 1)]),
    (name = "log", server = "server", clients = [(partition = "vmm", badge = 2)]),
  ],
  schedule = [(cpu = 0, majorFrameUs = 4000, windows = [
    (partition = "server", durationUs = 1000), (partition = "client", durationUs = 1000),
    (partition = "vmm", durationUs = 1000), (partition = "guest", durationUs = 1000)]),
    (cpu = 1, majorFrameUs = 1000, windows = [(partition = "guest", durationUs = 1000)])],
);
)";

class CheckTest : public testing::Test {
 protected:
  void SetUp() override {
    write_file(policy(), policy_text);
    fs::create_directories(scratch_.path() / "src");
    for (const char* source : {"server.cpp", "src/client.cpp", "vmm.cpp"}) write_file(scratch_.path() / source, "");
  }
  fs::path policy() const { return scratch_.path() / "check.capnp"; }
  fs::path path(const char* name) const { return scratch_.path() / name; }

  // kestrel check POLICY -o check.bin --summary check.txt: its status, and
  // what it printed on standard error.
  int check(std::string& errors) {
    std::string output;
    return check(errors, output, false);
  }

  // As above, with --format json: what it printed on standard output too.
  int check(std::string& errors, std::string& output, bool json) {
    Check_command command;
    command.policy = policy().string();
    command.output = path("check.bin").string();
    command.summary = path("check.txt").string();
    command.json = json;
    testing::internal::CaptureStdout();
    testing::internal::CaptureStderr();
    const int status = run_check(command);
    errors = testing::internal::GetCapturedStderr();
    output = testing::internal::GetCapturedStdout();
    return status;
  }

  Scratch_directory scratch_;
};

}  // namespace

TEST_F(CheckTest, AMissingProgramSourceIsAnErrorAtItsProgramFieldAndNothingIsWritten) {
  fs::remove(path("src/client.cpp"));
  std::string errors;
  EXPECT_EQ(check(errors), exit_errors);
  // Line 12 of the policy, the column of the value "src/client.cpp".
  const std::string field = "    (name = \"client\", program = ";
  const std::string expected =
      policy().string() + ":12:" + std::to_string(field.size() + 1) +
      ": error: KP0413: program \"src/client.cpp\" of partition \"client\" not found: no file " +
      path("src/client.cpp").string() + "\n";
  EXPECT_NE(errors.find(expected), std::string::npos) << errors;
  EXPECT_NE(errors.find("  hint: a relative program path is relative to the policy's directory (" +
                        scratch_.path().string() + ")"),
            std::string::npos)
      << errors;
  EXPECT_NE(errors.find(policy().string() + ": 1 error(s), 0 warning(s)"), std::string::npos)
      << "counted with the compiler's diagnostics: " << errors;
  EXPECT_EQ(errors.find(": ok"), std::string::npos) << errors;
  EXPECT_FALSE(fs::exists(path("check.bin")));
  EXPECT_FALSE(fs::exists(path("check.txt")));
}

TEST_F(CheckTest, AMissingProgramSourceIsInTheJsonDiagnostics) {
  fs::remove(path("src/client.cpp"));
  fs::remove(path("vmm.cpp"));
  std::string errors, output;
  EXPECT_EQ(check(errors, output, true), exit_errors);
  EXPECT_EQ(errors, "") << "with --format json nothing is printed plainly";
  EXPECT_EQ(output.rfind("{\"errors\": 2, \"warnings\": 0, \"diagnostics\": [", 0), 0u) << output;
  const std::string field = "    (name = \"client\", program = ";
  const std::string expected =
      "{\"code\": \"KP0413\", \"severity\": \"error\", \"file\": " + kestrel::policy::json_quoted(policy().string()) +
      ", \"line\": 12, \"column\": " + std::to_string(field.size() + 1) +
      ", \"message\": \"program \\\"src/client.cpp\\\" of partition \\\"client\\\" not found";
  EXPECT_NE(output.find(expected), std::string::npos) << expected << "\nin:\n" << output;
  EXPECT_NE(output.find("of partition \\\"vmm\\\" not found"), std::string::npos) << output;
  EXPECT_LT(output.find("\"line\": 12"), output.find("\"line\": 16")) << "in policy order: " << output;
  EXPECT_FALSE(fs::exists(path("check.bin")));
}

TEST_F(CheckTest, TwoProgramsWithOneElfNameAreAnErrorAtTheSecondProgramField) {
  std::string text = policy_text;
  const std::string client = "program = \"src/client.cpp\"";
  text.replace(text.find(client), client.size(), "program = \"src/server.cpp\"");
  write_file(policy(), text);
  write_file(path("src/server.cpp"), "");
  std::string errors;
  EXPECT_EQ(check(errors), exit_errors);
  const std::string field = "    (name = \"client\", program = ";
  const std::string expected = policy().string() + ":12:" + std::to_string(field.size() + 1) +
                               ": error: KP0414: partitions \"server\" and \"client\" would both compile to "
                               "server.elf\n";
  EXPECT_NE(errors.find(expected), std::string::npos) << errors;
  EXPECT_NE(errors.find("  hint: each partition's program is built on its own"), std::string::npos) << errors;
  EXPECT_NE(errors.find(": 1 error(s), 0 warning(s)"), std::string::npos) << errors;
  EXPECT_FALSE(fs::exists(path("check.bin")));
}

TEST_F(CheckTest, APolicyThatChecksEndsWithOkAndItsOneLineSummary) {
  std::string errors;
  EXPECT_EQ(check(errors), 0) << errors;
  EXPECT_EQ(errors, policy().string() + ": ok: 4 partitions, 4 threads on 2 CPUs, 2 endpoints, 1 VM (3 vCPUs)\n");
  EXPECT_TRUE(fs::exists(path("check.bin")));
  EXPECT_TRUE(fs::exists(path("check.txt")));
}

TEST(Version, KestrelVersionPrintsTheKernelsVersionAsItsBannerDoes) {
  const auto parsed = parse_arguments({"--version"});
  ASSERT_TRUE(std::holds_alternative<Help>(parsed));
  const std::string text = std::get<Help>(parsed).text;
  EXPECT_TRUE(testing::internal::RE::FullMatch(text, "Kestrel [0-9]+\\.[0-9]+\\.[0-9]+\n")) << text;
  EXPECT_EQ(text, version_text());
  const auto subcommand = parse_arguments({"version"});
  ASSERT_TRUE(std::holds_alternative<Help>(subcommand));
  EXPECT_EQ(std::get<Help>(subcommand).text, text);
  const auto extra = parse_arguments({"version", "x"});
  ASSERT_TRUE(std::holds_alternative<Usage_error>(extra));
  EXPECT_EQ(std::get<Usage_error>(extra).message, "version takes no arguments");
}
