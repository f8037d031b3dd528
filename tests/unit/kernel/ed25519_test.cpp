// SPDX-License-Identifier: Apache-2.0
// Ed25519 verification tests: RFC 8032 vectors, messages signed by libsodium, and every way a signature must fail.
#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <kestrel/ed25519.hpp>
#include <kestrel/sha512.hpp>

namespace {

using Bytes = std::vector<uint8_t>;
using Public_key = std::array<uint8_t, crypto_sign_PUBLICKEYBYTES>;
using Signature = std::array<uint8_t, crypto_sign_BYTES>;
static_assert(sizeof(Public_key) == kestrel::ed25519_public_key_size);
static_assert(sizeof(Signature) == kestrel::ed25519_signature_size);

Bytes bytes_from_hex(std::string_view hex) {
  Bytes bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes.push_back(static_cast<uint8_t>(std::stoul(std::string(hex.substr(i, 2)), nullptr, 16)));
  return bytes;
}

template <size_t size>
std::array<uint8_t, size> array_from_hex(std::string_view hex) {
  const Bytes bytes = bytes_from_hex(hex);
  std::array<uint8_t, size> array{};
  EXPECT_EQ(bytes.size(), size) << hex;
  for (size_t i = 0; i < size && i < bytes.size(); ++i) array[i] = bytes[i];
  return array;
}

std::string hex_of(const uint8_t* bytes, size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  for (size_t i = 0; i < size; ++i) {
    hex += digits[bytes[i] >> 4];
    hex += digits[bytes[i] & 0xf];
  }
  return hex;
}

bool kestrel_verifies(const Public_key& public_key, const Bytes& message, const Signature& signature) {
  return kestrel::ed25519_verify(public_key.data(), message.data(), message.size(), signature.data());
}

bool libsodium_verifies(const Public_key& public_key, const Bytes& message, const Signature& signature) {
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), public_key.data()) == 0;
}

struct Signed_message {
  Public_key public_key;
  Bytes message;
  Signature signature;
};

// Key pairs and messages from a fixed-seed generator, so that every run
// checks the same signatures and a failure can be reproduced.
class Deterministic_signer {
 public:
  Deterministic_signer() { EXPECT_GE(sodium_init(), 0); }

  Signed_message sign_random_message(size_t message_size) {
    std::array<uint8_t, crypto_sign_SEEDBYTES> seed;
    for (auto& byte : seed) byte = next_byte();
    Signed_message signed_message{};
    std::array<uint8_t, crypto_sign_SECRETKEYBYTES> secret_key;
    EXPECT_EQ(crypto_sign_seed_keypair(signed_message.public_key.data(), secret_key.data(), seed.data()), 0);
    signed_message.message.resize(message_size);
    for (auto& byte : signed_message.message) byte = next_byte();
    EXPECT_EQ(crypto_sign_detached(signed_message.signature.data(), nullptr, signed_message.message.data(),
                                   signed_message.message.size(), secret_key.data()),
              0);
    return signed_message;
  }

 private:
  uint8_t next_byte() { return static_cast<uint8_t>(generator_() >> 56); }

  std::mt19937_64 generator_{20'250'101};
};

// RFC 8032 section 7.1: the secret seed, the public key, the message and the signature.
struct Rfc_vector {
  const char* secret_seed;
  const char* public_key;
  std::string message;
  const char* signature;
};

// Verifies the vector, and checks that the oracle the other tests rely on,
// libsodium, derives the same key from the seed and makes the same signature.
void expect_rfc_vector_verifies(const Rfc_vector& vector) {
  ASSERT_GE(sodium_init(), 0);
  const auto public_key = array_from_hex<32>(vector.public_key);
  const Bytes message = bytes_from_hex(vector.message);
  const auto signature = array_from_hex<64>(vector.signature);
  EXPECT_TRUE(kestrel_verifies(public_key, message, signature));

  const auto seed = array_from_hex<crypto_sign_SEEDBYTES>(vector.secret_seed);
  Public_key derived_public_key{};
  std::array<uint8_t, crypto_sign_SECRETKEYBYTES> secret_key{};
  ASSERT_EQ(crypto_sign_seed_keypair(derived_public_key.data(), secret_key.data(), seed.data()), 0);
  EXPECT_EQ(derived_public_key, public_key);
  Signature libsodium_signature{};
  ASSERT_EQ(
      crypto_sign_detached(libsodium_signature.data(), nullptr, message.data(), message.size(), secret_key.data()), 0);
  EXPECT_EQ(libsodium_signature, signature);
}

