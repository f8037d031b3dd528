// SPDX-License-Identifier: Apache-2.0
// Device ring tests: the one-producer, one-consumer ring of
// runtime/include/kestrel/device_queue.hpp on the host: empty, full, order,
// the wrap of the indices at 2^32, indices the other side corrupted, and a
// producer racing a consumer on two threads.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <thread>

#include <kestrel/device_queue.hpp>

namespace {

using kestrel::device_queue::Consumer;
using kestrel::device_queue::Producer;
using kestrel::device_queue::Ring;
using kestrel::device_queue::Ring_status;

// Two words that check each other, so a torn or stale copy shows.
struct Entry {
  uint64_t number;
  uint64_t check;
};

Entry entry(uint64_t n) { return {n, ~n * 7}; }
bool whole(const Entry& e) { return e.check == ~e.number * 7; }

constexpr uint32_t size = 8;
using Test_ring = Ring<Entry, size>;

// A zeroed ring with both sides at `start`, as if that many entries had
// passed.
struct Fixture {
  explicit Fixture(uint32_t start = 0)
      : ring(std::make_unique<Test_ring>()), producer(ring.get(), start), consumer(ring.get(), start) {
    ring->produced = start;
    ring->consumed = start;
  }
  std::unique_ptr<Test_ring> ring;
  Producer<Entry, size> producer;
  Consumer<Entry, size> consumer;
};

// Built at compile time, as a constinit client needs.
constexpr Producer<Entry, size> compile_time_producer{uintptr_t{0x4000}};
constexpr Consumer<Entry, size> compile_time_consumer{uintptr_t{0x4000}, 5};
static_assert(compile_time_consumer.consumed() == 5 && compile_time_producer.next() == 0);

}  // namespace

TEST(DeviceRing, EmptyRingGivesNothing) {
  Fixture f;
  Entry out{1, 1};
  EXPECT_EQ(f.consumer.peek(out), Ring_status::empty_or_full);
  EXPECT_EQ(f.consumer.pop(out), Ring_status::empty_or_full);
  EXPECT_EQ(out.number, 1u) << "nothing copied";
  EXPECT_FALSE(f.consumer.advance()) << "nothing to give back";
  EXPECT_EQ(f.ring->consumed, 0u);
  EXPECT_EQ(f.producer.in_flight(), 0u);
  // The producer still works after the refused advance.
  ASSERT_EQ(f.producer.push(entry(9)), Ring_status::ok);
  ASSERT_EQ(f.consumer.pop(out), Ring_status::ok);
  EXPECT_EQ(out.number, 9u);
}

TEST(DeviceRing, FullRingRefusesUntilOneIsTaken) {
  Fixture f;
  for (uint32_t i = 0; i < size; ++i) ASSERT_EQ(f.producer.push(entry(i)), Ring_status::ok);
  EXPECT_EQ(f.producer.in_flight(), size);
  EXPECT_EQ(f.producer.push(entry(99)), Ring_status::empty_or_full);
  EXPECT_EQ(f.ring->produced, size) << "a refused push publishes nothing";
  Entry out{};
  ASSERT_EQ(f.consumer.pop(out), Ring_status::ok);
  EXPECT_EQ(out.number, 0u) << "the refused push overwrote no entry";
  ASSERT_EQ(f.producer.push(entry(100)), Ring_status::ok);
  for (uint64_t expected : {1, 2, 3, 4, 5, 6, 7, 100}) {
    ASSERT_EQ(f.consumer.pop(out), Ring_status::ok);
    EXPECT_EQ(out.number, expected);
  }
}

TEST(DeviceRing, PeekDoesNotTakeAndAdvanceDoes) {
  Fixture f;
  ASSERT_EQ(f.producer.push(entry(1)), Ring_status::ok);
  ASSERT_EQ(f.producer.push(entry(2)), Ring_status::ok);
  Entry out{};
  ASSERT_EQ(f.consumer.peek(out), Ring_status::ok);
  ASSERT_EQ(f.consumer.peek(out), Ring_status::ok);
  EXPECT_EQ(out.number, 1u);
  EXPECT_EQ(f.producer.in_flight(), 2u);
  EXPECT_TRUE(f.consumer.advance());
  EXPECT_EQ(f.producer.in_flight(), 1u);
  ASSERT_EQ(f.consumer.peek(out), Ring_status::ok);
  EXPECT_EQ(out.number, 2u);
}

