// SPDX-License-Identifier: Apache-2.0
// Timer heap tests: earliest first, ties, removal from the middle, a full
// heap, and many nodes against a model.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include <kestrel/timer_heap.hpp>

using namespace kestrel;

namespace {

struct Node {
  uint64_t time = 0;
  uint32_t slot = 0;
};

uint64_t time_of(const Node& node) { return node.time; }

// The heap names nodes by their place in a pool, as the kernel's threads.
constexpr uint32_t pool_size = 2048;
Node pool[pool_size];

struct Pool_index {
  static uint32_t index_of(const Node& node) { return static_cast<uint32_t>(&node - pool); }
  static Node& at(uint32_t index) { return pool[index]; }
};

// The first `count` nodes of the pool, as new.
Node* fresh_nodes(uint32_t count) {
  for (uint32_t i = 0; i < count; ++i) pool[i] = Node{};
  return pool;
}

// A heap with room for Capacity nodes, given the way the kernel gives its
// heaps their slots.
template <uint32_t Capacity>
struct Heap : Timer_heap<Node, &Node::slot, time_of, Pool_index> {
  Heap() { this->give_slots(slots, Capacity); }
  uint16_t slots[Capacity] = {};
};

template <uint32_t Capacity>
std::vector<uint64_t> drain(Heap<Capacity>& heap) {
  std::vector<uint64_t> times;
  while (!heap.empty()) {
    times.push_back(heap.earliest_time());
    heap.remove(heap.earliest());
  }
  return times;
}

TEST(TimerHeap, EarliestFirstAndTies) {
  Node* nodes = fresh_nodes(6);
  const uint64_t times[] = {50, 10, 30, 10, 70, 30};
  Heap<8> heap;
  EXPECT_EQ(heap.earliest_time(), 0u) << "0: no event";
  for (int i = 0; i < 6; ++i) {
    nodes[i].time = times[i];
    EXPECT_TRUE(heap.insert(nodes[i]));
  }
  EXPECT_TRUE(heap.insert(nodes[0])) << "inserting twice is harmless";
  EXPECT_EQ(heap.size(), 6u);
  EXPECT_EQ(drain(heap), (std::vector<uint64_t>{10, 10, 30, 30, 50, 70}));
  for (int i = 0; i < 6; ++i) EXPECT_FALSE(heap.contains(nodes[i]));
}

TEST(TimerHeap, RemovalFromTheMiddleKeepsTheOrder) {
  Node* nodes = fresh_nodes(7);
  Heap<8> heap;
  for (int i = 0; i < 7; ++i) {
    nodes[i].time = 100 - 10 * static_cast<uint64_t>(i);  // 100, 90, ..., 40
    heap.insert(nodes[i]);
  }
  heap.remove(nodes[3]);  // 70, somewhere inside
  heap.remove(nodes[6]);  // 40, the earliest
  heap.remove(nodes[6]);  // not in any more: nothing
  EXPECT_FALSE(heap.contains(nodes[3]));
  EXPECT_EQ(heap.earliest_time(), 50u);
  // A moved deadline: out, new time, in again.
  heap.remove(nodes[0]);
  nodes[0].time = 1;
  heap.insert(nodes[0]);
  EXPECT_EQ(drain(heap), (std::vector<uint64_t>{1, 50, 60, 80, 90}));
}

TEST(TimerHeap, AFullHeapRefusesMore) {
  Node* nodes = fresh_nodes(3);
  Heap<2> heap;
  EXPECT_TRUE(heap.insert(nodes[0]));
  EXPECT_TRUE(heap.insert(nodes[1]));
  EXPECT_FALSE(heap.insert(nodes[2]));
  EXPECT_FALSE(heap.contains(nodes[2]));
}

TEST(TimerHeap, ManyNodesAgainstAModel) {
  constexpr uint32_t count = pool_size;
  Node* nodes = fresh_nodes(count);
  std::mt19937_64 random(15);
  Heap<count> heap;
  for (uint32_t i = 0; i < count; ++i) {
    nodes[i].time = 1 + random() % 500;  // many ties
    ASSERT_TRUE(heap.insert(nodes[i]));
  }
  std::vector<uint32_t> order(count);
  for (uint32_t i = 0; i < count; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), random);
  std::vector<uint64_t> expected;
  for (uint32_t i = 0; i < count; ++i) {
    if (i % 3 == 0) {
      heap.remove(nodes[order[i]]);
    } else {
      expected.push_back(nodes[order[i]].time);
    }
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(drain(heap), expected);
}

}  // namespace