// L, the order of the base point, little-endian.
constexpr std::array<uint8_t, 32> group_order = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                                 0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                                 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};

// The eight points of small order ([8]P = 0), canonically encoded.
constexpr const char* small_order_points[] = {
    "0100000000000000000000000000000000000000000000000000000000000000",  // the identity
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // order 2
    "0000000000000000000000000000000000000000000000000000000000000000",  // order 4
    "0000000000000000000000000000000000000000000000000000000000000080",  // order 4
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",  // order 8
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",  // order 8
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",  // order 8
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",  // order 8
};

}  // namespace

TEST(Ed25519, Rfc8032Test1EmptyMessage) {
  expect_rfc_vector_verifies({"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                              "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
                              "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e3970"
                              "1cf9b46bd25bf5f0595bbe24655141438e7a100b"});
}

TEST(Ed25519, Rfc8032Test2) {
  expect_rfc_vector_verifies({"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                              "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
                              "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613"
                              "d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"});
}

TEST(Ed25519, Rfc8032Test3) {
  expect_rfc_vector_verifies({"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
                              "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
                              "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760"
                              "984dc6594a7c15e9716ed28dc027beceea1ec40a"});
}

TEST(Ed25519, Rfc8032Test1024) {
  const std::string message =
      "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1e355f6c5"
      "0544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d658675fc6ea534e0"
      "810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82"
      "d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e06203b33890cc9b832f79ef80560ccb9"
      "a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7aff6f6c9"
      "4fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed185ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5"
      "d0532ed8a5aa3fb2d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9aad6079cad88"
      "425de6bde1a9187ebb6092cf67bf2b13fd65f27088d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc"
      "2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b0707e0917af48bbb75fed413d238f5555a7a569d80"
      "c3414a8d0859dc65a46128bab27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51addd3b75a2b1ae078"
      "4504df543af8969be3ea7082ff7fc9888c144da2af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9"
      "b47acdb751fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd988d"
      "cda6f3bfd15c4b4c4525004aa06eeff8ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34dff7310fdc"
      "82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d78ff4ef5d63653a65040cf9bfd4aca7984a74d371459867"
      "80fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e488acba6b965610b5480109c8"
      "b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e"
      "6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5fb93246f6b1116398a346f1a641f3b041e989f791"
      "4f90cc2c7fff357876e506b50d334ba77c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45"
      "a96768d40fd9d03412c091c6315cf4fde7cb68606937380db2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac"
      "86aba41c0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0";
  ASSERT_EQ(message.size(), 2 * 1023);
  expect_rfc_vector_verifies({"f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
                              "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e", message,
                              "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23"
                              "c436d94b5e8fcd4f681e30a6ac00a9704a188a03"});
}

// The message is SHA-512("abc").
TEST(Ed25519, Rfc8032TestShaAbc) {
  const std::string message =
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e"
      "2a9ac94fa54ca49f";
  char sha512_of_abc[kestrel::sha512_hex_buffer_size];
  EXPECT_EQ(message, kestrel::format_hex(kestrel::sha512("abc", 3), sha512_of_abc));
  expect_rfc_vector_verifies({"833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
                              "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf", message,
                              "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c6"
                              "6431e0303dca179c138ac17ad9bef1177331a704"});
}

TEST(Ed25519, NullMessageOfSizeZero) {
  const auto public_key = array_from_hex<32>("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const auto signature = array_from_hex<64>(
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24"
      "65"
      "5141438e7a100b");
  EXPECT_TRUE(kestrel::ed25519_verify(public_key.data(), nullptr, 0, signature.data()));
}

