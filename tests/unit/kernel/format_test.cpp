// SPDX-License-Identifier: Apache-2.0
// Format tests: the kernel log formatter, on the host.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include <kestrel/format.hpp>

namespace {

template <typename... Args>
std::string formatted(const char* format, Args... args) {
  char buffer[256];
  kestrel::Buffer_sink sink{buffer, sizeof buffer};
  kestrel::format_to(sink, format, args...);
  return buffer;
}

}  // namespace

TEST(Format, PlainText) { EXPECT_EQ(formatted("hello"), "hello"); }

TEST(Format, Decimal) {
  EXPECT_EQ(formatted("{} CPUs", 4u), "4 CPUs");
  EXPECT_EQ(formatted("{}", 0), "0");
  EXPECT_EQ(formatted("{}", -17), "-17");
  EXPECT_EQ(formatted("{}", std::numeric_limits<uint64_t>::max()), "18446744073709551615");
  EXPECT_EQ(formatted("{}", std::numeric_limits<int64_t>::min()), "-9223372036854775808");
}

TEST(Format, Hexadecimal) {
  EXPECT_EQ(formatted("{:x}", 255u), "ff");
  EXPECT_EQ(formatted("{:#x}", 0x5600'0000u), "0x56000000");
  EXPECT_EQ(formatted("{:#016x}", 0x4008'0000u), "0x0000000040080000");
  EXPECT_EQ(formatted("{:04x}", 0xabcdefu), "abcdef") << "width is a minimum";
  EXPECT_EQ(formatted("{:x}", -1), "ffffffffffffffff") << "signed values print as two's complement";
}

TEST(Format, StringsAndBooleans) {
  EXPECT_EQ(formatted("{}-{}", "a", "b"), "a-b");
  EXPECT_EQ(formatted("{}", static_cast<const char*>(nullptr)), "(null)");
  EXPECT_EQ(formatted("{} {}", true, false), "true false");
}

TEST(Format, EscapedBraces) { EXPECT_EQ(formatted("{{}} {}", 1), "{} 1"); }

TEST(Format, MissingArgumentsAreMarkedAndSurplusIgnored) {
  EXPECT_EQ(formatted("{} {}", 1), "1 {?}");
  EXPECT_EQ(formatted("{}", 1, 2, 3), "1");
}

TEST(Format, UnclosedFieldPrintsLiterally) {
  EXPECT_EQ(formatted("value {", 1), "value {");
  EXPECT_EQ(formatted("{:#x", 1), "{:#x");
}

TEST(BufferSink, TruncatesAndTerminates) {
  char buffer[6];
  kestrel::Buffer_sink sink{buffer, sizeof buffer};
  kestrel::format_to(sink, "{} and more", 12345u);
  EXPECT_STREQ(buffer, "12345");
  EXPECT_TRUE(sink.truncated());
  EXPECT_EQ(sink.length(), 5u);
}

TEST(BufferSink, ZeroCapacityWritesNothing) {
  kestrel::Buffer_sink sink{nullptr, 0};
  kestrel::format_to(sink, "x");
  EXPECT_TRUE(sink.truncated());
  EXPECT_EQ(sink.length(), 0u);
}
