// SPDX-License-Identifier: Apache-2.0
// Boot-info signing: libsodium for the cryptography, POSIX calls for the key files.
//
// POSIX rather than iostreams for the files: errno gives exact messages, and
// mkstemp creates a secret key's file readable by its owner only from the start.
#include <kestrel/sysimage/signing.hpp>

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

namespace kestrel::sysimage {
namespace {

static_assert(public_key_size == crypto_sign_PUBLICKEYBYTES && secret_key_size == crypto_sign_SECRETKEYBYTES &&
              seed_size == crypto_sign_SEEDBYTES && signature_size == crypto_sign_BYTES);

// libsodium wants sodium_init() before anything else; it is idempotent and thread-safe.
bool sodium_ready() { return sodium_init() >= 0; }

constexpr char sodium_unavailable[] = "libsodium could not be initialised";

std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

std::string system_error() { return std::strerror(errno); }

// Key files are a few hundred bytes at most; reading stops a little past the
// largest valid size, so a wrong path to a big file costs nothing.
constexpr size_t key_file_read_limit = 1024;

struct Key_file {
  std::string bytes;  // the first bytes, up to the limit plus one (so that "too large" shows)
  std::string error;  // empty if the file could be read
};

Key_file read_key_file(const std::filesystem::path& path, const char* what) {
  Key_file file;
  const int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) {
    file.error = "cannot read " + std::string(what) + " " + quoted(path) + ": " + system_error();
    return file;
  }
  file.bytes.resize(key_file_read_limit + 1);
  size_t filled = 0;
  while (filled < file.bytes.size()) {
    const ssize_t count = ::read(descriptor, file.bytes.data() + filled, file.bytes.size() - filled);
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) {
      file.error = "cannot read " + std::string(what) + " " + quoted(path) + ": " + system_error();
      break;
    }
    if (count == 0) break;
    filled += static_cast<size_t>(count);
  }
  ::close(descriptor);
  file.bytes.resize(filled);
  return file;
}

// Writes through a temporary file beside `path` that mkstemp creates with
// permissions 0600, so a secret is never readable by others, not even
// briefly; then sets `permissions` and renames it over `path`.
std::string write_key_file(const std::filesystem::path& path, std::string_view contents, mode_t permissions,
                           const char* what) {
  const std::filesystem::path directory = path.has_parent_path() ? path.parent_path() : ".";
  std::string temporary = (directory / ("." + path.filename().string() + ".XXXXXX")).string();
  const auto failure = [&](int descriptor) {
    std::string error = "cannot write " + std::string(what) + " " + quoted(path) + ": " + system_error();
    if (descriptor >= 0) ::close(descriptor);
    ::unlink(temporary.c_str());
    return error;
  };

  const int descriptor = ::mkstemp(temporary.data());
  if (descriptor < 0) return "cannot write " + std::string(what) + " " + quoted(path) + ": " + system_error();
  if (::fchmod(descriptor, permissions) != 0) return failure(descriptor);
  for (size_t written = 0; written < contents.size();) {
    const ssize_t count = ::write(descriptor, contents.data() + written, contents.size() - written);
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) return failure(descriptor);
    written += static_cast<size_t>(count);
  }
  // On disk before it takes the name: a crash must not leave an empty key file.
  if (::fsync(descriptor) != 0) return failure(descriptor);
  if (::close(descriptor) != 0) return failure(-1);
  if (::rename(temporary.c_str(), path.c_str()) != 0) return failure(-1);
  return {};
}

bool is_whitespace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string describe_character(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7f) return std::string("'") + c + "'";
  constexpr char digits[] = "0123456789abcdef";
  return std::string("byte 0x") + digits[byte >> 4] + digits[byte & 0xf];
}

}  // namespace

Signing_result<Key_pair> generate_key_pair() {
  if (!sodium_ready()) return std::string(sodium_unavailable);
  Key_pair pair{};
  if (crypto_sign_keypair(pair.public_key.data(), pair.secret_key.data()) != 0) {
    return std::string("libsodium could not generate a key pair");
  }
  return pair;
}

Signing_result<Key_pair> key_pair_from_seed(const Key_seed& seed) {
  if (!sodium_ready()) return std::string(sodium_unavailable);
  Key_pair pair{};
  if (crypto_sign_seed_keypair(pair.public_key.data(), pair.secret_key.data(), seed.data()) != 0) {
    return std::string("libsodium could not derive a key pair from the seed");
  }
  return pair;
}

Public_key public_key_of(const Secret_key& secret_key) {
  Public_key public_key{};
  crypto_sign_ed25519_sk_to_pk(public_key.data(), secret_key.data());
  return public_key;
}

Signing_result<Signature> sign(const Secret_key& secret_key, std::span<const uint8_t> bytes) {
  if (!sodium_ready()) return std::string(sodium_unavailable);
  Signature signature{};
  if (crypto_sign_detached(signature.data(), nullptr, bytes.data(), bytes.size(), secret_key.data()) != 0) {
    return std::string("libsodium could not sign");
  }
  return signature;
}

bool verify(const Public_key& public_key, std::span<const uint8_t> bytes, const Signature& signature) {
  return sodium_ready() &&
         crypto_sign_verify_detached(signature.data(), bytes.data(), bytes.size(), public_key.data()) == 0;
}

