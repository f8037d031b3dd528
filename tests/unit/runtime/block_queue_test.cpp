// SPDX-License-Identifier: Apache-2.0
// Block queue tests: the client library (block_queue_client.hpp) and the
// driver's side (block_queue_server.hpp) over one queue region on the host,
// with a fake doorbell whose wait() lets a fake driver serve, and a fake
// disk behind it. Slices, read-only, bad slots, slot reuse, out-of-order
// answers, lying drivers, rogue clients and a driver that stops.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <vector>

#include <kestrel/block_queue_client.hpp>
#include <kestrel/block_queue_server.hpp>

namespace {

namespace dq = kestrel::device_queue;
using dq::Block_operation;
using dq::Block_request;
using dq::Block_response;
using dq::Block_status;

struct alignas(4096) Region {
  uint8_t bytes[dq::block_queue_bytes] = {};
  uintptr_t address() { return reinterpret_cast<uintptr_t>(bytes); }
  dq::Block_queue_header& header() { return *reinterpret_cast<dq::Block_queue_header*>(bytes); }
};

constexpr uint64_t physical_base = 0x8000'0000;
constexpr uint64_t disk_sectors = 8192;
constexpr kestrel::Block_slice slice{1000, 4096, false};

struct Doorbell_log {
  uint32_t rings = 0;
  uint32_t waits = 0;
  std::function<uint64_t()> on_wait;
};

// What a test's wait() does: the driver serves, or the kernel says it stopped.
struct Fake_doorbell {
  Doorbell_log* log;
  void ring() const { ++log->rings; }
  uint64_t wait() const {
    // A client that waits forever would hang the test: end it instead
    // (GoogleTest reports the exception as the test's failure).
    if (++log->waits > 10'000) throw std::runtime_error("the client keeps waiting");
    return log->on_wait ? log->on_wait() : 0;
  }
};

using Client = kestrel::Block_queue_client<Fake_doorbell>;

// The driver: a server over the region and a disk of disk_sectors.
struct Fake_driver {
  Fake_driver(Region& region, kestrel::Block_slice s)
      : server(region.address(), physical_base, s), disk(disk_sectors * dq::sector_bytes, 0xEE) {}

  // Takes everything it may, then answers (last taken first when `reverse`).
  void serve(bool reverse = true) {
    std::vector<kestrel::Block_work> taken;
    kestrel::Block_work work{};
    while (server.take(work) == kestrel::Block_take::work) taken.push_back(work);
    if (reverse) std::reverse(taken.begin(), taken.end());
    for (const auto& w : taken) EXPECT_TRUE(server.respond(w, perform(w)));
  }

  Block_status perform(const kestrel::Block_work& w) {
    if (w.refusal != Block_status::ok) return w.refusal;
    operations.push_back(w.request.operation);
    if (w.request.operation == Block_operation::flush) return Block_status::ok;
    EXPECT_LE((w.disk_sector + w.request.sectors) * dq::sector_bytes, disk.size());
    uint8_t* place = disk.data() + w.disk_sector * dq::sector_bytes;
    if (w.request.operation == Block_operation::read) {
      std::memcpy(w.data, place, w.bytes);
    } else {
      std::memcpy(place, w.data, w.bytes);
    }
    return Block_status::ok;
  }

  kestrel::Block_queue_server server;
  std::vector<uint8_t> disk;
  std::vector<Block_operation> operations;
};

struct Queue {
  explicit Queue(kestrel::Block_slice s = slice)
      : region(std::make_unique<Region>()),
        driver(*region, s),
        client(region->address(), s.sectors, s.read_only, Fake_doorbell{&log}) {
    log.on_wait = [this] {
      driver.serve();
      return dq::responses_bit;
    };
  }
  std::unique_ptr<Region> region;
  Doorbell_log log;
  Fake_driver driver;
  Client client;
};

std::vector<uint8_t> pattern(uint64_t sectors, uint8_t seed) {
  std::vector<uint8_t> bytes(sectors * dq::sector_bytes);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 131 + seed + i / 512);
  return bytes;
}

// A client-side push of any request, as a client without the library may.
struct Rogue_client {
  explicit Rogue_client(Region& region) : requests(&region.header().requests), responses(&region.header().responses) {}
  dq::Producer<Block_request, dq::block_queue_depth> requests;
  dq::Consumer<Block_response, dq::block_queue_depth> responses;
};

}  // namespace