TEST(DeviceRing, IndicesWrapAtTwoToThe32) {
  // Start 5 short of the wrap: the ring fills and drains across it.
  Fixture f(0xFFFF'FFFBu);
  uint64_t pushed = 0;
  uint64_t popped = 0;
  Entry out{};
  for (int round = 0; round < 4; ++round) {
    while (f.producer.push(entry(pushed)) == Ring_status::ok) ++pushed;
    EXPECT_EQ(f.producer.in_flight(), size) << "round " << round;
    EXPECT_EQ(f.producer.push(entry(0)), Ring_status::empty_or_full);
    for (int i = 0; i < 5; ++i) {
      ASSERT_EQ(f.consumer.pop(out), Ring_status::ok);
      EXPECT_EQ(out.number, popped++);
      EXPECT_TRUE(whole(out));
    }
  }
  while (f.consumer.pop(out) == Ring_status::ok) EXPECT_EQ(out.number, popped++);
  EXPECT_EQ(popped, pushed);
  EXPECT_EQ(pushed, size + 3u * 5u);
  EXPECT_LT(f.ring->produced, 0x100u) << "the index wrapped";
  EXPECT_EQ(f.ring->produced, f.ring->consumed);
  EXPECT_EQ(f.producer.in_flight(), 0u);
}

TEST(DeviceRing, ProducerRefusesAConsumedIndexThatCannotBe) {
  Fixture f(0xFFFF'FFFEu);
  ASSERT_EQ(f.producer.push(entry(1)), Ring_status::ok);
  ASSERT_EQ(f.producer.push(entry(2)), Ring_status::ok);  // produced is now 0 (wrapped)
  const Test_ring before = *f.ring;
  // Ahead of what was produced, and more than `size` behind it.
  for (uint32_t lie : {f.producer.next() + 1, f.producer.next() - size - 1, 0x8000'0000u}) {
    f.ring->consumed = lie;
    EXPECT_EQ(f.producer.in_flight(), size + 1) << lie;
    EXPECT_EQ(f.producer.push(entry(3)), Ring_status::corrupt) << lie;
    EXPECT_EQ(f.ring->produced, before.produced) << "nothing published";
    EXPECT_EQ(f.ring->entries[f.producer.next() % size].number, before.entries[f.producer.next() % size].number);
  }
  // Exactly `size` behind is a full ring, not a corrupt one.
  f.ring->consumed = f.producer.next() - size;
  EXPECT_EQ(f.producer.push(entry(3)), Ring_status::empty_or_full);
}

TEST(DeviceRing, ConsumerRefusesAProducedIndexThatCannotBe) {
  Fixture f(0xFFFF'FFF0u);
  Entry out{5, 5};
  for (uint32_t lie : {f.consumer.consumed() + size + 1, f.consumer.consumed() - 1, 0x7FFF'FFF0u}) {
    f.ring->produced = lie;
    EXPECT_EQ(f.consumer.peek(out), Ring_status::corrupt) << lie;
    EXPECT_EQ(f.consumer.pop(out), Ring_status::corrupt) << lie;
    EXPECT_FALSE(f.consumer.advance()) << lie;
    EXPECT_EQ(out.number, 5u) << "nothing copied";
    EXPECT_EQ(f.ring->consumed, 0xFFFF'FFF0u) << "nothing given back";
  }
  f.ring->produced = f.consumer.consumed() + size;
  EXPECT_EQ(f.consumer.peek(out), Ring_status::ok) << "a full ring is fine";
}

TEST(DeviceRing, EachSideTrustsOnlyItsOwnIndex) {
  Fixture f;
  ASSERT_EQ(f.producer.push(entry(1)), Ring_status::ok);
  // The consumer scribbles over the producer's word: the next push writes
  // place 1 and restores the word from the producer's own count.
  f.ring->produced = 6;
  ASSERT_EQ(f.producer.push(entry(2)), Ring_status::ok);
  EXPECT_EQ(f.ring->produced, 2u);
  EXPECT_EQ(f.ring->entries[1].number, 2u);
  Entry out{};
  ASSERT_EQ(f.consumer.pop(out), Ring_status::ok);
  f.ring->consumed = 0;  // the producer's scribble over the consumer's word
  ASSERT_EQ(f.consumer.pop(out), Ring_status::ok);
  EXPECT_EQ(out.number, 2u);
  EXPECT_EQ(f.ring->consumed, 2u);
}

TEST(DeviceRing, TwoThreadsKeepOrderAndContent) {
  // Across the wrap, too.
  Fixture f(0xFFFF'0000u);
  constexpr uint64_t count = 200'000;
  std::thread producer([&] {
    for (uint64_t n = 0; n < count;) {
      if (f.producer.push(entry(n)) == Ring_status::ok) {
        ++n;
      } else {
        std::this_thread::yield();
      }
    }
  });
  uint64_t expected = 0;
  uint64_t torn = 0;
  uint64_t out_of_order = 0;
  uint64_t corrupt = 0;
  while (expected < count) {
    Entry out{};
    const Ring_status status = f.consumer.pop(out);
    if (status == Ring_status::corrupt) ++corrupt;
    if (status != Ring_status::ok) {
      std::this_thread::yield();
      continue;
    }
    if (!whole(out)) ++torn;
    if (out.number != expected) ++out_of_order;
    ++expected;
  }
  producer.join();
  EXPECT_EQ(torn, 0u);
  EXPECT_EQ(out_of_order, 0u);
  EXPECT_EQ(corrupt, 0u);
  Entry out{};
  EXPECT_EQ(f.consumer.pop(out), Ring_status::empty_or_full);
}