Signing_result<Secret_key> read_secret_key(const std::filesystem::path& path) {
  Key_file file = read_key_file(path, "secret key");
  std::string& text = file.bytes;
  if (!file.error.empty()) {
    sodium_memzero(text.data(), text.size());
    return file.error;
  }
  const auto wipe_and_fail = [&](const std::string& problem) {
    sodium_memzero(text.data(), text.size());
    return Signing_result<Secret_key>("secret key " + quoted(path) + ": " + problem);
  };

  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && is_whitespace(text[begin])) ++begin;
  while (end > begin && is_whitespace(text[end - 1])) --end;
  constexpr size_t digits_expected = 2 * secret_key_size;
  Secret_key secret_key{};
  for (size_t i = begin; i < end && i - begin < digits_expected; ++i) {
    const int value = hex_digit_value(text[i]);
    if (value < 0) {
      return wipe_and_fail("character " + std::to_string(i + 1) + " is " + describe_character(text[i]) +
                           ", not a hex digit");
    }
    const size_t digit = i - begin;
    secret_key[digit / 2] = static_cast<uint8_t>(secret_key[digit / 2] << 4 | value);
  }
  if (end - begin != digits_expected) {
    const std::string size = text.size() > key_file_read_limit ? "more than " + std::to_string(key_file_read_limit)
                                                               : std::to_string(end - begin);
    return wipe_and_fail("holds " + size + " hex digits; a secret key is " + std::to_string(digits_expected));
  }
  sodium_memzero(text.data(), text.size());

  // The public half must be the one the seed gives, or the file is damaged
  // and every signature made with it would fail in the kernel.
  Key_seed seed{};
  for (size_t i = 0; i < seed_size; ++i) seed[i] = secret_key[i];
  const auto derived = key_pair_from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  if (!derived.ok()) return derived.error();
  if (derived.value().secret_key != secret_key) {
    return "secret key " + quoted(path) + ": its public half does not match its seed (the file is damaged)";
  }
  return secret_key;
}

Signing_result<Public_key> read_public_key(const std::filesystem::path& path) {
  const Key_file file = read_key_file(path, "public key");
  if (!file.error.empty()) return file.error;
  const std::string& bytes = file.bytes;
  if (bytes.size() != public_key_size) {
    std::string problem = "public key " + quoted(path) + ": ";
    problem += bytes.size() > key_file_read_limit ? "more than " + std::to_string(key_file_read_limit)
                                                  : std::to_string(bytes.size());
    problem += " bytes; a public key file holds exactly " + std::to_string(public_key_size) + " raw bytes";
    if (bytes.size() >= 2 * public_key_size && hex_digit_value(bytes[0]) >= 0 && hex_digit_value(bytes[1]) >= 0) {
      problem += " (this looks like hex text, or a secret key file)";
    }
    return problem;
  }
  if (!sodium_ready()) return std::string(sodium_unavailable);
  Public_key public_key{};
  for (size_t i = 0; i < public_key_size; ++i) public_key[i] = static_cast<uint8_t>(bytes[i]);
  // Refuse what the kernel would refuse anyway (a non-canonical or
  // small-order point), here where the mistake can still be named.
  if (crypto_core_ed25519_is_valid_point(public_key.data()) != 1) {
    return "public key " + quoted(path) + ": not a valid Ed25519 public key";
  }
  return public_key;
}

std::string write_secret_key(const std::filesystem::path& path, const Secret_key& secret_key) {
  std::string text = to_hex(secret_key) + "\n";
  std::string error = write_key_file(path, text, S_IRUSR | S_IWUSR, "secret key");
  sodium_memzero(text.data(), text.size());
  return error;
}

std::string write_public_key(const std::filesystem::path& path, const Public_key& public_key) {
  const std::string_view bytes(reinterpret_cast<const char*>(public_key.data()), public_key.size());
  return write_key_file(path, bytes, S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH, "public key");
}

std::string public_key_header(const Public_key& public_key) {
  constexpr char digits[] = "0123456789abcdef";
  std::string header =
      "// SPDX-License-Identifier: Apache-2.0\n"
      "// Generated: the Ed25519 public key the kernel verifies the boot-info signature with. Do not edit.\n"
      "// Key " +
      to_hex(public_key) +
      "\n"
      "#pragma once\n"
      "\n"
      "#include <cstdint>\n"
      "\n"
      "constexpr uint8_t kestrel_boot_public_key[32] = {";
  for (size_t i = 0; i < public_key.size(); ++i) {
    header += i % 8 == 0 ? "\n    " : " ";
    header += "0x";
    header += digits[public_key[i] >> 4];
    header += digits[public_key[i] & 0xf];
    header += ",";
  }
  header += "\n};\n";
  return header;
}

std::string to_hex(std::span<const uint8_t> bytes) {
  constexpr char digits[] = "0123456789abcdef";
  std::string text;
  text.reserve(2 * bytes.size());
  for (const uint8_t byte : bytes) {
    text += digits[byte >> 4];
    text += digits[byte & 0xf];
  }
  return text;
}

}  // namespace kestrel::sysimage