TEST(BlockQueue, WritesAndReadsBackOnlyInsideTheSlice) {
  Queue s;
  // 16 full slots and then some: more than one round of requests in flight.
  const uint64_t count = dq::block_queue_depth * dq::block_slot_sectors + 37;
  const auto data = pattern(count, 3);
  ASSERT_EQ(s.client.write(100, count, data.data()), Block_status::ok);
  std::vector<uint8_t> back(data.size(), 0);
  ASSERT_EQ(s.client.read(100, count, back.data()), Block_status::ok);
  EXPECT_EQ(back, data);
  const uint64_t first_byte = (slice.first_sector + 100) * dq::sector_bytes;
  EXPECT_EQ(std::memcmp(s.driver.disk.data() + first_byte, data.data(), data.size()), 0) << "absolute sectors";
  EXPECT_TRUE(
      std::all_of(s.driver.disk.begin(), s.driver.disk.begin() + first_byte, [](uint8_t b) { return b == 0xEE; }));
  EXPECT_TRUE(std::all_of(s.driver.disk.begin() + first_byte + data.size(), s.driver.disk.end(),
                          [](uint8_t b) { return b == 0xEE; }));
  EXPECT_EQ(s.client.in_flight(), 0u);
  EXPECT_EQ(s.client.free_slots(), dq::block_queue_depth);
  EXPECT_EQ(s.driver.server.pending(), 0u);
}

TEST(BlockQueue, BlockingCallsRefuseWithoutARoundTrip) {
  kestrel::Block_slice read_only = slice;
  read_only.read_only = true;
  Queue s(read_only);
  uint8_t buffer[dq::sector_bytes] = {};
  EXPECT_EQ(s.client.write(0, 1, buffer), Block_status::read_only);
  EXPECT_EQ(s.client.read(slice.sectors, 1, buffer), Block_status::outside_slice);
  EXPECT_EQ(s.client.read(slice.sectors - 1, 2, buffer), Block_status::outside_slice);
  EXPECT_EQ(s.client.read(~uint64_t{0}, 2, buffer), Block_status::outside_slice) << "sector + count overflows";
  EXPECT_EQ(s.client.read(1, ~uint64_t{0}, buffer), Block_status::outside_slice);
  EXPECT_EQ(s.client.read(5, 0, buffer), Block_status::ok) << "nothing to do";
  EXPECT_EQ(s.log.rings, 0u);
  EXPECT_EQ(s.region->header().requests.produced, 0u) << "nothing queued";
  ASSERT_EQ(s.client.read(slice.sectors - 1, 1, buffer), Block_status::ok) << "the last sector is the slice's";
  EXPECT_EQ(s.client.flush(), Block_status::ok) << "a flush of a read-only slice is harmless";
}

