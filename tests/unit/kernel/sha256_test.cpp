// SPDX-License-Identifier: Apache-2.0
// SHA-256 tests: NIST vectors, streaming at every split, OpenSSL as oracle, hex, the block-function seam.
#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <kestrel/sha256.hpp>
#include <sha256_vectors.hpp>

namespace {

std::string hex_of(const kestrel::Sha256_digest& digest) {
  char text[kestrel::sha256_hex_buffer_size];
  return kestrel::format_hex(digest, text);
}

std::string sha256_hex(std::string_view message) { return hex_of(kestrel::sha256(message.data(), message.size())); }

kestrel::Sha256_digest openssl_sha256(const std::vector<uint8_t>& bytes) {
  kestrel::Sha256_digest digest{};
  SHA256(bytes.data(), bytes.size(), digest.bytes);
  return digest;
}

std::vector<uint8_t> pseudo_random_bytes(size_t count) {
  std::vector<uint8_t> bytes(count);
  uint32_t state = 2024;
  for (auto& byte : bytes) {
    state = state * 1'103'515'245U + 12'345U;
    byte = static_cast<uint8_t>(state >> 16);
  }
  return bytes;
}

}  // namespace

// The vectors the in-kernel tests also run, on the target, through the
// portable code and the SHA-2 instructions (tests/target/kernel/sha256_tests.cpp).
TEST(Sha256, SharedVectors) {
  for (const auto& vector : kestrel::test_vectors::sha256_vectors) {
    ASSERT_EQ(std::strlen(vector.piece), vector.piece_size) << vector.digest;
    kestrel::Sha256 hasher;
    for (size_t i = 0; i < vector.repeat; ++i) hasher.update(vector.piece, vector.piece_size);
    EXPECT_EQ(hex_of(hasher.finish()), vector.digest);
  }
  EXPECT_EQ(hex_of(kestrel::sha256(nullptr, 0)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const std::string million(1'000'000, 'a');
  EXPECT_EQ(sha256_hex(million), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Whole blocks reach the block function in use in one call (so a block
// function that saves the SIMD registers does so once per update), and
// the function that use_sha256_blocks installs is the one called.
namespace {
std::vector<size_t> block_counts_seen;
void counting_blocks(uint32_t (&state)[8], const uint8_t* blocks, size_t count) {
  block_counts_seen.push_back(count);
  kestrel::sha256_blocks_portable(state, blocks, count);
}
}  // namespace

TEST(Sha256, WholeBlocksGoToTheBlockFunctionInUseInOneCall) {
  const auto bytes = pseudo_random_bytes(1000);
  const auto expected = openssl_sha256(bytes);
  block_counts_seen.clear();
  kestrel::use_sha256_blocks(counting_blocks);
  kestrel::Sha256 hasher;
  hasher.update(bytes.data(), 10);        // buffered
  hasher.update(bytes.data() + 10, 990);  // fills the buffer (1 block), then 14 whole blocks, 40 bytes left
  const auto digest = hasher.finish();    // one block of padding
  kestrel::use_sha256_blocks(kestrel::sha256_blocks_portable);
  EXPECT_EQ(digest, expected);
  EXPECT_EQ(block_counts_seen, (std::vector<size_t>{1, 14, 1}));
}

TEST(Sha256, IncrementalEqualsOneShotAtEverySplit) {
  const auto bytes = pseudo_random_bytes(200);
  const auto one_shot = kestrel::sha256(bytes.data(), bytes.size());
  for (size_t split = 0; split <= bytes.size(); ++split) {
    kestrel::Sha256 hasher;
    hasher.update(bytes.data(), split);
    hasher.update(bytes.data() + split, bytes.size() - split);
    EXPECT_EQ(hasher.finish(), one_shot) << "split at " << split;
  }

  kestrel::Sha256 byte_by_byte;
  for (const uint8_t byte : bytes) byte_by_byte.update(&byte, 1);
  EXPECT_EQ(byte_by_byte.finish(), one_shot);
}

// Every padding case: lengths around 55/56 (length field just fits or
// spills into an extra block), 64 and their multiples.
TEST(Sha256, EveryLengthUpTo300MatchesOpenSsl) {
  const auto bytes = pseudo_random_bytes(300);
  for (size_t size = 0; size <= bytes.size(); ++size) {
    const std::vector<uint8_t> message(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(size));
    EXPECT_EQ(hex_of(kestrel::sha256(message.data(), message.size())), hex_of(openssl_sha256(message)))
        << size << " bytes";
  }
}

// Input at every alignment: the block loads must not depend on it.
TEST(Sha256, UnalignedInputMatchesOpenSsl) {
  const auto bytes = pseudo_random_bytes(300);
  for (size_t start = 1; start < 8; ++start) {
    const std::vector<uint8_t> message(bytes.begin() + static_cast<std::ptrdiff_t>(start), bytes.end());
    EXPECT_EQ(kestrel::sha256(bytes.data() + start, bytes.size() - start), openssl_sha256(message))
        << "starting at byte " << start;
  }
}

TEST(Sha256, FinishResetsForTheNextMessage) {
  kestrel::Sha256 hasher;
  hasher.update("abc", 3);
  const auto first = hasher.finish();
  hasher.update("abc", 3);
  EXPECT_EQ(hasher.finish(), first);
  EXPECT_EQ(hex_of(hasher.finish()), sha256_hex("")) << "finish with nothing since is the empty message";
}

TEST(Sha256, ResetDiscardsAMessageInProgress) {
  const auto bytes = pseudo_random_bytes(100);
  kestrel::Sha256 hasher;
  hasher.update(bytes.data(), bytes.size());
  hasher.reset();
  hasher.update("abc", 3);
  EXPECT_EQ(hex_of(hasher.finish()), sha256_hex("abc"));
}

TEST(Sha256, DigestEquality) {
  const auto abc = kestrel::sha256("abc", 3);
  auto changed = abc;
  EXPECT_TRUE(abc == changed);
  changed.bytes[31] ^= 0x01;
  EXPECT_FALSE(abc == changed);
  EXPECT_TRUE(abc != changed);
  changed = abc;
  changed.bytes[0] ^= 0x80;
  EXPECT_NE(abc, changed);
}

TEST(Sha256, FormatHexIsLowercaseAndTerminated) {
  kestrel::Sha256_digest digest{};
  for (size_t i = 0; i < sizeof(digest.bytes); ++i) digest.bytes[i] = static_cast<uint8_t>(i * 8 + 7);
  char text[kestrel::sha256_hex_buffer_size];
  for (char& c : text) c = 'X';
  const char* returned = kestrel::format_hex(digest, text);
  EXPECT_EQ(returned, text);
  EXPECT_EQ(text[64], '\0');
  EXPECT_EQ(std::string(text), "070f171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff");

  const kestrel::Sha256_digest zeros{};
  EXPECT_EQ(hex_of(zeros), std::string(64, '0'));
}
