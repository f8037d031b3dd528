// SPDX-License-Identifier: Apache-2.0
// HMAC_DRBG tests: NIST CAVP known answers (SHA-256, no prediction
// resistance), and the properties the kernel relies on.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <kestrel/random.hpp>

namespace {

using kestrel::Hmac_drbg;
using kestrel::Span;
using Bytes = std::vector<uint8_t>;

Bytes from_hex(const std::string& text) {
  Bytes bytes;
  for (size_t i = 0; i + 1 < text.size(); i += 2)
    bytes.push_back(static_cast<uint8_t>(std::stoul(text.substr(i, 2), nullptr, 16)));
  return bytes;
}

Span<const uint8_t> span(const Bytes& bytes) { return {bytes.data(), bytes.size()}; }

Bytes generate(Hmac_drbg& drbg, size_t size, const Bytes& additional = {}) {
  Bytes output(size);
  drbg.generate({output.data(), output.size()}, span(additional));
  return output;
}

struct Known_answer {
  const char* entropy;
  const char* nonce;
  const char* personalization;
  const char* reseed_entropy;
  const char* reseed_additional;
  const char* additional_first;
  const char* additional_second;
  const char* returned;  // the second generate's 128 bytes
};

// HMAC_DRBG.rsp (CAVS 14.3, drbgvectors_pr_false), [SHA-256]: COUNT 0 of
// the group without personalization or additional input, and COUNT 0 of
// the group with both (256 bits each).
const Known_answer known_answers[] = {
    {"06032cd5eed33f39265f49ecb142c511da9aff2af71203bffaf34a9ca5bd9c0d", "0e66f71edc43e42a45ad3c6fc6cdc4df", "",
     "01920a4e669ed3a85ae8a33b35a74ad7fb2a6bb4cf395ce00334a9c9a5a5d552", "", "", "",
     "76fc79fe9b50beccc991a11b5635783a83536add03c157fb30645e611c2898bb2b1bc215000209208cd506cb28da2a51bdb03826aaf2bd2"
     "335d576d519160842e7158ad0949d1a9ec3e66ea1b1a064b005de914eac2e9d4f2d72a8616a80225422918250ff66a41bd2f864a6a38cc5"
     "b6499dc43f7f2bd09e1e0f8f5885935124"},
    {"cdb0d9117cc6dbc9ef9dcb06a97579841d72dc18b2d46a1cb61e314012bdf416", "d0c0d01d156016d0eb6b7e9c7c3c8da8",
     "6f0fb9eab3f9ea7ab0a719bfa879bf0aaed683307fda0c6d73ce018b6e34faaa",
     "8ec6f7d5a8e2e88f43986f70b86e050d07c84b931bcf18e601c5a3eee3064c82",
     "1ab4ca9014fa98a55938316de8ba5a68c629b0741bdd058c4d70c91cda5099b3",
     "16e2d0721b58d839a122852abd3bf2c942a31c84d82fca74211871880d7162ff",
     "53686f042a7b087d5d2eca0d2a96de131f275ed7151189f7ca52deaa78b79fb2",
     "dda04a2ca7b8147af1548f5d086591ca4fd951a345ce52b3cd49d47e84aa31a183e31fbc42a1ff1d95afec7143c8008c97bc2a9c091df0a7"
     "63848391f68cb4a366ad89857ac725a53b303ddea767be8dc5f605b1b95f6d24c9f06be65a973a089320b3cc42569dcfd4b92b62a993785b"
     "0301b3fc452445656fce22664827b88f"},
};

Hmac_drbg instantiated(const std::string& entropy = std::string(64, 'a')) {
  Hmac_drbg drbg;
  const Bytes seed = from_hex(entropy);
  const Bytes nonce = from_hex("0102030405060708");
  drbg.instantiate(span(seed), span(nonce));
  return drbg;
}

}  // namespace

TEST(HmacDrbg, MatchesNistKnownAnswers) {
  for (const Known_answer& answer : known_answers) {
    Hmac_drbg drbg;
    EXPECT_FALSE(drbg.instantiated());
    const Bytes entropy = from_hex(answer.entropy);
    const Bytes nonce = from_hex(answer.nonce);
    const Bytes personalization = from_hex(answer.personalization);
    drbg.instantiate(span(entropy), span(nonce), span(personalization));
    EXPECT_TRUE(drbg.instantiated());
    const Bytes reseed_entropy = from_hex(answer.reseed_entropy);
    const Bytes reseed_additional = from_hex(answer.reseed_additional);
    drbg.reseed(span(reseed_entropy), span(reseed_additional));
    (void)generate(drbg, 128, from_hex(answer.additional_first));  // DRBGVS discards the first
    EXPECT_EQ(generate(drbg, 128, from_hex(answer.additional_second)), from_hex(answer.returned)) << answer.entropy;
  }
}

TEST(HmacDrbg, NeverRepeatsAnOutput) {
  Hmac_drbg drbg = instantiated();
  std::set<Bytes> seen;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.insert(generate(drbg, 8)).second) << "output " << i;
}

TEST(HmacDrbg, SplitRequestsGiveOtherBytesThanOneRequest) {
  // Each request moves the state on (forward secrecy), so two requests of
  // 32 bytes are not one request of 64 cut in two.
  Hmac_drbg whole = instantiated();
  Hmac_drbg split = instantiated();
  const Bytes one = generate(whole, 64);
  Bytes two = generate(split, 32);
  const Bytes second = generate(split, 32);
  EXPECT_EQ(Bytes(one.begin(), one.begin() + 32), two) << "the first block is the same";
  two.insert(two.end(), second.begin(), second.end());
  EXPECT_NE(one, two);
}

TEST(HmacDrbg, SameSeedSameBytesOtherSeedOtherBytes) {
  Hmac_drbg first = instantiated();
  Hmac_drbg again = instantiated();
  Hmac_drbg other = instantiated(std::string(63, 'a') + "b");
  const Bytes bytes = generate(first, 64);
  EXPECT_EQ(generate(again, 64), bytes);
  EXPECT_NE(generate(other, 64), bytes);
}

TEST(HmacDrbg, ReseedAndAdditionalInputChangeTheOutput) {
  Hmac_drbg plain = instantiated();
  Hmac_drbg reseeded = instantiated();
  Hmac_drbg with_input = instantiated();
  const Bytes fresh = from_hex("00112233445566778899aabbccddeeff");
  reseeded.reseed(span(fresh));
  const Bytes bytes = generate(plain, 32);
  EXPECT_NE(generate(reseeded, 32), bytes);
  EXPECT_NE(generate(with_input, 32, fresh), bytes);
}

TEST(HmacDrbg, FillsOddSizesAndStopsAtTheLimit) {
  Hmac_drbg drbg = instantiated();
  Bytes odd(33, 0);
  drbg.generate({odd.data(), 31});
  EXPECT_NE(odd[30], 0) << "(1 in 256 that a random byte is 0: fixed seed, so it is not)";
  EXPECT_EQ(odd[31], 0);
  EXPECT_EQ(odd[32], 0);
  Bytes huge(Hmac_drbg::max_request_size + 16, 0);
  drbg.generate({huge.data(), huge.size()});
  EXPECT_EQ(Bytes(huge.end() - 16, huge.end()), Bytes(16, 0)) << "nothing past max_request_size";
}
