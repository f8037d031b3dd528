// SPDX-License-Identifier: Apache-2.0
// Source map tests: locating values in Cap'n Proto text and JSON.
#include <gtest/gtest.h>

#include <kestrel/policy/source_map.hpp>

using namespace kestrel::policy;

TEST(SourceFile, LocatesLinesAndColumns) {
  const Source_file file{"p.capnp", "ab\ncd\n\nef"};
  EXPECT_EQ(file.locate(0).line, 1u);
  EXPECT_EQ(file.locate(1).column, 2u);
  EXPECT_EQ(file.locate(3).line, 2u);
  EXPECT_EQ(file.locate(3).column, 1u);
  EXPECT_EQ(file.locate(7).line, 4u);
}

TEST(CapnpScan, FindsFieldsListsAndNestedValues) {
  const std::string text = R"capnp(@0x1;
# const system :S = (not = "this");
const other :S = (name = "x");
const system :S = (
  name = "a,b)",  # a string with separators in it
  items = [(size = 0x1000), (size = -1)],
  nested = (deep = Ns.value),
);)capnp";
  uint32_t const_offset = 0;
  const auto root = scan_capnp_constant(text, "system", const_offset);
  ASSERT_TRUE(root.has_value());
  const Source_file file{"p.capnp", text};
  EXPECT_EQ(file.locate(const_offset).line, 4u);
  const Source_ref ref{&file, &*root, const_offset};
  EXPECT_EQ(ref.at("name").line, 5u);
  EXPECT_EQ(ref.at("name").column, 10u);
  EXPECT_EQ(ref.key_at("name").column, 3u);
  EXPECT_EQ(ref.field("items").item(1).at("size").line, 6u);
  EXPECT_EQ(ref.field("items").item(1).at("size").column, 37u);
  EXPECT_EQ(ref.field("nested").at("deep").column, 20u);
}

TEST(CapnpScan, MissingPiecesFallBackToTheEnclosingValue) {
  const std::string text = "const system :S = (a = (b = 1));";
  uint32_t const_offset = 0;
  const auto root = scan_capnp_constant(text, "system", const_offset);
  ASSERT_TRUE(root.has_value());
  const Source_file file{"p.capnp", text};
  const Source_ref ref{&file, &*root, const_offset};
  EXPECT_EQ(ref.field("a").at("missing").column, 24u) << "falls back to the value of a";
  EXPECT_EQ(ref.field("nope").item(3).at("x").column, 19u) << "falls back to the constant's value";
  EXPECT_FALSE(scan_capnp_constant(text, "absent", const_offset).has_value());
}

TEST(CapnpScan, SurvivesUnbalancedText) {
  for (const std::string text : {"const system :S = (a = [1, 2", "const system :S = (", "const system",
                                 "const system :S = ((((", "const system :S = (a = \"unterminated"}) {
    uint32_t const_offset = 0;
    (void)scan_capnp_constant(text, "system", const_offset);  // must not crash or hang
  }
}

TEST(JsonScan, LocatesKeysAndValues) {
  const std::string text = "{\n  \"name\": \"x\",\n  \"list\": [ {\"size\": 4096} ]\n}";
  const auto scan = scan_json(text);
  ASSERT_FALSE(scan.error.has_value());
  const Source_file file{"p.json", text};
  const Source_ref ref{&file, &*scan.root, 0};
  EXPECT_EQ(ref.at("name").line, 2u);
  EXPECT_EQ(ref.at("name").column, 11u);
  EXPECT_EQ(ref.key_at("name").column, 3u);
  EXPECT_EQ(ref.field("list").item(0).at("size").column, 22u);
}

TEST(JsonScan, ReportsSyntaxErrorsWithTheirOffset) {
  struct Bad {
    std::string text;
    uint32_t offset;
  };
  for (const auto& bad : {Bad{"{\"a\": 1,}", 8}, Bad{"{\"a\" 1}", 5}, Bad{"[1, 2", 5}, Bad{"{} x", 3},
                          Bad{"{\"a\": tru}", 6}, Bad{"", 0}, Bad{"{\"a\": \"x\\q\"}", 8}}) {
    const auto scan = scan_json(bad.text);
    ASSERT_TRUE(scan.error.has_value()) << bad.text;
    EXPECT_EQ(scan.error->offset, bad.offset) << bad.text << ": " << scan.error->message;
  }
}