TEST(BlockQueue, SubmitChecksSlotsSectorsAndSlice) {
  kestrel::Block_slice read_only = slice;
  read_only.read_only = true;
  Queue s(read_only);
  const uint32_t slot = s.client.allocate_slot();
  ASSERT_NE(slot, kestrel::no_free_slot);
  EXPECT_EQ(s.client.submit_read(1, 0, 0, slot), Block_status::bad_request);
  EXPECT_EQ(s.client.submit_read(1, 0, dq::block_slot_sectors + 1, slot), Block_status::bad_request);
  EXPECT_EQ(s.client.submit_read(1, 0, 1, dq::block_queue_depth), Block_status::bad_request) << "slot out of range";
  EXPECT_EQ(s.client.submit_read(1, 0, 1, slot + 1), Block_status::bad_request) << "a slot not allocated";
  EXPECT_EQ(s.client.submit_write(1, 0, 1, slot), Block_status::read_only);
  EXPECT_EQ(s.client.submit_read(1, slice.sectors - 1, 2, slot), Block_status::outside_slice);
  EXPECT_EQ(s.client.submit_read(1, ~uint64_t{0} - 1, 4, slot), Block_status::outside_slice);
  EXPECT_EQ(s.region->header().requests.produced, 0u);
  ASSERT_EQ(s.client.submit_read(1, 0, 1, slot), Block_status::ok);
  EXPECT_EQ(s.client.submit_read(2, 0, 1, slot), Block_status::bad_request) << "already in flight";
  EXPECT_EQ(s.region->header().requests.produced, 1u);
  EXPECT_EQ(s.client.slot_data(dq::block_queue_depth), nullptr);
  EXPECT_EQ(s.client.slot_data(3), s.region->bytes + dq::block_slot_offset(3));
}

TEST(BlockQueue, ASlotIsReusedOnlyAfterItsResponse) {
  Queue s;
  uint32_t slots[dq::block_queue_depth];
  for (auto& slot : slots) {
    slot = s.client.allocate_slot();
    ASSERT_NE(slot, kestrel::no_free_slot);
  }
  EXPECT_EQ(s.client.allocate_slot(), kestrel::no_free_slot);
  for (uint32_t i = 0; i < dq::block_queue_depth; ++i) {
    ASSERT_EQ(s.client.submit_read(100 + i, i, 1, slots[i]), Block_status::ok);
  }
  s.client.release_slot(slots[4]);
  EXPECT_EQ(s.client.allocate_slot(), kestrel::no_free_slot) << "releasing a slot in flight does nothing";
  s.client.ring();
  EXPECT_EQ(s.log.rings, 1u);
  Block_response response{};
  EXPECT_FALSE(s.client.take_response(response)) << "the driver has not answered";
  EXPECT_EQ(s.client.allocate_slot(), kestrel::no_free_slot);
  // The driver answers only the first request.
  kestrel::Block_work work{};
  ASSERT_EQ(s.driver.server.take(work), kestrel::Block_take::work);
  ASSERT_TRUE(s.driver.server.respond(work, Block_status::ok));
  EXPECT_EQ(s.client.allocate_slot(), kestrel::no_free_slot) << "not before the response is taken";
  ASSERT_TRUE(s.client.take_response(response));
  EXPECT_EQ(response.tag, 100u);
  EXPECT_EQ(response.slot, slots[0]);
  EXPECT_EQ(s.client.allocate_slot(), slots[0]);
}

TEST(BlockQueue, ResponsesComeInAnyOrder) {
  Queue s;
  uint32_t slots[3];
  for (uint32_t i = 0; i < 3; ++i) {
    slots[i] = s.client.allocate_slot();
    ASSERT_EQ(s.client.submit_read(10 + i, i, 1, slots[i]), Block_status::ok);
  }
  kestrel::Block_work work[3];
  for (auto& w : work) ASSERT_EQ(s.driver.server.take(w), kestrel::Block_take::work);
  for (uint32_t i : {2u, 0u, 1u}) ASSERT_TRUE(s.driver.server.respond(work[i], Block_status::ok));
  for (uint32_t i : {2u, 0u, 1u}) {
    Block_response response{};
    ASSERT_TRUE(s.client.take_response(response));
    EXPECT_EQ(response.tag, 10 + i);
    EXPECT_EQ(response.slot, slots[i]);
    EXPECT_EQ(response.status, Block_status::ok);
  }
  EXPECT_EQ(s.client.state(), Block_status::ok);
  EXPECT_EQ(s.client.rejected_responses(), 0u);
}

TEST(BlockQueue, FlushReachesTheDriverAfterTheWrites) {
  Queue s;
  const auto data = pattern(8, 1);
  ASSERT_EQ(s.client.write(0, 8, data.data()), Block_status::ok);
  ASSERT_EQ(s.client.flush(), Block_status::ok);
  ASSERT_EQ(s.driver.operations.size(), 2u);
  EXPECT_EQ(s.driver.operations[0], Block_operation::write);
  EXPECT_EQ(s.driver.operations[1], Block_operation::flush);
}

