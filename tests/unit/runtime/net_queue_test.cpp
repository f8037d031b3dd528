// SPDX-License-Identifier: Apache-2.0
// Net queue tests: the client library (net_queue_client.hpp) and the
// driver's side (net_queue_server.hpp) over one queue region on the host:
// frames both ways, the length bounds, full rings, indices and lengths the
// other side corrupted, and a driver that stops.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include <kestrel/net_queue_client.hpp>
#include <kestrel/net_queue_server.hpp>

namespace {

namespace dq = kestrel::device_queue;
using kestrel::Net_status;

struct alignas(4096) Region {
  uint8_t bytes[dq::net_queue_bytes] = {};
  uintptr_t address() { return reinterpret_cast<uintptr_t>(bytes); }
  dq::Net_queue_header& header() { return *reinterpret_cast<dq::Net_queue_header*>(bytes); }
};

struct Fake_doorbell {
  uint32_t* rings;
  uint64_t word;  // what wait() returns
  void ring() const { ++*rings; }
  uint64_t wait() const { return word; }
};

constexpr uint8_t mac[6] = {0x02, 0, 0, 0, 0, 7};

struct Port {
  Port() : region(std::make_unique<Region>()), client(region->address(), mac, {&rings, 0}), server(region->address()) {}
  std::unique_ptr<Region> region;
  uint32_t rings = 0;
  kestrel::Net_queue_client<Fake_doorbell> client;
  kestrel::Net_queue_server server;
};

std::vector<uint8_t> frame(uint32_t length, uint8_t seed) {
  std::vector<uint8_t> bytes(length);
  for (uint32_t i = 0; i < length; ++i) bytes[i] = static_cast<uint8_t>(seed * 31 + i);
  return bytes;
}

uint8_t buffer[dq::net_max_frame_bytes];

}  // namespace

TEST(NetQueue, FramesGoBothWaysInOrder) {
  Port s;
  // More frames than places: the slots are reused as the places wrap.
  for (uint32_t n = 0; n < 3 * dq::net_queue_depth + 5; ++n) {
    const auto sent = frame(60 + n, static_cast<uint8_t>(n));
    ASSERT_EQ(s.client.send(sent.data(), static_cast<uint32_t>(sent.size())), Net_status::ok);
    ASSERT_EQ(s.server.take_transmitted(buffer), sent.size()) << n;
    EXPECT_EQ(std::memcmp(buffer, sent.data(), sent.size()), 0) << n;

    const auto delivered = frame(100 + n, static_cast<uint8_t>(n + 1));
    ASSERT_TRUE(s.server.deliver(delivered.data(), static_cast<uint32_t>(delivered.size())));
    uint8_t out[dq::net_max_frame_bytes] = {};
    ASSERT_EQ(s.client.receive(out, sizeof out), delivered.size()) << n;
    EXPECT_EQ(std::memcmp(out, delivered.data(), delivered.size()), 0) << n;
  }
  EXPECT_EQ(s.server.take_transmitted(buffer), 0u);
  uint8_t out[dq::net_max_frame_bytes];
  EXPECT_EQ(s.client.receive(out, sizeof out), 0u);
  EXPECT_EQ(s.client.dropped_frames(), 0u);
  s.client.ring();
  EXPECT_EQ(s.rings, 1u);
  EXPECT_EQ(std::memcmp(s.client.mac(), mac, 6), 0);
}

TEST(NetQueue, LengthBoundsOnBothSides) {
  Port s;
  const auto big = frame(dq::net_max_frame_bytes + 1, 1);
  EXPECT_EQ(s.client.send(big.data(), dq::net_min_frame_bytes - 1), Net_status::bad_length);
  EXPECT_EQ(s.client.send(big.data(), dq::net_max_frame_bytes + 1), Net_status::bad_length);
  EXPECT_EQ(s.client.send(big.data(), 0), Net_status::bad_length);
  EXPECT_EQ(s.region->header().transmit.produced, 0u) << "nothing queued";
  ASSERT_EQ(s.client.send(big.data(), dq::net_min_frame_bytes), Net_status::ok);
  ASSERT_EQ(s.client.send(big.data(), dq::net_max_frame_bytes), Net_status::ok);
  EXPECT_EQ(s.server.take_transmitted(buffer), dq::net_min_frame_bytes);
  EXPECT_EQ(s.server.take_transmitted(buffer), dq::net_max_frame_bytes);

  EXPECT_FALSE(s.server.deliver(big.data(), dq::net_min_frame_bytes - 1));
  EXPECT_FALSE(s.server.deliver(big.data(), dq::net_max_frame_bytes + 1));
  EXPECT_EQ(s.region->header().receive.produced, 0u);
  EXPECT_TRUE(s.server.deliver(big.data(), dq::net_min_frame_bytes));
  EXPECT_TRUE(s.server.deliver(big.data(), dq::net_max_frame_bytes));
  uint8_t out[dq::net_max_frame_bytes];
  EXPECT_EQ(s.client.receive(out, sizeof out), dq::net_min_frame_bytes);
  EXPECT_EQ(s.client.receive(out, sizeof out), dq::net_max_frame_bytes);
}

