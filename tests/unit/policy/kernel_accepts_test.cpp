// SPDX-License-Identifier: Apache-2.0
// Kernel accepts: the compiler's promise, that a policy `kestrel check`
// accepts gives boot-info the kernel accepts. Every policy in the tree that
// the compiler accepts (examples, the demo, target-test images, benchmarks,
// the passing case files, generated systems) is compiled and its boot-info
// read by the kernel's own reader (kernel/src/boot_info.cpp, built for the
// host in kestrel_kernel_portable). A refusal is a missing validator.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <vector>

#include <kestrel/boot_info.hpp>
#include <kestrel/policy/codes.hpp>
#include <kestrel/policy/compiler.hpp>

#include "generate.hpp"
#include "policy_test_support.hpp"

namespace fs = std::filesystem;
using namespace kestrel::policy;

namespace {

// Whether a case file (cases/README.md) expects an error: an expectation of
// a code whose severity is error (the warnings, KP09xx and KP0311, leave a
// policy that compiles).
bool is_error_code(std::string_view digits) {
  for (const auto& info : kestrel::policy::all_codes()) {
    if (kestrel::policy::code_text(info.code).substr(2) == digits) {
      return info.severity == kestrel::policy::Severity::error;
    }
  }
  return true;  // an unknown code: not a policy to hand to the kernel
}

bool case_expects_an_error(const fs::path& file) {
  fs::path sidecar = file;
  sidecar += ".expect";
  const bool has_sidecar = fs::exists(sidecar);
  const std::string text = read_file(has_sidecar ? sidecar : file);
  for (size_t at = text.find("KP"); at != std::string::npos; at = text.find("KP", at + 2)) {
    const size_t line_start = text.rfind('\n', at) + 1;  // npos + 1 is 0
    const std::string_view before{text.data() + line_start, at - line_start};
    const bool expectation = has_sidecar ? before.empty() : before.find("# expect") != std::string_view::npos;
    if (expectation && is_error_code(std::string_view(text).substr(at + 2, 4))) return true;
  }
  return false;
}

std::vector<fs::path> policies_in_the_tree() {
  std::vector<fs::path> files;
  const fs::path root = source_directory();
  for (const auto& directory : {root / "examples", root / "tests" / "target" / "images", root / "benchmarks",
                                root / "tests" / "unit" / "policy" / "cases", systems_directory()}) {
    for (const auto& entry : fs::recursive_directory_iterator(directory)) {
      const auto extension = entry.path().extension();
      if (!entry.is_regular_file() || (extension != ".capnp" && extension != ".json")) continue;
      if (entry.path().parent_path().filename() == "cases" && case_expects_an_error(entry.path())) continue;
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string test_name(const testing::TestParamInfo<fs::path>& info) {
  std::string name = fs::relative(info.param, source_directory()).string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

// The kernel reads boot-info where the image builder put it, 8-byte aligned.
void expect_kernel_accepts(const std::vector<uint8_t>& boot_info) {
  ASSERT_FALSE(boot_info.empty());
  std::vector<uint64_t> aligned((boot_info.size() + 7) / 8);
  std::memcpy(aligned.data(), boot_info.data(), boot_info.size());
  const auto read = kestrel::read_boot_info(reinterpret_cast<const uint8_t*>(aligned.data()), boot_info.size());
  ASSERT_TRUE(read.ok()) << "the kernel refuses the boot-info: " << kestrel::to_string(read.problem().error)
                         << " in section " << kestrel::to_string(read.problem().section) << " entry "
                         << read.problem().index;
}

class KernelAccepts : public testing::TestWithParam<fs::path> {};

}  // namespace

TEST_P(KernelAccepts, TheBootInfoOfEveryAcceptedPolicy) {
  const auto result = compile_policy(GetParam().string(), {});
  ASSERT_TRUE(result.ok()) << diagnostics_text(result.diagnostics);
  expect_kernel_accepts(result.boot_info);
}

INSTANTIATE_TEST_SUITE_P(Tree, KernelAccepts, testing::ValuesIn(policies_in_the_tree()), test_name);

TEST(KernelAcceptsCoverage, TheTreeHasPoliciesOfEveryKind) {
  const auto files = policies_in_the_tree();
  auto count_under = [&](const std::string& part) {
    return std::count_if(files.begin(), files.end(),
                         [&](const fs::path& f) { return f.string().find(part) != std::string::npos; });
  };
  EXPECT_GE(count_under("/examples/demo/"), 1);
  EXPECT_EQ(count_under("/examples/hello-ipc/"), 2) << "the Cap'n Proto and the JSON";
  EXPECT_GE(count_under("/policy/systems/"), 2);
  EXPECT_GE(count_under("/tests/target/images/"), 10);
  EXPECT_GE(count_under("/benchmarks/"), 1);
  EXPECT_GE(count_under("/cases/valid-"), 3);
  EXPECT_GE(count_under("/cases/KP09"), 3) << "cases that expect only warnings are accepted policies too";
  EXPECT_EQ(count_under("/cases/KP0311"), 1) << "writable and executable where asked: the kernel accepts it";
  EXPECT_EQ(count_under("/cases/valid-vmm-ram"), 1) << "a VMM that maps its guests' RAM: pages in two partitions";
  EXPECT_EQ(count_under("/cases/KP01"), 0) << "cases that expect errors are not";
}

TEST(KernelAcceptsGenerated, SystemsUpToTheKernelLimits) {
  Scratch_directory scratch;
  for (const unsigned size : {1u, 64u, 255u}) {
    SCOPED_TRACE(size);
    const auto path = scratch.path() / ("generated-" + std::to_string(size) + ".capnp");
    write_file(path, generate_policy(size));
    const auto result = compile_policy(path.string(), {});
    ASSERT_TRUE(result.ok()) << diagnostics_text(result.diagnostics);
    expect_kernel_accepts(result.boot_info);
  }
}