TEST(BlockQueue, ServerWorksOutTheDisksAddresses) {
  Queue s;
  const uint32_t slot = 5;
  for (uint32_t i = 0; i < slot; ++i) s.client.allocate_slot();
  ASSERT_EQ(s.client.allocate_slot(), slot);
  ASSERT_EQ(s.client.submit_write(77, slice.sectors - 128, 128, slot), Block_status::ok);
  kestrel::Block_work work{};
  ASSERT_EQ(s.driver.server.take(work), kestrel::Block_take::work);
  EXPECT_EQ(work.refusal, Block_status::ok);
  EXPECT_EQ(work.request.tag, 77u);
  EXPECT_EQ(work.disk_sector, slice.first_sector + slice.sectors - 128);
  EXPECT_EQ(work.data, s.region->bytes + dq::block_slot_offset(slot));
  EXPECT_EQ(work.data_physical, physical_base + dq::block_slot_offset(slot));
  EXPECT_EQ(work.bytes, dq::block_slot_bytes);
}

TEST(BlockQueue, ServerRefusesWhatARogueClientSends) {
  kestrel::Block_slice read_only = slice;
  read_only.read_only = true;
  Queue s(read_only);
  Rogue_client rogue(*s.region);
  struct Case {
    Block_request request;
    Block_status expected;
  };
  const Case cases[] = {
      {{1, 0, 1, 0, Block_operation::read, 0}, Block_status::ok},
      {{2, 0, 1, 0, Block_operation::read, 0}, Block_status::bad_request},  // slot 0 is still busy
      {{3, 0, 1, dq::block_queue_depth, Block_operation::read, 0}, Block_status::bad_request},
      {{4, 0, 1, 1, static_cast<Block_operation>(7), 0}, Block_status::bad_request},
      {{5, 0, 0, 1, Block_operation::read, 0}, Block_status::bad_request},
      {{6, 0, dq::block_slot_sectors + 1, 1, Block_operation::read, 0}, Block_status::bad_request},
      {{7, 0, 1, 1, Block_operation::flush, 0}, Block_status::bad_request},  // a flush moves no sectors
      {{8, 0, 1, 1, Block_operation::write, 0}, Block_status::read_only},
      {{9, slice.sectors, 1, 1, Block_operation::read, 0}, Block_status::outside_slice},
      {{10, ~uint64_t{0}, 2, 1, Block_operation::read, 0}, Block_status::outside_slice},
      {{11, 0, 0, 1, Block_operation::flush, 0}, Block_status::ok},
  };
  // The first stays unanswered, so slot 0 is busy for the second.
  ASSERT_EQ(rogue.requests.push(cases[0].request), dq::Ring_status::ok);
  kestrel::Block_work first{};
  ASSERT_EQ(s.driver.server.take(first), kestrel::Block_take::work);
  EXPECT_EQ(first.refusal, Block_status::ok);
  for (const Case& c : cases) {
    if (&c == &cases[0]) continue;
    ASSERT_EQ(rogue.requests.push(c.request), dq::Ring_status::ok);
    kestrel::Block_work work{};
    ASSERT_EQ(s.driver.server.take(work), kestrel::Block_take::work) << c.request.tag;
    EXPECT_EQ(work.refusal, c.expected) << c.request.tag;
    if (c.expected != Block_status::ok) {
      EXPECT_EQ(work.data, nullptr) << c.request.tag;
    }
    ASSERT_TRUE(s.driver.server.respond(work, Block_status::ok)) << c.request.tag;
    Block_response response{};
    ASSERT_EQ(rogue.responses.pop(response), dq::Ring_status::ok);
    EXPECT_EQ(response.tag, c.request.tag);
    EXPECT_EQ(response.status, c.expected) << "a refusal is answered with the refusal";
  }
  ASSERT_TRUE(s.driver.server.respond(first, Block_status::io_error));
  EXPECT_FALSE(s.driver.server.respond(first, Block_status::ok)) << "answered already";
  Block_response response{};
  ASSERT_EQ(rogue.responses.pop(response), dq::Ring_status::ok);
  EXPECT_EQ(response.tag, 1u);
  EXPECT_EQ(response.status, Block_status::io_error);
}

