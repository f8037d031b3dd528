// SPDX-License-Identifier: Apache-2.0
// Ready queue tests: the priority bitmap at its word edges, FIFO order among
// equals, removal from anywhere, and many nodes.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include <kestrel/ready_queue.hpp>

using namespace kestrel;

namespace {

struct Node {
  Queue_links<Node> links;
  uint32_t priority = 0;
  int id = 0;
};

// The queue names nodes by their place in a pool, as the kernel's threads.
constexpr int pool_size = 2048;
Node pool[pool_size];

struct Pool_index {
  static uint32_t index_of(const Node& node) { return static_cast<uint32_t>(&node - pool); }
  static Node& at(uint32_t index) { return pool[index]; }
};

// The first `count` nodes of the pool, as new.
Node* fresh_nodes(int count) {
  for (int i = 0; i < count; ++i) pool[i] = Node{};
  return pool;
}

using Queue = Ready_queue<Node, &Node::links, Pool_index>;
using Nodes = Ring<Node, &Node::links>;

// Takes every node out, highest priority first, FIFO among equals.
std::vector<int> drain(Queue& queue) {
  std::vector<int> order;
  while (!queue.empty()) {
    const uint32_t priority = queue.highest();
    Node* first = queue.first(priority);
    order.push_back(first->id);
    queue.remove(*first, priority);
  }
  return order;
}

TEST(PriorityBitmap, FindsTheHighestAcrossWordEdges) {
  Priority_bitmap bitmap;
  EXPECT_TRUE(bitmap.empty());
  EXPECT_EQ(bitmap.highest(), Priority_bitmap::none);
  for (uint32_t priority : {0u, 63u, 64u, 127u, 128u, 191u, 192u, 255u}) {
    Priority_bitmap one;
    one.set(priority);
    EXPECT_EQ(one.highest(), priority);
    EXPECT_EQ(one.highest_below(priority), Priority_bitmap::none) << priority;
    EXPECT_EQ(one.highest_below(priority + 1), priority) << priority;
    one.clear(priority);
    EXPECT_TRUE(one.empty()) << priority;
  }
  bitmap.set(0);
  bitmap.set(63);
  bitmap.set(64);
  bitmap.set(255);
  EXPECT_EQ(bitmap.highest(), 255u);
  EXPECT_EQ(bitmap.highest_below(255), 64u) << "across two empty words";
  EXPECT_EQ(bitmap.highest_below(64), 63u) << "into the word below";
  EXPECT_EQ(bitmap.highest_below(63), 0u);
  EXPECT_EQ(bitmap.highest_below(0), Priority_bitmap::none);
  EXPECT_EQ(bitmap.highest_below(Priority_bitmap::levels), 255u);
  bitmap.clear(255);
  EXPECT_EQ(bitmap.highest(), 64u) << "the summary drops word 3";
  bitmap.clear(64);
  EXPECT_EQ(bitmap.highest(), 63u);
  bitmap.clear(63);
  EXPECT_TRUE(bitmap.test(0));
  EXPECT_FALSE(bitmap.test(63));
  EXPECT_EQ(bitmap.highest(), 0u) << "word 0 still holds priority 0";
}

TEST(ReadyQueue, HighestPriorityFirstThenFifo) {
  Node* nodes = fresh_nodes(6);
  const uint32_t priorities[] = {5, 200, 5, 0, 200, 64};
  Queue queue;
  for (int i = 0; i < 6; ++i) {
    nodes[i].priority = priorities[i];
    nodes[i].id = i;
    queue.push_back(nodes[i], priorities[i]);
  }
  EXPECT_EQ(queue.highest(), 200u);
  EXPECT_EQ(drain(queue), (std::vector<int>{1, 4, 5, 0, 2, 3}));
  for (int i = 0; i < 6; ++i) EXPECT_FALSE(Nodes::is_linked(nodes[i])) << "removal unlinks";
}

TEST(ReadyQueue, RoundRobinAmongEquals) {
  // The scheduler's rotation: the first runs, then goes to the back.
  Node* nodes = fresh_nodes(3);
  Queue queue;
  for (int i = 0; i < 3; ++i) {
    nodes[i].id = i;
    queue.push_back(nodes[i], 7);
  }
  std::vector<int> ran;
  for (int turn = 0; turn < 6; ++turn) {
    Node* first = queue.first(queue.highest());
    ran.push_back(first->id);
    queue.remove(*first, 7);
    queue.push_back(*first, 7);
  }
  EXPECT_EQ(ran, (std::vector<int>{0, 1, 2, 0, 1, 2}));
}

TEST(ReadyQueue, PushFrontGoesBeforeItsEqualsOnly) {
  // A preempted thread resumes before its equals, never before a better one.
  Node* nodes = fresh_nodes(5);
  Queue queue;
  for (int i = 0; i < 5; ++i) nodes[i].id = i;
  queue.push_front(nodes[0], 7);  // into an empty priority
  queue.push_back(nodes[1], 7);
  queue.push_back(nodes[2], 9);
  queue.push_front(nodes[3], 7);
  queue.push_front(nodes[4], 3);
  EXPECT_EQ(queue.first(7), &nodes[3]);
  EXPECT_EQ(queue.after(nodes[3], 7), &nodes[0]);
  EXPECT_EQ(drain(queue), (std::vector<int>{2, 3, 0, 1, 4}));
}

TEST(ReadyQueue, RemovalFromTheMiddleEndsAndTheLastOfAPriority) {
  Node* nodes = fresh_nodes(6);
  Queue queue;
  for (int i = 0; i < 5; ++i) {
    nodes[i].id = i;
    queue.push_back(nodes[i], 63);
  }
  queue.remove(nodes[2], 63);  // middle
  queue.remove(nodes[0], 63);  // first
  queue.remove(nodes[4], 63);  // last
  EXPECT_EQ(queue.first(63), &nodes[1]);
  EXPECT_EQ(queue.after(nodes[1], 63), &nodes[3]);
  EXPECT_EQ(queue.after(nodes[3], 63), nullptr) << "the ring ends at its last node";
  Node& other = nodes[5];
  other.id = 9;
  queue.push_back(other, 64);
  queue.remove(other, 64);
  EXPECT_EQ(queue.highest(), 63u) << "an emptied priority leaves the bitmap";
  queue.remove(nodes[1], 63);
  queue.remove(nodes[3], 63);
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.first(queue.highest()), nullptr);
}

TEST(ReadyQueue, ManyNodesAgainstAModel) {
  constexpr int count = pool_size;
  Node* nodes = fresh_nodes(count);
  std::mt19937 random(15);
  Queue queue;
  // The model: (priority, insertion number) sorted, highest priority first.
  std::vector<std::pair<uint32_t, int>> model;
  std::vector<int> sequence(count);
  for (int i = 0; i < count; ++i) {
    nodes[i].id = i;
    nodes[i].priority = random() % 256;
    queue.push_back(nodes[i], nodes[i].priority);
    sequence[i] = i;
  }
  // Take half out from anywhere.
  std::shuffle(sequence.begin(), sequence.end(), random);
  for (int i = 0; i < count / 2; ++i) queue.remove(nodes[sequence[i]], nodes[sequence[i]].priority);
  for (int i = count / 2; i < count; ++i) model.emplace_back(nodes[sequence[i]].priority, sequence[i]);
  std::sort(model.begin(), model.end(),
            [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  std::vector<int> expected;
  for (const auto& entry : model) expected.push_back(entry.second);
  EXPECT_EQ(drain(queue), expected);
}

}  // namespace
