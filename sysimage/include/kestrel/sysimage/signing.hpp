// SPDX-License-Identifier: Apache-2.0
// Boot-info signing on the host: Ed25519 keys, their files, signatures and the kernel's key header (libsodium).
//
// The kernel verifies with its own code (kernel/src/trust/ed25519.cpp); the unit
// tests check that it accepts what this library signs.
//
// Key files:
// - secret key: text, the 64-byte libsodium crypto_sign secret key (the
//   32-byte seed followed by the 32-byte public key) as 128 lowercase hex
//   digits and a newline. Text so that it survives being pasted into a CI
//   secret; reading accepts either case and ignores surrounding whitespace,
//   and refuses a file whose public half does not belong to its seed.
//   Written with permissions 0600.
// - public key: exactly 32 raw bytes, the key's RFC 8032 encoding.
// Both are written through a temporary file and a rename, so a failed write
// leaves no partial file.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <utility>
#include <variant>

namespace kestrel::sysimage {

inline constexpr size_t public_key_size = 32;
inline constexpr size_t secret_key_size = 64;
inline constexpr size_t seed_size = 32;
inline constexpr size_t signature_size = 64;

using Public_key = std::array<uint8_t, public_key_size>;
using Secret_key = std::array<uint8_t, secret_key_size>;  // seed, then public key
using Key_seed = std::array<uint8_t, seed_size>;
using Signature = std::array<uint8_t, signature_size>;

struct Key_pair {
  Secret_key secret_key;
  Public_key public_key;
};

// A value, or a message saying what went wrong (naming the file, if any).
template <typename T>
class [[nodiscard]] Signing_result {
 public:
  Signing_result(T value) : state_{std::move(value)} {}
  Signing_result(std::string error) : state_{Error{std::move(error)}} {}

  bool ok() const { return std::holds_alternative<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T value() && { return std::get<T>(std::move(state_)); }
  const std::string& error() const { return std::get<Error>(state_).message; }

 private:
  struct Error {
    std::string message;
  };
  std::variant<T, Error> state_;
};

// A fresh key pair from the system's random number generator.
Signing_result<Key_pair> generate_key_pair();

// The key pair a 32-byte seed determines (RFC 8032 section 5.1.5): the same
// seed always gives the same keys.
Signing_result<Key_pair> key_pair_from_seed(const Key_seed& seed);

// The public half of a secret key.
[[nodiscard]] Public_key public_key_of(const Secret_key& secret_key);

// The Ed25519 signature of `bytes` (deterministic: same key and bytes, same signature).
Signing_result<Signature> sign(const Secret_key& secret_key, std::span<const uint8_t> bytes);

// libsodium's verdict on a signature, for checking a key pair before use;
// the kernel's verifier is kernel/src/trust/ed25519.cpp.
[[nodiscard]] bool verify(const Public_key& public_key, std::span<const uint8_t> bytes, const Signature& signature);

// Key files in the formats described at the top of this header.
Signing_result<Secret_key> read_secret_key(const std::filesystem::path& path);
Signing_result<Public_key> read_public_key(const std::filesystem::path& path);
// Each returns an error message, or an empty string on success.
[[nodiscard]] std::string write_secret_key(const std::filesystem::path& path, const Secret_key& secret_key);
[[nodiscard]] std::string write_public_key(const std::filesystem::path& path, const Public_key& public_key);

// A C++ header that defines
//   constexpr uint8_t kestrel_boot_public_key[32] = {...};
// for the kernel to verify boot-info against.
[[nodiscard]] std::string public_key_header(const Public_key& public_key);

// Lowercase hex, e.g. to show which key an image was signed with.
[[nodiscard]] std::string to_hex(std::span<const uint8_t> bytes);

}  // namespace kestrel::sysimage