TEST(BlockQueue, ClientAndServerGiveTheSameAnswer) {
  const uint64_t sectors[] = {0, 1, 127, 128, 129, slice.sectors - 1, slice.sectors, ~uint64_t{0}};
  for (bool read_only : {false, true}) {
    const kestrel::Block_slice s_slice{slice.first_sector, slice.sectors, read_only};
    for (Block_operation operation : {Block_operation::read, Block_operation::write}) {
      for (uint64_t sector : sectors) {
        for (uint64_t count : {0, 1, 128, 129}) {
          auto region = std::make_unique<Region>();
          Doorbell_log log;
          Client client(region->address(), s_slice.sectors, read_only, Fake_doorbell{&log});
          kestrel::Block_queue_server server(region->address(), 0, s_slice);
          const uint32_t slot = client.allocate_slot();
          const auto sectors32 = static_cast<uint32_t>(count);
          const Block_status by_client = operation == Block_operation::read
                                             ? client.submit_read(0, sector, sectors32, slot)
                                             : client.submit_write(0, sector, sectors32, slot);
          // What the server says of the same request pushed raw.
          Rogue_client rogue(*region);
          if (by_client == Block_status::ok) {
            ASSERT_EQ(region->header().requests.produced, 1u);
          } else {
            ASSERT_EQ(rogue.requests.push({0, sector, sectors32, slot, operation, 0}), dq::Ring_status::ok);
          }
          kestrel::Block_work work{};
          ASSERT_EQ(server.take(work), kestrel::Block_take::work);
          EXPECT_EQ(work.refusal, by_client) << "read_only " << read_only << " op " << static_cast<int>(operation)
                                             << " sector " << sector << " count " << count;
        }
      }
    }
  }
}

TEST(BlockQueue, ServerTakesNoRequestWithoutRoomForItsResponse) {
  Queue s;
  Rogue_client rogue(*s.region);
  // 16 answered requests the client never reads fill the response ring.
  for (uint32_t i = 0; i < dq::block_queue_depth; ++i) {
    ASSERT_EQ(rogue.requests.push({i, 0, 1, i, Block_operation::read, 0}), dq::Ring_status::ok);
  }
  s.driver.serve();
  ASSERT_EQ(rogue.requests.push({99, 0, 1, 0, Block_operation::read, 0}), dq::Ring_status::ok);
  kestrel::Block_work work{};
  EXPECT_EQ(s.driver.server.take(work), kestrel::Block_take::none) << "its response would have no place";
  Block_response response{};
  ASSERT_EQ(rogue.responses.pop(response), dq::Ring_status::ok);
  ASSERT_EQ(s.driver.server.take(work), kestrel::Block_take::work);
  EXPECT_EQ(work.request.tag, 99u);
}

TEST(BlockQueue, ServerStopsServingACorruptQueue) {
  Queue s;
  s.region->header().requests.produced = dq::block_queue_depth + 1;
  kestrel::Block_work work{};
  EXPECT_EQ(s.driver.server.take(work), kestrel::Block_take::corrupt);
  s.region->header().requests.produced = 0;
  EXPECT_EQ(s.driver.server.take(work), kestrel::Block_take::corrupt) << "for good";
  EXPECT_TRUE(s.driver.server.corrupt());

  Queue t;
  t.region->header().responses.consumed = 5;  // the client claims responses never sent
  EXPECT_EQ(t.driver.server.take(work), kestrel::Block_take::corrupt);
}

// ---- Lying drivers -------------------------------------------------------

