// SPDX-License-Identifier: Apache-2.0
// Message bytes tests: text packed into message words as the console
// protocol carries it (runtime/include/kestrel/message_bytes.hpp), on the host.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>

#include <kestrel/message_bytes.hpp>

TEST(MessageBytes, LittleEndianInWords) {
  uint64_t words[3] = {~uint64_t{0}, ~uint64_t{0}, ~uint64_t{0}};
  kestrel::pack_bytes(words, "hello, world", 12);
  EXPECT_EQ(words[0], 0x77202c6f6c6c6568u) << "\"hello, w\", byte 0 lowest";
  EXPECT_EQ(words[1], 0x00000000646c726fu) << "\"orld\", the rest of the word 0";
  EXPECT_EQ(words[2], ~uint64_t{0}) << "only words_for_bytes(12) = 2 words written";
  // On a little-endian host the words are the bytes.
  EXPECT_EQ(std::memcmp(words, "hello, world", 12), 0);
}

TEST(MessageBytes, RoundTrip) {
  std::string text;
  for (int i = 0; i < 504; ++i) text.push_back(static_cast<char>(i * 7 + 1));
  for (size_t n : {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{9}, size_t{31}, size_t{504}}) {
    uint64_t words[63];
    kestrel::pack_bytes(words, text.data(), n);
    std::string back(n, '\0');
    kestrel::unpack_bytes(words, back.data(), n);
    EXPECT_EQ(back, text.substr(0, n));
    EXPECT_EQ(kestrel::words_for_bytes(n), (n + 7) / 8);
  }
  EXPECT_EQ(kestrel::words_for_bytes(504), 63u) << "a whole console write fits after its count";
}
