// SPDX-License-Identifier: Apache-2.0
// The split virtqueue driver (drivers-untrusted/virtio/split_queue.hpp)
// against a fake device: chains as the device sees them, the free list
// across many rounds (indices wrapping at 2^16), and a device that lies in
// the used ring.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "fake_virtio.hpp"
#include "split_queue.hpp"

namespace {

constexpr uint32_t size = 8;

struct Queue_test : ::testing::Test {
  alignas(4096) uint8_t memory[virtio::queue_layout(size).bytes + 64] = {};
  virtio::Split_queue<16> queue;
  fake_virtio::Queue_device* device = nullptr;

  void SetUp() override {
    ASSERT_TRUE(queue.init(memory, reinterpret_cast<uint64_t>(memory), size));
    device = new fake_virtio::Queue_device(queue.addresses(), size);
  }
  void TearDown() override { delete device; }

  bool add(uint32_t count, uint64_t token, uint32_t writable_length = 100) {
    std::vector<virtio::Buffer> buffers;
    for (uint32_t i = 0; i < count; ++i) {
      const bool last = i + 1 == count;
      buffers.push_back({0x1000u * (i + 1), last ? writable_length : 16u, last});
    }
    return queue.add(buffers.data(), count, token);
  }
};

TEST(Split_queue_layout, PartsAreAlignedAndApart) {
  const auto layout = virtio::queue_layout(256);
  EXPECT_EQ(layout.descriptors, 0u);
  EXPECT_EQ(layout.available, 256u * 16);
  EXPECT_GE(layout.used, layout.available + 6 + 2 * 256);
  EXPECT_EQ(layout.used % 64, 0u);
  EXPECT_GE(layout.bytes, layout.used + 6 + 8 * 256);
}

TEST(Split_queue_init, RefusesSizesThatAreNoPowerOfTwoOrTooBig) {
  alignas(64) static uint8_t memory[virtio::queue_layout(32).bytes];
  virtio::Split_queue<16> queue;
  EXPECT_FALSE(queue.init(memory, 0, 0));
  EXPECT_FALSE(queue.init(memory, 0, 12));
  EXPECT_FALSE(queue.init(memory, 0, 32));
  EXPECT_TRUE(queue.init(memory, 0, 16));
}

TEST_F(Queue_test, TheDeviceSeesAChainOnlyAfterPublish) {
  ASSERT_TRUE(add(3, 42));
  EXPECT_TRUE(device->take_available().empty());
  queue.publish();
  const auto chains = device->take_available();
  ASSERT_EQ(chains.size(), 1u);
  ASSERT_EQ(chains[0].descriptors.size(), 3u);
  EXPECT_EQ(chains[0].descriptors[0].address, 0x1000u);
  EXPECT_EQ(chains[0].descriptors[0].flags, virtio::descriptor_next);
  EXPECT_EQ(chains[0].descriptors[1].address, 0x2000u);
  EXPECT_EQ(chains[0].descriptors[2].flags, virtio::descriptor_device_writes);
  EXPECT_EQ(chains[0].descriptors[2].length, 100u);
  EXPECT_EQ(queue.free_descriptors(), size - 3);
  EXPECT_EQ(queue.chains_in_flight(), 1u);
}

TEST_F(Queue_test, UsedChainsComeBackWithTheirTokenAndFreeTheirDescriptors) {
  ASSERT_TRUE(add(3, 7));
  ASSERT_TRUE(add(2, 8));
  queue.publish();
  const auto chains = device->take_available();
  ASSERT_EQ(chains.size(), 2u);
  uint64_t token = 0;
  uint32_t length = 0;
  EXPECT_EQ(queue.take_used(token, length), virtio::Used_status::none);
  device->use(chains[1].head, 50);  // out of order
  device->use(chains[0].head, 100);
  ASSERT_EQ(queue.take_used(token, length), virtio::Used_status::ok);
  EXPECT_EQ(token, 8u);
  EXPECT_EQ(length, 50u);
  ASSERT_EQ(queue.take_used(token, length), virtio::Used_status::ok);
  EXPECT_EQ(token, 7u);
  EXPECT_EQ(queue.take_used(token, length), virtio::Used_status::none);
  EXPECT_EQ(queue.free_descriptors(), size);
  EXPECT_EQ(queue.chains_in_flight(), 0u);
}

TEST_F(Queue_test, AFullQueueRefusesAChainAndChangesNothing) {
  ASSERT_TRUE(add(3, 1));
  ASSERT_TRUE(add(3, 2));
  EXPECT_FALSE(add(3, 3));
  EXPECT_FALSE(queue.add(nullptr, 0, 4));
  EXPECT_EQ(queue.free_descriptors(), 2u);
  ASSERT_TRUE(add(2, 5));
  EXPECT_EQ(queue.free_descriptors(), 0u);
  queue.publish();
  EXPECT_EQ(device->take_available().size(), 3u);
}

// Thousands of chains of mixed lengths, completed in a shuffled order: the
// free list never loses or doubles a descriptor, and the 16-bit indices wrap.
TEST_F(Queue_test, ManyRoundsWrapTheIndicesAndKeepTheFreeList) {
  uint64_t next_token = 0;
  uint64_t expected_sum = 0, returned_sum = 0;
  for (int round = 0; round < 30000; ++round) {
    while (add(1 + static_cast<uint32_t>(next_token % 3), next_token)) expected_sum += next_token++;
    queue.publish();
    auto chains = device->take_available();
    // Use them back to front: any order is allowed.
    for (auto it = chains.rbegin(); it != chains.rend(); ++it) device->use(it->head, 1);
    uint64_t token = 0;
    uint32_t length = 0;
    while (queue.take_used(token, length) == virtio::Used_status::ok) returned_sum += token;
    ASSERT_EQ(queue.free_descriptors(), size) << "round " << round;
  }
  EXPECT_GT(next_token, 65536u);  // the 16-bit ring indices wrapped
  EXPECT_EQ(expected_sum, returned_sum);
}

TEST_F(Queue_test, AUsedIdThatIsNoChainInFlightIsRefused) {
  ASSERT_TRUE(add(3, 1));
  queue.publish();
  const auto chains = device->take_available();
  uint64_t token = 0;
  uint32_t length = 0;
  device->use(size + 3, 1);  // beyond the table
  EXPECT_EQ(queue.take_used(token, length), virtio::Used_status::bad_id);
  device->use((chains[0].head + 1) % size, 1);  // inside the chain, not its head
  EXPECT_EQ(queue.take_used(token, length), virtio::Used_status::bad_id);
  EXPECT_EQ(queue.free_descriptors(), size - 3);  // nothing freed on their word
  device->use(chains[0].head, 1);
  EXPECT_EQ(queue.take_used(token, length), virtio::Used_status::ok);
  device->use(chains[0].head, 1);  // the same chain twice
  EXPECT_EQ(queue.take_used(token, length), virtio::Used_status::bad_index);
}

TEST_F(Queue_test, AUsedIndexRunningAheadIsRefused) {
  ASSERT_TRUE(add(2, 1));
  queue.publish();
  device->set_used_index(2);  // two used, one in flight
  uint64_t token = 0;
  uint32_t length = 0;
  EXPECT_EQ(queue.take_used(token, length), virtio::Used_status::bad_index);
  device->set_used_index(0xffff);
  EXPECT_EQ(queue.take_used(token, length), virtio::Used_status::bad_index);
  EXPECT_EQ(queue.chains_in_flight(), 1u);
}

TEST_F(Queue_test, ALengthBeyondTheWritableBytesIsRefusedButTheChainIsFreed) {
  ASSERT_TRUE(add(3, 9, 100));
  queue.publish();
  const auto chains = device->take_available();
  device->use(chains[0].head, 101);
  uint64_t token = 0;
  uint32_t length = 77;
  EXPECT_EQ(queue.take_used(token, length), virtio::Used_status::bad_length);
  EXPECT_EQ(token, 9u);
  EXPECT_EQ(length, 0u);
  EXPECT_EQ(queue.free_descriptors(), size);
}

TEST_F(Queue_test, ADeviceThatRewritesDescriptorsCannotCorruptTheFreeList) {
  ASSERT_TRUE(add(3, 1));
  queue.publish();
  const auto chains = device->take_available();
  // The device scribbles over the table's links.
  auto* table = reinterpret_cast<virtio::Descriptor*>(memory);
  for (uint32_t i = 0; i < size; ++i) table[i].next = 0;
  device->use(chains[0].head, 1);
  uint64_t token = 0;
  uint32_t length = 0;
  ASSERT_EQ(queue.take_used(token, length), virtio::Used_status::ok);
  // All 8 descriptors can be handed out again, each once.
  ASSERT_TRUE(add(8, 2));
  queue.publish();
  const auto again = device->take_available();
  ASSERT_EQ(again.size(), 1u);
  ASSERT_EQ(again[0].descriptors.size(), 8u);
  for (uint32_t i = 0; i < 8; ++i) EXPECT_EQ(again[0].descriptors[i].address, 0x1000u * (i + 1)) << i;
}

TEST_F(Queue_test, NotifyIsSkippedWhenTheDeviceSaysSo) {
  EXPECT_TRUE(queue.device_wants_notify());
  device->set_used_flags(virtio::used_no_notify);
  EXPECT_FALSE(queue.device_wants_notify());
  EXPECT_EQ(device->available_flags(), 0u);  // the driver wants interrupts
}

}  // namespace
