// SPDX-License-Identifier: Apache-2.0
// SHA-512 tests: NIST vectors, streaming at every split, OpenSSL as oracle, hex.
#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <kestrel/sha512.hpp>

namespace {

std::string hex_of(const kestrel::Sha512_digest& digest) {
  char text[kestrel::sha512_hex_buffer_size];
  return kestrel::format_hex(digest, text);
}

std::string sha512_hex(std::string_view message) { return hex_of(kestrel::sha512(message.data(), message.size())); }

kestrel::Sha512_digest openssl_sha512(const std::vector<uint8_t>& bytes) {
  kestrel::Sha512_digest digest{};
  SHA512(bytes.data(), bytes.size(), digest.bytes);
  return digest;
}

std::vector<uint8_t> pseudo_random_bytes(size_t count) {
  std::vector<uint8_t> bytes(count);
  uint32_t state = 512;
  for (auto& byte : bytes) {
    state = state * 1'103'515'245U + 12'345U;
    byte = static_cast<uint8_t>(state >> 16);
  }
  return bytes;
}

}  // namespace

// The examples of FIPS 180-4 (NIST's "SHA512.pdf"): one block, two blocks,
// and the empty message.
TEST(Sha512, NistVectors) {
  constexpr char empty[] =
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81"
      "a5"
      "38327af927da3e";
  EXPECT_EQ(sha512_hex(""), empty);
  EXPECT_EQ(hex_of(kestrel::sha512(nullptr, 0)), empty);
  EXPECT_EQ(
      sha512_hex("abc"),
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643c"
      "e80e2a9ac94fa54ca49f");
  EXPECT_EQ(
      sha512_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
      "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71d"
      "d70354ec631238ca3445");
  EXPECT_EQ(
      sha512_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
                 "mnopqrstnopqrstu"),
      "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd2654"
      "5e"
      "96e55b874be909");
}

TEST(Sha512, OneMillionA) {
  constexpr char expected[] =
      "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e"
      "4e"
      "adb217ad8cc09b";
  const std::string million(1'000'000, 'a');
  EXPECT_EQ(sha512_hex(million), expected);

  // In 1000 pieces of 1000 bytes, which are never block-aligned after the
  // first, so most of the message passes through the partial-block path.
  kestrel::Sha512 hasher;
  for (size_t offset = 0; offset < million.size(); offset += 1000) hasher.update(million.data() + offset, 1000);
  EXPECT_EQ(hex_of(hasher.finish()), expected);
}

TEST(Sha512, IncrementalEqualsOneShotAtEverySplit) {
  const auto bytes = pseudo_random_bytes(300);
  const auto one_shot = kestrel::sha512(bytes.data(), bytes.size());
  for (size_t split = 0; split <= bytes.size(); ++split) {
    kestrel::Sha512 hasher;
    hasher.update(bytes.data(), split);
    hasher.update(bytes.data() + split, bytes.size() - split);
    EXPECT_EQ(hasher.finish(), one_shot) << "split at " << split;
  }

  kestrel::Sha512 byte_by_byte;
  for (const uint8_t byte : bytes) byte_by_byte.update(&byte, 1);
  EXPECT_EQ(byte_by_byte.finish(), one_shot);
}

// Every padding case: lengths around 111/112 (the 16-byte length field just
// fits or spills into an extra block), 128 and 256.
TEST(Sha512, EveryLengthUpTo300MatchesOpenSsl) {
  const auto bytes = pseudo_random_bytes(300);
  for (size_t size = 0; size <= bytes.size(); ++size) {
    const std::vector<uint8_t> message(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(size));
    EXPECT_EQ(hex_of(kestrel::sha512(message.data(), message.size())), hex_of(openssl_sha512(message)))
        << size << " bytes";
  }
}

// Input at every alignment: the block loads must not depend on it.
TEST(Sha512, UnalignedInputMatchesOpenSsl) {
  const auto bytes = pseudo_random_bytes(300);
  for (size_t start = 1; start < 16; ++start) {
    const std::vector<uint8_t> message(bytes.begin() + static_cast<std::ptrdiff_t>(start), bytes.end());
    EXPECT_EQ(kestrel::sha512(bytes.data() + start, bytes.size() - start), openssl_sha512(message))
        << "starting at byte " << start;
  }
}

TEST(Sha512, FinishResetsForTheNextMessage) {
  kestrel::Sha512 hasher;
  hasher.update("abc", 3);
  const auto first = hasher.finish();
  hasher.update("abc", 3);
  EXPECT_EQ(hasher.finish(), first);
  EXPECT_EQ(hex_of(hasher.finish()), sha512_hex("")) << "finish with nothing since is the empty message";
}

TEST(Sha512, ResetDiscardsAMessageInProgress) {
  const auto bytes = pseudo_random_bytes(200);
  kestrel::Sha512 hasher;
  hasher.update(bytes.data(), bytes.size());
  hasher.reset();
  hasher.update("abc", 3);
  EXPECT_EQ(hex_of(hasher.finish()), sha512_hex("abc"));
}

TEST(Sha512, DigestEquality) {
  const auto abc = kestrel::sha512("abc", 3);
  auto changed = abc;
  EXPECT_TRUE(abc == changed);
  changed.bytes[63] ^= 0x01;
  EXPECT_FALSE(abc == changed);
  changed = abc;
  changed.bytes[0] ^= 0x80;
  EXPECT_NE(abc, changed);
}

TEST(Sha512, FormatHexIsLowercaseAndTerminated) {
  kestrel::Sha512_digest digest{};
  for (size_t i = 0; i < sizeof(digest.bytes); ++i) digest.bytes[i] = static_cast<uint8_t>(i * 4 + 3);
  char text[kestrel::sha512_hex_buffer_size];
  for (char& c : text) c = 'X';
  const char* returned = kestrel::format_hex(digest, text);
  EXPECT_EQ(returned, text);
  EXPECT_EQ(text[128], '\0');
  EXPECT_EQ(std::string(text).substr(0, 16), "03070b0f13171b1f");
  EXPECT_EQ(std::string(text).substr(112), "e3e7ebeff3f7fbff");

  const kestrel::Sha512_digest zeros{};
  EXPECT_EQ(hex_of(zeros), std::string(128, '0'));
}
