// SPDX-License-Identifier: Apache-2.0
// The device tests' native ARP and ping responder (tests/target/devices/echo_reply.hpp).
#include "../../target/devices/echo_reply.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace {

using kestrel::echo::answer;
using kestrel::echo::Identity;

const Identity me{{0x52, 0x54, 0x00, 0x12, 0x34, 0x03}, {10, 0, 2, 17}};
const uint8_t asker_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x01};
const uint8_t asker_ip[4] = {10, 0, 2, 15};

std::vector<uint8_t> arp_request(const uint8_t target_ip[4]) {
  std::vector<uint8_t> f(42, 0);
  std::memset(f.data(), 0xff, 6);
  std::memcpy(f.data() + 6, asker_mac, 6);
  f[12] = 0x08, f[13] = 0x06;
  const uint8_t fixed[8] = {0, 1, 8, 0, 6, 4, 0, 1};
  std::memcpy(f.data() + 14, fixed, 8);
  std::memcpy(f.data() + 22, asker_mac, 6);
  std::memcpy(f.data() + 28, asker_ip, 4);
  std::memcpy(f.data() + 38, target_ip, 4);
  return f;
}

uint16_t sum16(const uint8_t* p, size_t n) {
  uint32_t s = 0;
  for (size_t i = 0; i + 1 < n; i += 2) s += uint32_t(p[i] << 8 | p[i + 1]);
  if (n & 1) s += uint32_t(p[n - 1]) << 8;
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return uint16_t(~s);
}

std::vector<uint8_t> ping_request(size_t payload) {
  std::vector<uint8_t> f(14 + 20 + 8 + payload, 0);
  std::memcpy(f.data(), me.mac, 6);
  std::memcpy(f.data() + 6, asker_mac, 6);
  f[12] = 0x08;
  uint8_t* ip = f.data() + 14;
  ip[0] = 0x45;
  const size_t total = 20 + 8 + payload;
  ip[2] = uint8_t(total >> 8), ip[3] = uint8_t(total);
  ip[8] = 64, ip[9] = 1;
  std::memcpy(ip + 12, asker_ip, 4);
  std::memcpy(ip + 16, me.ip, 4);
  const uint16_t ip_sum = sum16(ip, 20);
  ip[10] = uint8_t(ip_sum >> 8), ip[11] = uint8_t(ip_sum);
  uint8_t* icmp = ip + 20;
  icmp[0] = 8;
  icmp[4] = 0x12, icmp[5] = 0x34, icmp[7] = 1;
  for (size_t i = 0; i < payload; ++i) icmp[8 + i] = uint8_t(i * 7);
  const uint16_t icmp_sum = sum16(icmp, 8 + payload);
  icmp[2] = uint8_t(icmp_sum >> 8), icmp[3] = uint8_t(icmp_sum);
  return f;
}

TEST(EchoReply, AnswersAnArpRequestForItsAddress) {
  const auto request = arp_request(me.ip);
  uint8_t reply[1514];
  ASSERT_EQ(answer(request.data(), uint32_t(request.size()), me, reply), 60u);
  EXPECT_EQ(std::memcmp(reply, asker_mac, 6), 0) << "to the asker";
  EXPECT_EQ(std::memcmp(reply + 6, me.mac, 6), 0);
  EXPECT_EQ(reply[21], 2) << "an ARP reply";
  EXPECT_EQ(std::memcmp(reply + 22, me.mac, 6), 0) << "says my MAC";
  EXPECT_EQ(std::memcmp(reply + 28, me.ip, 4), 0);
  EXPECT_EQ(std::memcmp(reply + 32, asker_mac, 6), 0);
  EXPECT_EQ(std::memcmp(reply + 38, asker_ip, 4), 0);
}

TEST(EchoReply, IgnoresArpForAnotherAddressAndTruncatedArp) {
  const uint8_t other[4] = {10, 0, 2, 99};
  auto request = arp_request(other);
  uint8_t reply[1514];
  EXPECT_EQ(answer(request.data(), uint32_t(request.size()), me, reply), 0u);
  request = arp_request(me.ip);
  EXPECT_EQ(answer(request.data(), 41, me, reply), 0u);
}

TEST(EchoReply, AnswersAPingWithValidChecksumsAndTheSamePayload) {
  for (size_t payload : {0u, 1u, 56u, 1000u}) {
    const auto request = ping_request(payload);
    uint8_t reply[1514];
    const uint32_t length = answer(request.data(), uint32_t(request.size()), me, reply);
    ASSERT_EQ(length, std::max<size_t>(request.size(), 60)) << payload;
    const uint8_t* ip = reply + 14;
    EXPECT_EQ(sum16(ip, 20), 0) << "IPv4 header checksum";
    EXPECT_EQ(std::memcmp(ip + 12, me.ip, 4), 0);
    EXPECT_EQ(std::memcmp(ip + 16, asker_ip, 4), 0);
    const uint8_t* icmp = ip + 20;
    EXPECT_EQ(icmp[0], 0) << "echo reply";
    EXPECT_EQ(sum16(icmp, 8 + payload), 0) << "ICMP checksum";
    EXPECT_EQ(std::memcmp(icmp + 4, request.data() + 14 + 20 + 4, 4 + payload), 0) << "id, sequence, payload";
  }
}

TEST(EchoReply, IgnoresBadChecksumsShortOrLyingLengthsAndOtherDestinations) {
  uint8_t reply[1514];
  auto request = ping_request(8);
  request[14 + 20 + 8] ^= 1;  // payload changed after the ICMP checksum
  EXPECT_EQ(answer(request.data(), uint32_t(request.size()), me, reply), 0u);
  request = ping_request(8);
  request[14 + 10] ^= 1;  // IPv4 header checksum
  EXPECT_EQ(answer(request.data(), uint32_t(request.size()), me, reply), 0u);
  request = ping_request(8);
  request[14 + 3] += 10;  // total length beyond the frame
  EXPECT_EQ(answer(request.data(), uint32_t(request.size()), me, reply), 0u);
  request = ping_request(8);
  request[0] ^= 1;  // to another MAC
  EXPECT_EQ(answer(request.data(), uint32_t(request.size()), me, reply), 0u);
  request = ping_request(8);
  EXPECT_EQ(answer(request.data(), 13, me, reply), 0u);
  EXPECT_EQ(answer(request.data(), 14 + 20 + 7, me, reply), 0u);
}

}  // namespace