namespace {

// Two reads in flight (tags 1 and 2 on slots 0 and 1), then `lie` is pushed
// as the driver's response.
void expect_lie_breaks_the_queue(const Block_response& lie) {
  Queue s;
  for (uint64_t tag : {1, 2}) ASSERT_EQ(s.client.submit_read(tag, 0, 1, s.client.allocate_slot()), Block_status::ok);
  dq::Producer<Block_response, dq::block_queue_depth> driver(&s.region->header().responses);
  ASSERT_EQ(driver.push(lie), dq::Ring_status::ok);
  Block_response response{};
  for (uint32_t i = 0; i < 2; ++i) {
    ASSERT_TRUE(s.client.take_response(response));
    EXPECT_EQ(response.status, Block_status::io_error);
    EXPECT_EQ(response.tag, i + 1u) << "the requests in flight end, not the lie";
  }
  EXPECT_FALSE(s.client.take_response(response));
  EXPECT_EQ(s.client.state(), Block_status::io_error);
  EXPECT_EQ(s.client.rejected_responses(), 1u);
  EXPECT_EQ(s.client.submit_read(3, 0, 1, s.client.allocate_slot()), Block_status::io_error);
  uint8_t buffer[dq::sector_bytes];
  EXPECT_EQ(s.client.read(0, 1, buffer), Block_status::io_error);
}

}  // namespace

TEST(BlockQueue, ResponseForASlotNotInFlightBreaksTheQueue) { expect_lie_breaks_the_queue({1, 5, Block_status::ok}); }

TEST(BlockQueue, ResponseWithAnotherTagBreaksTheQueue) { expect_lie_breaks_the_queue({2, 0, Block_status::ok}); }

TEST(BlockQueue, ResponseForASlotOutOfRangeBreaksTheQueue) {
  expect_lie_breaks_the_queue({1, dq::block_queue_depth, Block_status::ok});
}

TEST(BlockQueue, CorruptResponseIndexBreaksTheQueue) {
  Queue s;
  ASSERT_EQ(s.client.submit_read(1, 0, 1, s.client.allocate_slot()), Block_status::ok);
  s.region->header().responses.produced = dq::block_queue_depth + 1;
  Block_response response{};
  ASSERT_TRUE(s.client.take_response(response));
  EXPECT_EQ(response.status, Block_status::io_error);
  EXPECT_EQ(response.tag, 1u);
  EXPECT_EQ(s.client.state(), Block_status::io_error);
  EXPECT_EQ(s.client.rejected_responses(), 0u) << "no response was read";
}

TEST(BlockQueue, CorruptRequestIndexBreaksTheQueue) {
  Queue s;
  s.region->header().requests.consumed = 3;  // the driver took requests never sent
  EXPECT_EQ(s.client.submit_read(1, 0, 1, s.client.allocate_slot()), Block_status::io_error);
  EXPECT_EQ(s.client.in_flight(), 0u);
  EXPECT_EQ(s.client.state(), Block_status::io_error);
}

TEST(BlockQueue, StatusesADriverNeverSendsAreIoErrors) {
  Queue s;
  ASSERT_EQ(s.client.submit_read(1, 0, 1, s.client.allocate_slot()), Block_status::ok);
  ASSERT_EQ(s.client.submit_read(2, 0, 1, s.client.allocate_slot()), Block_status::ok);
  dq::Producer<Block_response, dq::block_queue_depth> driver(&s.region->header().responses);
  ASSERT_EQ(driver.push({1, 0, Block_status::driver_stopped}), dq::Ring_status::ok);
  ASSERT_EQ(driver.push({2, 1, static_cast<Block_status>(1234)}), dq::Ring_status::ok);
  Block_response response{};
  for (uint64_t tag : {1, 2}) {
    ASSERT_TRUE(s.client.take_response(response));
    EXPECT_EQ(response.tag, tag);
    EXPECT_EQ(response.status, Block_status::io_error);
  }
  EXPECT_EQ(s.client.state(), Block_status::ok) << "a failed request, not a lie";
}

