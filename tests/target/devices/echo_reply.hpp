// SPDX-License-Identifier: Apache-2.0
// Echo reply: the whole network stack of the device tests' native net port.
// It answers an ARP request for its IPv4 address and an ICMP echo request
// (ping) sent to it, and nothing else, which is enough for a Linux guest to
// ping a native partition through the switch (docs/devices.md). Every length
// and field is checked before use: frames come from other partitions.
// Freestanding, host-tested (tests/unit/devices/echo_reply_test.cpp).
#pragma once

#include <cstdint>

namespace kestrel::echo {

inline constexpr uint32_t ethernet_header_bytes = 14;
inline constexpr uint32_t arp_bytes = 28;
inline constexpr uint32_t max_reply_bytes = 1514;

struct Identity {
  uint8_t mac[6];
  uint8_t ip[4];
};

namespace detail {

inline uint16_t load16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
inline void store16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
inline bool same(const uint8_t* a, const uint8_t* b, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}
inline void copy(uint8_t* to, const uint8_t* from, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) to[i] = from[i];
}
// The Internet checksum (RFC 1071) of n bytes.
inline uint16_t checksum(const uint8_t* p, uint32_t n) {
  uint32_t sum = 0;
  for (uint32_t i = 0; i + 1 < n; i += 2) sum += load16(p + i);
  if ((n & 1) != 0) sum += uint32_t{p[n - 1]} << 8;
  while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

inline uint32_t answer_arp(const uint8_t* frame, uint32_t length, const Identity& me, uint8_t* reply) {
  const uint8_t* arp = frame + ethernet_header_bytes;
  if (length < ethernet_header_bytes + arp_bytes) return 0;
  // Ethernet (1), IPv4 (0x0800), 6-byte and 4-byte addresses, a request (1).
  if (load16(arp) != 1 || load16(arp + 2) != 0x0800 || arp[4] != 6 || arp[5] != 4 || load16(arp + 6) != 1) return 0;
  if (!same(arp + 24, me.ip, 4)) return 0;  // asks for someone else
  copy(reply, frame + 6, 6);                // to the asker
  copy(reply + 6, me.mac, 6);
  store16(reply + 12, 0x0806);
  uint8_t* out = reply + ethernet_header_bytes;
  copy(out, arp, 6);
  store16(out + 6, 2);  // a reply
  copy(out + 8, me.mac, 6);
  copy(out + 14, me.ip, 4);
  copy(out + 18, arp + 8, 10);  // the asker's MAC and IPv4 address
  // Padded to Ethernet's 60-byte minimum (the NIC would pad it anyway).
  for (uint32_t i = ethernet_header_bytes + arp_bytes; i < 60; ++i) reply[i] = 0;
  return 60;
}

inline uint32_t answer_ping(const uint8_t* frame, uint32_t length, const Identity& me, uint8_t* reply) {
  if (!same(frame, me.mac, 6) || length < ethernet_header_bytes + 20 + 8) return 0;
  const uint8_t* ip = frame + ethernet_header_bytes;
  const uint32_t header = uint32_t{ip[0] & 0xfU} * 4;
  const uint32_t total = load16(ip + 2);
  if ((ip[0] >> 4) != 4 || header < 20 || total < header + 8 || ethernet_header_bytes + total > length) return 0;
  if ((load16(ip + 6) & 0x3fff) != 0) return 0;          // a fragment
  if (ip[9] != 1 || !same(ip + 16, me.ip, 4)) return 0;  // not ICMP, or not to me
  if (checksum(ip, header) != 0) return 0;
  const uint8_t* icmp = ip + header;
  const uint32_t icmp_bytes = total - header;
  if (icmp[0] != 8 || icmp[1] != 0 || checksum(icmp, icmp_bytes) != 0) return 0;  // not an echo request

  copy(reply, frame + 6, 6);
  copy(reply + 6, me.mac, 6);
  store16(reply + 12, 0x0800);
  uint8_t* out_ip = reply + ethernet_header_bytes;
  copy(out_ip, ip, 20);  // options are not echoed
  out_ip[0] = 0x45;
  store16(out_ip + 2, static_cast<uint16_t>(20 + icmp_bytes));
  out_ip[8] = 64;  // TTL
  copy(out_ip + 12, me.ip, 4);
  copy(out_ip + 16, ip + 12, 4);
  store16(out_ip + 10, 0);
  store16(out_ip + 10, checksum(out_ip, 20));
  uint8_t* out_icmp = out_ip + 20;
  copy(out_icmp, icmp, icmp_bytes);
  out_icmp[0] = 0;  // echo reply
  store16(out_icmp + 2, 0);
  store16(out_icmp + 2, checksum(out_icmp, icmp_bytes));
  const uint32_t reply_length = ethernet_header_bytes + 20 + icmp_bytes;
  for (uint32_t i = reply_length; i < 60; ++i) reply[i] = 0;
  return reply_length < 60 ? 60 : reply_length;
}

}  // namespace detail

// The reply to `frame` (into `reply`, max_reply_bytes long), or 0 when it
// asks nothing of `me`.
inline uint32_t answer(const uint8_t* frame, uint32_t length, const Identity& me, uint8_t* reply) {
  if (length < ethernet_header_bytes || length > max_reply_bytes) return 0;
  switch (detail::load16(frame + 12)) {
    case 0x0806:
      return detail::answer_arp(frame, length, me, reply);
    case 0x0800:
      return detail::answer_ping(frame, length, me, reply);
    default:
      return 0;
  }
}

}  // namespace kestrel::echo
