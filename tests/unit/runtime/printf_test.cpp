// SPDX-License-Identifier: Apache-2.0
// Printf tests: the runtime's freestanding formatter (runtime/include/kestrel/
// printf.hpp) against the host's snprintf, on the host.
#include <gtest/gtest.h>

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>

#include <kestrel/printf.hpp>

namespace {

// A trailing 0 after the arguments, which no format uses: a call with a
// format that is not a literal and no arguments is a -Wformat-security error.
template <typename... Args>
std::string ours(const char* format, Args... args) {
  char buffer[512];
  const size_t total = kestrel::snformat(buffer, sizeof buffer, format, args..., 0);
  EXPECT_EQ(total, std::string(buffer).size()) << format;
  return buffer;
}

// The same text and count as the C library.
template <typename... Args>
void like_libc(const char* format, Args... args) {
  char theirs[512];
  const int count = std::snprintf(theirs, sizeof theirs, format, args..., 0);
  char mine[512];
  const size_t total = kestrel::snformat(mine, sizeof mine, format, args..., 0);
  EXPECT_STREQ(mine, theirs) << "format \"" << format << "\"";
  EXPECT_EQ(total, static_cast<size_t>(count)) << "format \"" << format << "\"";
}

}  // namespace

TEST(Printf, PlainTextAndPercent) {
  like_libc("hello");
  like_libc("100%% sure");
  like_libc("");
}

TEST(Printf, Signed) {
  for (const int value :
       {0, 1, -1, 42, -42, 123456789, std::numeric_limits<int>::max(), std::numeric_limits<int>::min()}) {
    for (const char* format : {"%d", "%i", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%8.3d", "%-8.3d|", "%.0d",
                               "%+05d", "%- 6d|", "%*d", "%-*d|"}) {
      if (std::string(format).find('*') != std::string::npos) {
        like_libc(format, 7, value);
        like_libc(format, -7, value);
      } else {
        like_libc(format, value);
      }
    }
  }
  for (const long value : {0L, -5L, std::numeric_limits<long>::max(), std::numeric_limits<long>::min()}) {
    like_libc("%ld", value);
    like_libc("%20ld", value);
    like_libc("%lld", static_cast<long long>(value));
    like_libc("%021lld", static_cast<long long>(value));
  }
  like_libc("%hd %hhd", 70000, 300);
  like_libc("%hd %hhd", -1, -129);
  like_libc("%zd %td %jd", static_cast<ssize_t>(-3), static_cast<ptrdiff_t>(-4), static_cast<intmax_t>(-5));
}

TEST(Printf, Unsigned) {
  for (const unsigned value : {0u, 1u, 9u, 10u, 255u, 0xdeadbeefu, std::numeric_limits<unsigned>::max()}) {
    for (const char* format : {"%u", "%x", "%X", "%o", "%08x", "%8x", "%-8x|", "%#x", "%#X", "%#o", "%#10x", "%#010x",
                               "%.5x", "%#.5x", "%.0x", "%#.0o", "%08.3u", "%-#12o|"}) {
      like_libc(format, value);
    }
  }
  for (const unsigned long value : {0UL, 0x123456789abcdefUL, std::numeric_limits<unsigned long>::max()}) {
    like_libc("%lx", value);
    like_libc("%016lx", value);
    like_libc("%lu", value);
    like_libc("%llu", static_cast<unsigned long long>(value));
    like_libc("%llx|%llX|%llo", static_cast<unsigned long long>(value), static_cast<unsigned long long>(value),
              static_cast<unsigned long long>(value));
    like_libc("%zu %zx", static_cast<size_t>(value), static_cast<size_t>(value));
  }
  like_libc("%hx %hhx %hu %hhu", 0x12345u, 0x1ffu, 70000u, 257u);
}

TEST(Printf, TextAndCharacters) {
  like_libc("%s", "kestrel");
  like_libc("[%10s]", "right");
  like_libc("[%-10s]", "left");
  like_libc("[%.3s]", "truncated");
  like_libc("[%8.2s]", "ab-cd");
  like_libc("[%.*s]", 4, "precision from the argument");
  like_libc("[%.*s]", -1, "a negative precision is none");
  like_libc("%c%c%c", 'a', 'b', 'c');
  like_libc("[%3c][%-3c]", 'x', 'y');
  like_libc("%s=%d (%s)", "count", 3, "");
}

TEST(Printf, Differences) {
  // %p: "0x" and 16 digits, whatever the pointer.
  EXPECT_EQ(ours("%p", reinterpret_cast<const void*>(0x400010)), "0x0000000000400010");
  EXPECT_EQ(ours("%p", static_cast<const void*>(nullptr)), "0x0000000000000000");
  EXPECT_EQ(ours("[%20p]", reinterpret_cast<const void*>(0xff)), "[  0x00000000000000ff]");
  EXPECT_EQ(ours("[%-20p]", reinterpret_cast<const void*>(0xff)), "[0x00000000000000ff  ]");
  // %s of a null pointer.
  EXPECT_EQ(ours("%s", static_cast<const char*>(nullptr)), "(null)");
}

TEST(Printf, UnknownConversionsPrintThemselves) {
  // Built at run time, so that the compiler's format check lets them through.
  std::string format = "a %q b";
  EXPECT_EQ(ours(format.c_str()), "a %q b");
  format = "%-5y|%d";
  EXPECT_EQ(ours(format.c_str(), 3), "%-5y|3") << "an unknown conversion takes no argument";
  format = "ends with %";
  EXPECT_EQ(ours(format.c_str()), "ends with %");
  format = "ends with %08";
  EXPECT_EQ(ours(format.c_str()), "ends with %08");
}

TEST(Printf, CutsLikeSnprintf) {
  char buffer[8];
  EXPECT_EQ(kestrel::snformat(buffer, sizeof buffer, "%s", "0123456789"), 10u);
  EXPECT_STREQ(buffer, "0123456");
  EXPECT_EQ(kestrel::snformat(buffer, 1, "%d", 12345), 5u);
  EXPECT_STREQ(buffer, "");
  EXPECT_EQ(kestrel::snformat(nullptr, 0, "%d", 12345), 5u) << "size 0 writes nothing";
}

TEST(Printf, SinkSeesEveryCharacter) {
  std::string collected;
  auto put = [&](char c) { collected.push_back(c); };
  auto format = [&](const char* text, ...) {
    __builtin_va_list arguments;
    __builtin_va_start(arguments, text);
    const size_t count = kestrel::vformat(put, text, arguments);
    __builtin_va_end(arguments);
    return count;
  };
  EXPECT_EQ(format("%c|%s|%d", 0, "x", 7), 5u);
  EXPECT_EQ(collected, std::string("\0|x|7", 5)) << "%c of 0 puts a NUL";
}