TEST(NetQueue, ClientDropsLengthsTheDriverShouldNeverWrite) {
  Port s;
  dq::Producer<dq::Net_frame, dq::net_queue_depth> driver(&s.region->header().receive);
  for (uint32_t lie : {0u, dq::net_min_frame_bytes - 1, dq::net_max_frame_bytes + 1, 0xFFFF'FFFFu}) {
    ASSERT_EQ(driver.push({lie, 0}), dq::Ring_status::ok);
  }
  const auto good = frame(64, 4);
  std::memcpy(s.region->bytes + dq::net_receive_slot_offset(4), good.data(), good.size());
  ASSERT_EQ(driver.push({64, 0}), dq::Ring_status::ok);
  // Red zones around `out`: a bad length must not copy past it.
  std::vector<uint8_t> out(dq::net_max_frame_bytes + 64, 0xAB);
  EXPECT_EQ(s.client.receive(out.data() + 32, dq::net_max_frame_bytes), 64u) << "the good frame after the bad ones";
  EXPECT_EQ(std::memcmp(out.data() + 32, good.data(), 64), 0);
  EXPECT_EQ(out[32 + 64], 0xAB);
  EXPECT_EQ(s.client.dropped_frames(), 4u);
  EXPECT_EQ(s.client.state(), Net_status::ok) << "bad frames are dropped, the port serves on";
}

TEST(NetQueue, ClientDropsAFrameTooLongForItsBuffer) {
  Port s;
  const auto f = frame(200, 2);
  ASSERT_TRUE(s.server.deliver(f.data(), 200));
  ASSERT_TRUE(s.server.deliver(f.data(), 60));
  uint8_t out[100] = {};
  EXPECT_EQ(s.client.receive(out, sizeof out), 60u);
  EXPECT_EQ(s.client.dropped_frames(), 1u);
}

TEST(NetQueue, ServerDropsLengthsTheClientShouldNeverWrite) {
  Port s;
  dq::Producer<dq::Net_frame, dq::net_queue_depth> client(&s.region->header().transmit);
  ASSERT_EQ(client.push({dq::net_max_frame_bytes + 1, 0}), dq::Ring_status::ok);
  ASSERT_EQ(client.push({3, 0}), dq::Ring_status::ok);
  ASSERT_EQ(client.push({20, 0}), dq::Ring_status::ok);
  EXPECT_EQ(s.server.take_transmitted(buffer), 20u);
  EXPECT_EQ(s.server.bad_frames(), 2u);
  EXPECT_FALSE(s.server.corrupt());
}

TEST(NetQueue, FullTransmitRingRefusesWithoutOverwriting) {
  Port s;
  for (uint32_t n = 0; n < dq::net_queue_depth; ++n) {
    const auto f = frame(64, static_cast<uint8_t>(n));
    ASSERT_EQ(s.client.send(f.data(), 64), Net_status::ok) << n;
  }
  const auto extra = frame(64, 200);
  EXPECT_EQ(s.client.send(extra.data(), 64), Net_status::full);
  ASSERT_EQ(s.server.take_transmitted(buffer), 64u);
  EXPECT_EQ(std::memcmp(buffer, frame(64, 0).data(), 64), 0) << "the refused send wrote no slot";
  ASSERT_EQ(s.client.send(extra.data(), 64), Net_status::ok);
  for (uint32_t n = 1; n < dq::net_queue_depth; ++n) {
    ASSERT_EQ(s.server.take_transmitted(buffer), 64u);
    EXPECT_EQ(std::memcmp(buffer, frame(64, static_cast<uint8_t>(n)).data(), 64), 0) << n;
  }
  ASSERT_EQ(s.server.take_transmitted(buffer), 64u);
  EXPECT_EQ(std::memcmp(buffer, extra.data(), 64), 0);
}

TEST(NetQueue, FullReceiveRingRefusesWithoutOverwriting) {
  Port s;
  for (uint32_t n = 0; n < dq::net_queue_depth; ++n) {
    ASSERT_TRUE(s.server.deliver(frame(64, static_cast<uint8_t>(n)).data(), 64)) << n;
  }
  EXPECT_TRUE(s.server.receive_full());
  EXPECT_FALSE(s.server.deliver(frame(64, 200).data(), 64));
  uint8_t out[dq::net_max_frame_bytes];
  ASSERT_EQ(s.client.receive(out, sizeof out), 64u);
  EXPECT_EQ(std::memcmp(out, frame(64, 0).data(), 64), 0) << "the refused frame wrote no slot";
  EXPECT_FALSE(s.server.receive_full());
  EXPECT_TRUE(s.server.deliver(frame(64, 201).data(), 64));
  EXPECT_FALSE(s.server.corrupt());
}

TEST(NetQueue, CorruptIndicesPutThePortOutOfService) {
  Port s;
  const auto f = frame(64, 1);
  s.region->header().transmit.consumed = 7;  // the driver took frames never sent
  EXPECT_EQ(s.client.send(f.data(), 64), Net_status::corrupt);
  s.region->header().transmit.consumed = 0;
  EXPECT_EQ(s.client.send(f.data(), 64), Net_status::corrupt) << "for good";

  Port r;
  r.region->header().receive.produced = dq::net_queue_depth + 1;
  uint8_t out[dq::net_max_frame_bytes];
  EXPECT_EQ(r.client.receive(out, sizeof out), 0u);
  EXPECT_EQ(r.client.state(), Net_status::corrupt);

  Port t;
  t.region->header().transmit.produced = ~0u;  // the client claims frames before the first
  EXPECT_EQ(t.server.take_transmitted(buffer), 0u);
  EXPECT_TRUE(t.server.corrupt());
  EXPECT_FALSE(t.server.deliver(f.data(), 64));

  Port u;
  u.region->header().receive.consumed = 3;  // the client read frames never delivered
  EXPECT_FALSE(u.server.deliver(f.data(), 64));
  EXPECT_TRUE(u.server.corrupt());
}

TEST(NetQueue, StoppedDriverEndsSendsAndReceives) {
  Port s;
  const auto f = frame(64, 1);
  ASSERT_TRUE(s.server.deliver(f.data(), 64));
  EXPECT_TRUE(s.client.wait()) << "an empty word changes nothing";
  s.client.notice(dq::responses_bit);
  EXPECT_EQ(s.client.state(), Net_status::ok);
  s.client.notice(dq::driver_stopped_bit | dq::responses_bit);
  EXPECT_EQ(s.client.state(), Net_status::driver_stopped);
  EXPECT_EQ(s.client.send(f.data(), 64), Net_status::driver_stopped);
  uint8_t out[dq::net_max_frame_bytes];
  EXPECT_EQ(s.client.receive(out, sizeof out), 0u);
  EXPECT_EQ(s.region->header().transmit.produced, 0u);

  Port w;
  uint32_t rings = 0;
  kestrel::Net_queue_client<Fake_doorbell> waiting(w.region->address(), mac, {&rings, dq::driver_stopped_bit});
  EXPECT_FALSE(waiting.wait());
  EXPECT_EQ(waiting.state(), Net_status::driver_stopped);
}

namespace {

struct Described_doorbell {
  explicit Described_doorbell(const kestrel::Net_client_description&) {}
  void ring() const {}
  uint64_t wait() const { return 0; }
};

}  // namespace

TEST(NetQueue, ClientFromItsDescription) {
  auto region = std::make_unique<Region>();
  const kestrel::Net_client_description description{
      "lan", "app", 1, region->address(), {0x02, 1, 2, 3, 4, 5}, 3, 4, dq::responses_bit, dq::driver_stopped_bit};
  kestrel::Net_queue_client<Described_doorbell> client(description);
  EXPECT_EQ(client.mac()[5], 5);
  const auto f = frame(64, 1);
  ASSERT_EQ(client.send(f.data(), 64), Net_status::ok);
  EXPECT_EQ(region->header().transmit.produced, 1u);
  EXPECT_EQ(std::memcmp(region->bytes + dq::net_transmit_slot_offset(0), f.data(), 64), 0);
}
