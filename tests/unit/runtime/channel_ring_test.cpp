// SPDX-License-Identifier: Apache-2.0
// Channel ring tests: the shared-memory stream of runtime/include/kestrel/
// channel_ring.hpp, on the host: order, loss counted exactly, readers that
// refuse a ring they cannot trust, and a writer racing a reader on two
// threads.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include <kestrel/channel_ring.hpp>

namespace {

// Three words and a half: the last word is padded.
struct Sample {
  uint64_t number;
  uint64_t check;  // number * 3 + 1, so a torn copy shows
  uint64_t square;
  uint32_t low;
};

Sample sample(uint64_t n) { return {n, n * 3 + 1, n * n, static_cast<uint32_t>(n)}; }

bool whole(const Sample& s) {
  return s.check == s.number * 3 + 1 && s.square == s.number * s.number && s.low == static_cast<uint32_t>(s.number);
}

// A channel's memory: 4 KiB, as the policy gives them.
struct Memory {
  alignas(64) uint64_t words[512] = {};
  uintptr_t address() { return reinterpret_cast<uintptr_t>(words); }
};

constexpr uint64_t size = sizeof(Memory::words);
// (4096 - 128) / ((1 + 4) * 8)
constexpr uint64_t slots = 99;

}  // namespace

TEST(ChannelRing, Geometry) {
  EXPECT_EQ(kestrel::Ring_writer<Sample>::message_words, 4u);
  EXPECT_EQ(kestrel::Ring_writer<Sample>(0, size).slot_count(), slots);
  EXPECT_EQ(kestrel::Ring_writer<Sample>(0, 128).slot_count(), 0u) << "the header alone";
  EXPECT_EQ(kestrel::Ring_writer<Sample>(0, 100).slot_count(), 0u);
}

TEST(ChannelRing, ReaderSeesNothingBeforeTheWriterSetsUp) {
  Memory memory;
  kestrel::Ring_reader<Sample> reader(memory.address(), size);
  Sample out{};
  EXPECT_FALSE(reader.read(out));
  EXPECT_FALSE(reader.attached());
  kestrel::Ring_writer<Sample> writer(memory.address(), size);
  ASSERT_TRUE(writer.write(sample(0)));
  ASSERT_TRUE(reader.read(out));
  EXPECT_TRUE(reader.attached());
  EXPECT_EQ(out.number, 0u);
  EXPECT_TRUE(whole(out));
}

TEST(ChannelRing, InOrderWithoutLoss) {
  Memory memory;
  kestrel::Ring_writer<Sample> writer(memory.address(), size);
  kestrel::Ring_reader<Sample> reader(memory.address(), size);
  Sample out{};
  for (uint64_t round = 0; round < 5; ++round) {
    for (uint64_t i = 0; i < 60; ++i) ASSERT_TRUE(writer.write(sample(round * 60 + i)));
    for (uint64_t i = 0; i < 60; ++i) {
      ASSERT_TRUE(reader.read(out));
      EXPECT_EQ(out.number, round * 60 + i);
      EXPECT_EQ(reader.sequence(), round * 60 + i);
      EXPECT_TRUE(whole(out));
    }
    EXPECT_FALSE(reader.read(out)) << "drained";
  }
  EXPECT_EQ(reader.lost(), 0u);
  EXPECT_EQ(writer.written(), 300u);
}

TEST(ChannelRing, ASlowReaderLosesTheOldestAndCountsThem) {
  Memory memory;
  kestrel::Ring_writer<Sample> writer(memory.address(), size);
  kestrel::Ring_reader<Sample> reader(memory.address(), size);
  const uint64_t total = 3 * slots + 5;
  for (uint64_t i = 0; i < total; ++i) ASSERT_TRUE(writer.write(sample(i)));
  Sample out{};
  uint64_t got = 0;
  while (reader.read(out)) {
    EXPECT_EQ(out.number, total - slots + got) << "the newest slot_count messages, in order";
    EXPECT_TRUE(whole(out));
    ++got;
  }
  EXPECT_EQ(got, slots);
  EXPECT_EQ(reader.lost(), total - slots);
}

TEST(ChannelRing, TwoReadersEachAtTheirOwnPace) {
  Memory memory;
  kestrel::Ring_writer<Sample> writer(memory.address(), size);
  kestrel::Ring_reader<Sample> fast(memory.address(), size);
  kestrel::Ring_reader<Sample> slow(memory.address(), size);
  Sample out{};
  for (uint64_t i = 0; i < 250; ++i) {
    ASSERT_TRUE(writer.write(sample(i)));
    ASSERT_TRUE(fast.read(out));
    EXPECT_EQ(out.number, i);
  }
  uint64_t got = 0;
  while (slow.read(out)) ++got;
  EXPECT_EQ(fast.lost(), 0u);
  EXPECT_EQ(got, slots);
  EXPECT_EQ(slow.lost(), 250 - slots);
}

TEST(ChannelRing, ReadersRefuseARingTheyCannotTrust) {
  Memory memory;
  kestrel::Ring_writer<Sample> writer(memory.address(), size);
  ASSERT_TRUE(writer.write(sample(1)));
  // Another message type.
  kestrel::Ring_reader<uint64_t> other_type(memory.address(), size);
  uint64_t word = 0;
  EXPECT_FALSE(other_type.read(word));
  EXPECT_FALSE(other_type.attached());
  // A reader that maps less than the writer claims to use.
  kestrel::Ring_reader<Sample> smaller(memory.address(), size / 2);
  Sample out{};
  EXPECT_FALSE(smaller.read(out));
  // A writer that lies about the slot count is not believed.
  memory.words[1] = 1u << 30;
  kestrel::Ring_reader<Sample> fooled(memory.address(), size);
  EXPECT_FALSE(fooled.read(out));
  memory.words[1] = slots;
  kestrel::Ring_reader<Sample> trusting(memory.address(), size);
  EXPECT_TRUE(trusting.read(out));
}

TEST(ChannelRing, AWriterRacingAReaderNeverTearsAMessage) {
  Memory memory;
  kestrel::Ring_writer<Sample> writer(memory.address(), size);
  kestrel::Ring_reader<Sample> reader(memory.address(), size);
  constexpr uint64_t total = 500'000;
  std::atomic<bool> done{false};
  std::thread producer([&] {
    for (uint64_t i = 0; i < total; ++i) writer.write(sample(i));
    done.store(true);
  });
  uint64_t got = 0;
  uint64_t torn = 0;
  uint64_t out_of_order = 0;
  uint64_t last = 0;
  Sample out{};
  for (;;) {
    const bool finished = done.load();
    while (reader.read(out)) {
      if (!whole(out)) ++torn;
      if (got > 0 && out.number <= last) ++out_of_order;
      if (out.number != reader.sequence()) ++out_of_order;
      last = out.number;
      ++got;
    }
    if (finished) break;
  }
  producer.join();
  EXPECT_EQ(torn, 0u);
  EXPECT_EQ(out_of_order, 0u);
  EXPECT_EQ(last, total - 1) << "the last message is never lost";
  EXPECT_EQ(got + reader.lost(), total) << "every message was read or counted lost";
}