TEST(Ed25519, TwoHundredLibsodiumSignaturesVerify) {
  Deterministic_signer signer;
  for (size_t i = 0; i < 200; ++i) {
    // Every length up to 64, then lengths up to a few kilobytes.
    const size_t message_size = i <= 64 ? i : (i * 97) % 4096;
    const auto signed_message = signer.sign_random_message(message_size);
    EXPECT_TRUE(kestrel_verifies(signed_message.public_key, signed_message.message, signed_message.signature))
        << "key " << hex_of(signed_message.public_key.data(), 32) << ", " << message_size << "-byte message";
  }
}

TEST(Ed25519, LongMessage) {
  Deterministic_signer signer;
  auto signed_message = signer.sign_random_message(1 << 20);
  EXPECT_TRUE(kestrel_verifies(signed_message.public_key, signed_message.message, signed_message.signature));
  signed_message.message.back() ^= 0x01;
  EXPECT_FALSE(kestrel_verifies(signed_message.public_key, signed_message.message, signed_message.signature));
}

// Any change to what was signed, to the signature or to the key must fail,
// and libsodium must agree on each one. Three samples, one test per part so
// that ctest can run them side by side.
constexpr size_t bit_flip_message_sizes[] = {0, 1, 33};

TEST(Ed25519, EverySingleBitFlipOfTheMessageFails) {
  Deterministic_signer signer;
  for (const size_t message_size : bit_flip_message_sizes) {
    const auto original = signer.sign_random_message(message_size);
    ASSERT_TRUE(kestrel_verifies(original.public_key, original.message, original.signature));
    for (size_t bit = 0; bit < 8 * message_size; ++bit) {
      auto message = original.message;
      message[bit / 8] ^= static_cast<uint8_t>(1U << (bit % 8));
      EXPECT_FALSE(kestrel_verifies(original.public_key, message, original.signature)) << "message bit " << bit;
      EXPECT_FALSE(libsodium_verifies(original.public_key, message, original.signature)) << "message bit " << bit;
    }
  }
}

TEST(Ed25519, EverySingleBitFlipOfTheSignatureFails) {
  Deterministic_signer signer;
  for (const size_t message_size : bit_flip_message_sizes) {
    const auto original = signer.sign_random_message(message_size);
    ASSERT_TRUE(kestrel_verifies(original.public_key, original.message, original.signature));
    for (size_t bit = 0; bit < 8 * original.signature.size(); ++bit) {
      auto signature = original.signature;
      signature[bit / 8] ^= static_cast<uint8_t>(1U << (bit % 8));
      EXPECT_FALSE(kestrel_verifies(original.public_key, original.message, signature)) << "signature bit " << bit;
      EXPECT_FALSE(libsodium_verifies(original.public_key, original.message, signature)) << "signature bit " << bit;
    }
  }
}

TEST(Ed25519, EverySingleBitFlipOfThePublicKeyFails) {
  Deterministic_signer signer;
  for (const size_t message_size : bit_flip_message_sizes) {
    const auto original = signer.sign_random_message(message_size);
    ASSERT_TRUE(kestrel_verifies(original.public_key, original.message, original.signature));
    for (size_t bit = 0; bit < 8 * original.public_key.size(); ++bit) {
      auto public_key = original.public_key;
      public_key[bit / 8] ^= static_cast<uint8_t>(1U << (bit % 8));
      EXPECT_FALSE(kestrel_verifies(public_key, original.message, original.signature)) << "key bit " << bit;
      EXPECT_FALSE(libsodium_verifies(public_key, original.message, original.signature)) << "key bit " << bit;
    }
  }
}

// S + L satisfies the verification equation as well as S does ([L]B = 0), so
// only the range check stops anyone from making a second valid signature.
TEST(Ed25519, RejectsSAtOrAboveTheGroupOrder) {
  Deterministic_signer signer;
  const auto original = signer.sign_random_message(32);
  ASSERT_TRUE(kestrel_verifies(original.public_key, original.message, original.signature));

  auto s_plus_l = original.signature;
  unsigned carry = 0;
  for (size_t i = 0; i < 32; ++i) {
    carry += s_plus_l[32 + i] + group_order[i];
    s_plus_l[32 + i] = static_cast<uint8_t>(carry);
    carry >>= 8;
  }
  ASSERT_EQ(carry, 0U) << "S + L < 2^256 since S < L < 2^253";
  EXPECT_FALSE(kestrel_verifies(original.public_key, original.message, s_plus_l));
  EXPECT_FALSE(libsodium_verifies(original.public_key, original.message, s_plus_l));

  auto s_is_l = original.signature;
  for (size_t i = 0; i < 32; ++i) s_is_l[32 + i] = group_order[i];
  EXPECT_FALSE(kestrel_verifies(original.public_key, original.message, s_is_l));

  auto s_all_ones = original.signature;
  for (size_t i = 32; i < 64; ++i) s_all_ones[i] = 0xff;
  EXPECT_FALSE(kestrel_verifies(original.public_key, original.message, s_all_ones));
}

