// SPDX-License-Identifier: Apache-2.0
// Boot-info signing tests: keys, key files and their errors, the kernel's key header, and the kernel verifying.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include <kestrel/ed25519.hpp>
#include <kestrel/sysimage/signing.hpp>

namespace {

namespace fs = std::filesystem;
using namespace kestrel::sysimage;

// A fresh directory under the system's temporary directory, removed with everything in it.
class Scratch_directory {
 public:
  Scratch_directory() {
    std::string pattern = (fs::temp_directory_path() / "kestrel-signing-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  ~Scratch_directory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  Scratch_directory(const Scratch_directory&) = delete;
  Scratch_directory& operator=(const Scratch_directory&) = delete;

  fs::path operator/(const std::string& name) const { return path_ / name; }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void write_file(const fs::path& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary);
  out << contents;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

unsigned permissions_of(const fs::path& path) {
  struct stat status {};
  EXPECT_EQ(::stat(path.c_str(), &status), 0) << path;
  return status.st_mode & 0777U;
}

Key_seed seed_from_hex(const std::string& hex) {
  Key_seed seed{};
  for (size_t i = 0; i < seed.size(); ++i)
    seed[i] = static_cast<uint8_t>(std::stoul(hex.substr(2 * i, 2), nullptr, 16));
  return seed;
}

// RFC 8032 section 7.1, TEST 1.
const std::string rfc_test1_seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const std::string rfc_test1_public_key = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const std::string rfc_test1_signature =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe2465"
    "5141438e7a100b";

Key_pair rfc_test1_key_pair() {
  auto pair = key_pair_from_seed(seed_from_hex(rfc_test1_seed));
  EXPECT_TRUE(pair.ok()) << pair.error();
  return pair.value();
}

bool kernel_verifies(const Public_key& public_key, const std::vector<uint8_t>& message, const Signature& signature) {
  return kestrel::ed25519_verify(public_key.data(), message.data(), message.size(), signature.data());
}

}  // namespace

TEST(Signing, SeedDeterminesKeysAndSignatures) {
  const Key_pair pair = rfc_test1_key_pair();
  EXPECT_EQ(to_hex(pair.public_key), rfc_test1_public_key);
  EXPECT_EQ(to_hex(std::span(pair.secret_key).first(32)), rfc_test1_seed);
  EXPECT_EQ(public_key_of(pair.secret_key), pair.public_key);
  const auto signature = sign(pair.secret_key, {});
  ASSERT_TRUE(signature.ok()) << signature.error();
  EXPECT_EQ(to_hex(signature.value()), rfc_test1_signature);
}

// What the host signs, the kernel's verifier accepts, and nothing else.
TEST(Signing, KernelVerifiesWhatTheHostSigns) {
  for (int round = 0; round < 10; ++round) {
    const auto pair = generate_key_pair();
    ASSERT_TRUE(pair.ok()) << pair.error();
    std::vector<uint8_t> message(static_cast<size_t>(round) * 100 + 1, static_cast<uint8_t>(round));
    const auto signature = sign(pair.value().secret_key, message);
    ASSERT_TRUE(signature.ok()) << signature.error();
    EXPECT_TRUE(verify(pair.value().public_key, message, signature.value()));
    EXPECT_TRUE(kernel_verifies(pair.value().public_key, message, signature.value()));

    message[0] ^= 1;
    EXPECT_FALSE(verify(pair.value().public_key, message, signature.value()));
    EXPECT_FALSE(kernel_verifies(pair.value().public_key, message, signature.value()));
  }
}

TEST(Signing, GeneratedKeyPairsDiffer) {
  const auto first = generate_key_pair();
  const auto second = generate_key_pair();
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(first.value().public_key, second.value().public_key);
  EXPECT_EQ(public_key_of(first.value().secret_key), first.value().public_key);
}

TEST(Signing, SecretKeyFileIsHexTextReadableOnlyByItsOwner) {
  Scratch_directory directory;
  const Key_pair pair = rfc_test1_key_pair();
  const fs::path path = directory / "boot.key";
  ASSERT_EQ(write_secret_key(path, pair.secret_key), "");

  EXPECT_EQ(read_file(path), rfc_test1_seed + rfc_test1_public_key + "\n");
  EXPECT_EQ(permissions_of(path), 0600U);
  const auto read_back = read_secret_key(path);
  ASSERT_TRUE(read_back.ok()) << read_back.error();
  EXPECT_EQ(read_back.value(), pair.secret_key);
}

TEST(Signing, SecretKeyFileMayUseUpperCaseAndSurroundingWhitespace) {
  Scratch_directory directory;
  std::string text = rfc_test1_seed + rfc_test1_public_key;
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  write_file(directory / "boot.key", "\n  " + text + " \r\n");
  const auto secret_key = read_secret_key(directory / "boot.key");
  ASSERT_TRUE(secret_key.ok()) << secret_key.error();
  EXPECT_EQ(secret_key.value(), rfc_test1_key_pair().secret_key);
}

TEST(Signing, PublicKeyFileIsThirtyTwoRawBytes) {
  Scratch_directory directory;
  const Key_pair pair = rfc_test1_key_pair();
  const fs::path path = directory / "boot.pub";
  ASSERT_EQ(write_public_key(path, pair.public_key), "");

  const std::string bytes = read_file(path);
  ASSERT_EQ(bytes.size(), 32U);
  EXPECT_EQ(to_hex(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size())), rfc_test1_public_key);
  EXPECT_EQ(permissions_of(path), 0644U);
  const auto read_back = read_public_key(path);
  ASSERT_TRUE(read_back.ok()) << read_back.error();
  EXPECT_EQ(read_back.value(), pair.public_key);
}

TEST(Signing, WritingReplacesAnExistingFileWhole) {
  Scratch_directory directory;
  const fs::path path = directory / "boot.pub";
  write_file(path, std::string(1000, 'x'));
  ASSERT_EQ(write_public_key(path, rfc_test1_key_pair().public_key), "");
  EXPECT_EQ(read_file(path).size(), 32U);
}

TEST(Signing, MissingFilesAreNamed) {
  Scratch_directory directory;
  const fs::path missing = directory / "missing.key";
  const auto secret_key = read_secret_key(missing);
  ASSERT_FALSE(secret_key.ok());
  EXPECT_EQ(secret_key.error(), "cannot read secret key '" + missing.string() + "': No such file or directory");
  const auto public_key = read_public_key(missing);
  ASSERT_FALSE(public_key.ok());
  EXPECT_EQ(public_key.error(), "cannot read public key '" + missing.string() + "': No such file or directory");
}

TEST(Signing, DirectoryInsteadOfKeyFile) {
  Scratch_directory directory;
  const auto secret_key = read_secret_key(directory.path());
  ASSERT_FALSE(secret_key.ok());
  EXPECT_NE(secret_key.error().find("Is a directory"), std::string::npos) << secret_key.error();
}

TEST(Signing, SecretKeyFileOfTheWrongLength) {
  Scratch_directory directory;
  const fs::path path = directory / "short.key";
  write_file(path, (rfc_test1_seed + rfc_test1_public_key).substr(2) + "\n");
  const auto secret_key = read_secret_key(path);
  ASSERT_FALSE(secret_key.ok());
  EXPECT_EQ(secret_key.error(), "secret key '" + path.string() + "': holds 126 hex digits; a secret key is 128");

  write_file(path, "");
  EXPECT_EQ(read_secret_key(path).error(),
            "secret key '" + path.string() + "': holds 0 hex digits; a secret key is 128");

  write_file(path, std::string(5000, '0'));
  EXPECT_EQ(read_secret_key(path).error(),
            "secret key '" + path.string() + "': holds more than 1024 hex digits; a secret key is 128");
}

TEST(Signing, SecretKeyFileThatIsNotHex) {
  Scratch_directory directory;
  const fs::path path = directory / "bad.key";
  std::string text = rfc_test1_seed + rfc_test1_public_key;
  text[4] = 'g';
  write_file(path, " " + text);
  EXPECT_EQ(read_secret_key(path).error(), "secret key '" + path.string() + "': character 6 is 'g', not a hex digit");

  text[4] = '\x01';
  write_file(path, text);
  EXPECT_EQ(read_secret_key(path).error(),
            "secret key '" + path.string() + "': character 5 is byte 0x01, not a hex digit");
}

TEST(Signing, SecretKeyFileWhosePublicHalfDoesNotMatchItsSeed) {
  Scratch_directory directory;
  const fs::path path = directory / "damaged.key";
  std::string text = rfc_test1_seed + rfc_test1_public_key;
  text[100] = text[100] == '0' ? '1' : '0';
  write_file(path, text);
  EXPECT_EQ(read_secret_key(path).error(),
            "secret key '" + path.string() + "': its public half does not match its seed (the file is damaged)");
}

TEST(Signing, PublicKeyFileOfTheWrongSize) {
  Scratch_directory directory;
  const fs::path path = directory / "boot.pub";
  write_file(path, std::string(31, '\x01'));
  EXPECT_EQ(read_public_key(path).error(),
            "public key '" + path.string() + "': 31 bytes; a public key file holds exactly 32 raw bytes");

  write_file(path, rfc_test1_public_key + "\n");
  EXPECT_EQ(read_public_key(path).error(),
            "public key '" + path.string() +
                "': 65 bytes; a public key file holds exactly 32 raw bytes (this looks like hex text, or a secret "
                "key file)");
}

// The kernel refuses such keys at boot; the host says so when the key is read.
TEST(Signing, PublicKeyFileThatIsNotAValidKey) {
  Scratch_directory directory;
  const fs::path path = directory / "zero.pub";
  write_file(path, std::string(32, '\0'));
  EXPECT_EQ(read_public_key(path).error(), "public key '" + path.string() + "': not a valid Ed25519 public key");
}

TEST(Signing, FailedWriteIsReportedAndLeavesNothing) {
  Scratch_directory directory;
  const fs::path path = directory / "no-such-directory" / "boot.key";
  const std::string error = write_secret_key(path, rfc_test1_key_pair().secret_key);
  EXPECT_EQ(error, "cannot write secret key '" + path.string() + "': No such file or directory");
  EXPECT_TRUE(fs::is_empty(directory.path()));

  // A directory in the way of the rename: the temporary file must go too.
  fs::create_directory(directory / "taken");
  fs::create_directory(directory / "taken" / "inner");
  EXPECT_NE(write_public_key(directory / "taken", rfc_test1_key_pair().public_key), "");
  std::vector<fs::path> left;
  for (const auto& entry : fs::directory_iterator(directory.path())) left.push_back(entry.path().filename());
  EXPECT_EQ(left, std::vector<fs::path>{"taken"});
}

TEST(Signing, PublicKeyHeaderForTheKernel) {
  EXPECT_EQ(public_key_header(rfc_test1_key_pair().public_key),
            "// SPDX-License-Identifier: Apache-2.0\n"
            "// Generated: the Ed25519 public key the kernel verifies the boot-info signature with. Do not edit.\n"
            "// Key d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a\n"
            "#pragma once\n"
            "\n"
            "#include <cstdint>\n"
            "\n"
            "constexpr uint8_t kestrel_boot_public_key[32] = {\n"
            "    0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7,\n"
            "    0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a,\n"
            "    0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25,\n"
            "    0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a,\n"
            "};\n");
}

TEST(Signing, ToHex) {
  const uint8_t bytes[] = {0x00, 0x0f, 0xa5, 0xff};
  EXPECT_EQ(to_hex(bytes), "000fa5ff");
  EXPECT_EQ(to_hex({}), "");
}
