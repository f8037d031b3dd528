// SPDX-License-Identifier: Apache-2.0
// Ready queue: threads by priority, the highest found in constant time.
//
// 256 priorities, each a FIFO ring of nodes linked through the nodes
// themselves (no allocation), and a bitmap of the priorities that are not
// empty: four 64-bit words and a summary word saying which words are not
// zero, so the highest priority is two count-leading-zeros away, whatever
// the number of nodes. A scheduler keeps one per scheduling domain (the
// threads that run on one partition's time, scheduler.hpp).
//
// Templates over the node type, so host tests use a small node of their own.
#pragma once

#include <cstdint>

namespace kestrel {

// A node's links in the one ring it is on (both null: on none).
template <typename Node>
struct Queue_links {
  Node* next = nullptr;
  Node* prev = nullptr;
};

// A circular doubly-linked FIFO named by a pointer to its first node: the
// last node is first->prev, so one pointer per ring is enough.
template <typename Node, Queue_links<Node> Node::*Links>
struct Ring final {
  static Queue_links<Node>& links(Node& node) { return node.*Links; }

  static void push_back(Node*& first, Node& node) {
    if (first == nullptr) {
      links(node) = {&node, &node};
      first = &node;
      return;
    }
    Node* const last = links(*first).prev;
    links(node) = {first, last};
    links(*last).next = &node;
    links(*first).prev = &node;
  }

  // `node` becomes the ring's first: after the last, since the ring is
  // circular.
  static void push_front(Node*& first, Node& node) {
    push_back(first, node);
    first = &node;
  }

  // `node` is on the ring that starts at `first`.
  static void remove(Node*& first, Node& node) {
    Queue_links<Node>& own = links(node);
    if (own.next == &node) {
      first = nullptr;
    } else {
      links(*own.prev).next = own.next;
      links(*own.next).prev = own.prev;
      if (first == &node) first = own.next;
    }
    own = {};
  }

  static bool is_linked(const Node& node) { return (node.*Links).next != nullptr; }
};

// Which of 256 priorities hold something.
class Priority_bitmap final {
 public:
  static constexpr uint32_t levels = 256;
  static constexpr uint32_t none = levels;  // "no priority" from highest()

  void set(uint32_t priority) {
    words_[priority / 64] |= bit(priority % 64);
    summary_ |= bit(priority / 64);
  }
  void clear(uint32_t priority) {
    words_[priority / 64] &= ~bit(priority % 64);
    if (words_[priority / 64] == 0) summary_ &= ~bit(priority / 64);
  }
  bool test(uint32_t priority) const { return (words_[priority / 64] & bit(priority % 64)) != 0; }
  bool empty() const { return summary_ == 0; }

  // The highest priority set, or `none`.
  uint32_t highest() const {
    if (summary_ == 0) return none;
    const uint32_t word = top_bit(summary_);
    return word * 64 + top_bit(words_[word]);
  }

  // The highest priority set below `priority` (<= levels), or `none`.
  uint32_t highest_below(uint32_t priority) const {
    if (priority == 0) return none;
    const uint32_t word = (priority - 1) / 64;
    const uint32_t in_word = (priority - 1) % 64;
    // Bits 0..in_word of that word; the shift by 64 is avoided for in_word 63.
    const uint64_t mask = in_word == 63 ? ~uint64_t{0} : bit(in_word + 1) - 1;
    if (const uint64_t below = words_[word] & mask; below != 0) return word * 64 + top_bit(below);
    const uint64_t lower_words = summary_ & (bit(word) - 1);
    if (lower_words == 0) return none;
    const uint32_t lower = top_bit(lower_words);
    return lower * 64 + top_bit(words_[lower]);
  }

 private:
  static constexpr uint64_t bit(uint32_t n) { return uint64_t{1} << n; }
  static uint32_t top_bit(uint64_t nonzero) { return 63U - static_cast<uint32_t>(__builtin_clzll(nonzero)); }

  uint64_t words_[levels / 64] = {};
  uint64_t summary_ = 0;
};

// Nodes by priority (0..255, higher first), FIFO among equals. Every
// operation is constant-time. The first node of each priority is kept as a
// 16-bit number (Index: index_of and at, the node's place in a fixed pool),
// which makes a queue 552 bytes instead of 2 KiB: a CPU has one per domain.
template <typename Node, Queue_links<Node> Node::*Links, typename Index>
class Ready_queue final {
  using Nodes = Ring<Node, Links>;

 public:
  static constexpr uint32_t none = Priority_bitmap::none;

  void push_back(Node& node, uint32_t priority) {
    Node* first = first_node(priority);
    Nodes::push_back(first, node);
    set_first(priority, first);
    bitmap_.set(priority);
  }

  // Before every node of its priority (a preempted thread resumes first).
  void push_front(Node& node, uint32_t priority) {
    Node* first = first_node(priority);
    Nodes::push_front(first, node);
    set_first(priority, first);
    bitmap_.set(priority);
  }

  // `node` is in this queue at `priority`.
  void remove(Node& node, uint32_t priority) {
    Node* first = first_node(priority);
    Nodes::remove(first, node);
    set_first(priority, first);
    if (first == nullptr) bitmap_.clear(priority);
  }

  bool empty() const { return bitmap_.empty(); }
  uint32_t highest() const { return bitmap_.highest(); }
  uint32_t highest_below(uint32_t priority) const { return bitmap_.highest_below(priority); }
  // The first node of `priority` (nullptr if none).
  Node* first(uint32_t priority) const { return priority < none ? first_node(priority) : nullptr; }
  // The node after `node` at its priority, nullptr after the last.
  Node* after(const Node& node, uint32_t priority) const {
    Node* const next = (node.*Links).next;
    return next == first_node(priority) ? nullptr : next;
  }

 private:
  Node* first_node(uint32_t priority) const {
    return first_[priority] == 0 ? nullptr : &Index::at(first_[priority] - 1U);
  }
  void set_first(uint32_t priority, const Node* node) {
    first_[priority] = node == nullptr ? 0 : static_cast<uint16_t>(Index::index_of(*node) + 1U);
  }

  uint16_t first_[Priority_bitmap::levels] = {};  // index + 1; 0: empty
  Priority_bitmap bitmap_;
};

}  // namespace kestrel
