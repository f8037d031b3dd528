// SPDX-License-Identifier: Apache-2.0
// CRC-32 tests: known vectors, incremental use and the boot-info checksum.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include <kestrel/abi/boot_info.hpp>
#include <kestrel/crc32.hpp>

namespace {

uint32_t crc_of(std::string_view text) { return kestrel::crc32(text.data(), text.size()); }

// The textbook bit-at-a-time algorithm, as an independent reference.
uint32_t bitwise_crc32(const std::vector<uint8_t>& bytes) {
  uint32_t crc = 0xffff'ffffU;
  for (const uint8_t byte : bytes) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xedb8'8320U : crc >> 1;
  }
  return ~crc;
}

std::vector<uint8_t> pseudo_random_bytes(size_t count) {
  std::vector<uint8_t> bytes(count);
  uint32_t state = 12345;
  for (auto& byte : bytes) {
    state = state * 1'103'515'245U + 12'345U;
    byte = static_cast<uint8_t>(state >> 16);
  }
  return bytes;
}

constexpr size_t checksum_offset = offsetof(kestrel::abi::Boot_info_header, checksum);

}  // namespace

TEST(Crc32, KnownVectors) {
  // Values from zlib's crc32().
  EXPECT_EQ(crc_of("123456789"), 0xcbf4'3926U);
  EXPECT_EQ(crc_of(""), 0U);
  EXPECT_EQ(kestrel::crc32(nullptr, 0), 0U);
  EXPECT_EQ(crc_of("a"), 0xe8b7'be43U);
  EXPECT_EQ(crc_of("The quick brown fox jumps over the lazy dog"), 0x414f'a339U);
  const std::vector<uint8_t> zeros(32, 0x00);
  const std::vector<uint8_t> ones(32, 0xff);
  EXPECT_EQ(kestrel::crc32(zeros.data(), zeros.size()), 0x190a'55adU);
  EXPECT_EQ(kestrel::crc32(ones.data(), ones.size()), 0xff6c'ab0bU);
  std::vector<uint8_t> every_byte(256);
  for (size_t i = 0; i < every_byte.size(); ++i) every_byte[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(kestrel::crc32(every_byte.data(), every_byte.size()), 0x2905'8c73U);
}

TEST(Crc32, MatchesBitwiseReference) {
  for (const size_t size : {1U, 7U, 64U, 1000U, 4099U}) {
    const auto bytes = pseudo_random_bytes(size);
    EXPECT_EQ(kestrel::crc32(bytes.data(), bytes.size()), bitwise_crc32(bytes)) << size << " bytes";
  }
}

TEST(Crc32, IncrementalEqualsOneShot) {
  const auto bytes = pseudo_random_bytes(300);
  const uint32_t one_shot = kestrel::crc32(bytes.data(), bytes.size());
  for (size_t split = 0; split <= bytes.size(); ++split) {
    uint32_t state = kestrel::crc32_start;
    state = kestrel::crc32_update(state, bytes.data(), split);
    state = kestrel::crc32_update(state, bytes.data() + split, bytes.size() - split);
    EXPECT_EQ(kestrel::crc32_finish(state), one_shot) << "split at " << split;
  }
  uint32_t byte_by_byte = kestrel::crc32_start;
  for (const uint8_t byte : bytes) byte_by_byte = kestrel::crc32_update(byte_by_byte, &byte, 1);
  EXPECT_EQ(kestrel::crc32_finish(byte_by_byte), one_shot);
}

TEST(Crc32, BootInfoChecksumReadsTheFieldAsZero) {
  auto blob = pseudo_random_bytes(sizeof(kestrel::abi::Boot_info_header) + 100);
  const auto original = blob;
  const uint32_t checksum = kestrel::boot_info_checksum(blob.data(), blob.size());
  EXPECT_EQ(blob, original) << "the blob is not modified";

  auto zeroed = blob;
  std::memset(zeroed.data() + checksum_offset, 0, 4);
  EXPECT_EQ(checksum, kestrel::crc32(zeroed.data(), zeroed.size()));

  blob[checksum_offset] ^= 0xff;
  blob[checksum_offset + 3] ^= 0x01;
  EXPECT_EQ(kestrel::boot_info_checksum(blob.data(), blob.size()), checksum) << "the field itself does not count";
  for (const size_t neighbour : {checksum_offset - 1, checksum_offset + 4}) {
    auto changed = original;
    changed[neighbour] ^= 0x01;
    EXPECT_NE(kestrel::boot_info_checksum(changed.data(), changed.size()), checksum) << "byte " << neighbour;
  }
}

TEST(Crc32, BootInfoChecksumOfBlobsEndingInsideTheField) {
  const auto bytes = pseudo_random_bytes(checksum_offset + 4);
  for (size_t size = 0; size <= bytes.size(); ++size) {
    std::vector<uint8_t> zeroed(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(size));
    for (size_t i = checksum_offset; i < size; ++i) zeroed[i] = 0;
    EXPECT_EQ(kestrel::boot_info_checksum(bytes.data(), size), kestrel::crc32(zeroed.data(), zeroed.size()))
        << size << " bytes";
  }
}