// y + p for y in 0..18: the second, non-canonical encoding of those y (with
// either sign bit). Most of them would decode to ordinary points of large
// order if the decoder reduced y mod p instead of refusing.
TEST(Ed25519, RejectsNonCanonicalEncodings) {
  Deterministic_signer signer;
  const auto original = signer.sign_random_message(32);
  for (uint8_t y = 0; y <= 18; ++y) {
    for (const unsigned sign : {0x00U, 0x80U}) {
      Public_key encoding{};
      encoding.fill(0xff);
      encoding[0] = static_cast<uint8_t>(0xed + y);  // p = 2^255 - 19 ends in ...ffed
      encoding[31] = static_cast<uint8_t>(0x7f | sign);
      EXPECT_FALSE(kestrel_verifies(encoding, original.message, original.signature)) << "key y = p + " << int{y};
      EXPECT_FALSE(libsodium_verifies(encoding, original.message, original.signature)) << "key y = p + " << int{y};

      auto signature = original.signature;
      for (size_t i = 0; i < 32; ++i) signature[i] = encoding[i];
      EXPECT_FALSE(kestrel_verifies(original.public_key, original.message, signature)) << "R y = p + " << int{y};
    }
  }
}

TEST(Ed25519, RejectsAllZeroKeyAndSignature) {
  Deterministic_signer signer;
  const Public_key zero_key{};
  const Signature zero_signature{};
  // Without the small-order checks, a quarter of these messages would
  // "verify" under the all-zero key and signature (the zero encoding is a
  // point of order 4, and S = 0 leaves only [k]A to match R).
  for (size_t size = 0; size < 64; ++size) {
    const auto signed_message = signer.sign_random_message(size);
    EXPECT_FALSE(kestrel_verifies(zero_key, signed_message.message, zero_signature)) << size << " bytes";
    EXPECT_FALSE(kestrel_verifies(zero_key, signed_message.message, signed_message.signature)) << size << " bytes";
    EXPECT_FALSE(kestrel_verifies(signed_message.public_key, signed_message.message, zero_signature))
        << size << " bytes";
  }
}

// Forgeries with a small-order key: R and [k]A both lie in the group of
// eight, so with S = 0 about one R in eight satisfies the cofactorless
// equation. Each must be caught by the key or R check, as libsodium does.
TEST(Ed25519, RejectsSmallOrderKeysAndR) {
  ASSERT_GE(sodium_init(), 0);
  for (const char* key_hex : small_order_points) {
    const auto public_key = array_from_hex<32>(key_hex);
    for (const char* r_hex : small_order_points) {
      Signature signature{};
      const auto r = array_from_hex<32>(r_hex);
      for (size_t i = 0; i < 32; ++i) signature[i] = r[i];
      for (uint8_t message_byte = 0; message_byte < 16; ++message_byte) {
        const Bytes message{message_byte};
        EXPECT_FALSE(kestrel_verifies(public_key, message, signature)) << "key " << key_hex << ", R " << r_hex;
        EXPECT_FALSE(libsodium_verifies(public_key, message, signature)) << "key " << key_hex << ", R " << r_hex;
      }
    }
  }

  // An honest signature does not become acceptable under a small-order key.
  Deterministic_signer signer;
  const auto signed_message = signer.sign_random_message(16);
  for (const char* key_hex : small_order_points) {
    EXPECT_FALSE(kestrel_verifies(array_from_hex<32>(key_hex), signed_message.message, signed_message.signature));
  }
}