// ---- A driver that stops -------------------------------------------------

TEST(BlockQueue, StoppedDriverEndsEveryRequestInFlightAndLater) {
  Queue s;
  for (uint64_t tag : {1, 2, 3}) ASSERT_EQ(s.client.submit_read(tag, 0, 1, s.client.allocate_slot()), Block_status::ok);
  s.client.notice(dq::responses_bit);
  EXPECT_EQ(s.client.state(), Block_status::ok);
  s.client.notice(dq::driver_stopped_bit);
  std::vector<uint64_t> tags;
  Block_response response{};
  while (s.client.take_response(response)) {
    EXPECT_EQ(response.status, Block_status::driver_stopped);
    tags.push_back(response.tag);
  }
  EXPECT_EQ(tags, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(s.client.free_slots(), dq::block_queue_depth);
  EXPECT_EQ(s.client.submit_read(4, 0, 1, s.client.allocate_slot()), Block_status::driver_stopped);
  uint8_t buffer[dq::sector_bytes];
  EXPECT_EQ(s.client.read(0, 1, buffer), Block_status::driver_stopped);
  EXPECT_EQ(s.client.write(0, 1, buffer), Block_status::driver_stopped);
  EXPECT_EQ(s.client.flush(), Block_status::driver_stopped);
}

TEST(BlockQueue, BlockingReadEndsWhenTheDriverStopsMidway) {
  Queue s;
  // The driver answers one round, then dies: the kernel's stop bit rings.
  s.log.on_wait = [&s] {
    if (s.log.waits == 1) {
      s.driver.serve();
      return dq::responses_bit;
    }
    return dq::driver_stopped_bit;
  };
  const uint64_t count = slice.sectors - 96;  // two rounds of 16 requests
  std::vector<uint8_t> buffer(count * dq::sector_bytes);
  EXPECT_EQ(s.client.read(0, count, buffer.data()), Block_status::driver_stopped);
  EXPECT_EQ(s.log.waits, 2u);
  EXPECT_EQ(s.client.in_flight(), 0u);
}

TEST(BlockQueue, BlockingWriteNeverHangsOnAStoppedDriver) {
  Queue s;
  s.log.on_wait = [] { return dq::driver_stopped_bit; };  // it never answers
  const auto data = pattern(40, 9);
  EXPECT_EQ(s.client.write(0, 40, data.data()), Block_status::driver_stopped);
  EXPECT_EQ(s.log.waits, 1u);
  EXPECT_EQ(s.client.flush(), Block_status::driver_stopped);
}

TEST(BlockQueue, BlockingCallsWantNothingInFlight) {
  Queue s;
  ASSERT_EQ(s.client.submit_read(1, 0, 1, s.client.allocate_slot()), Block_status::ok);
  uint8_t buffer[dq::sector_bytes];
  EXPECT_EQ(s.client.read(0, 1, buffer), Block_status::bad_request);
  EXPECT_EQ(s.client.flush(), Block_status::bad_request);
}

// ---- From the generated description --------------------------------------

namespace {

struct Described_doorbell {
  explicit Described_doorbell(const kestrel::Block_client_description& d) : ring_slot(d.ring_driver) {}
  void ring() const {}
  uint64_t wait() const { return dq::driver_stopped_bit; }
  uint64_t ring_slot;
};

}  // namespace

TEST(BlockQueue, ClientFromItsDescription) {
  auto region = std::make_unique<Region>();
  const kestrel::Block_client_description description{"disk", "app", 2, region->address(), 64,
                                                      true,   7,     8, dq::responses_bit, dq::driver_stopped_bit};
  kestrel::Block_queue_client<Described_doorbell> client(description);
  EXPECT_EQ(client.sectors(), 64u);
  EXPECT_TRUE(client.read_only());
  EXPECT_EQ(client.slot_data(0), region->bytes + dq::queue_header_bytes);
  uint8_t buffer[dq::sector_bytes];
  EXPECT_EQ(client.read(64, 1, buffer), Block_status::outside_slice);
}
