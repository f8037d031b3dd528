// SPDX-License-Identifier: Apache-2.0
// Timer heap: nodes by the time of their next event, earliest first.
//
// A binary min-heap in a fixed array (no allocation). Each node records its
// place in the heap (Slot: 1 + its index, 0 when not in it), so it can be
// taken out from the middle, and its time (Key) is read from the node: the
// owner removes a node before it changes that time. The earliest is found
// in constant time; insert and remove cost O(log n) swaps, n the nodes in
// the heap (at most Capacity: 11 levels for 2048). Nodes are kept as 16-bit
// numbers (Index: index_of and at, their place in a fixed pool), so a heap
// for 2048 threads takes 4 KiB.
#pragma once

#include <cstdint>

namespace kestrel {

template <typename Node, uint32_t Node::*Slot, uint64_t (*Key)(const Node&), typename Index>
class Timer_heap {
 public:
  // Its storage: `capacity` slots at `slots`, before the first insert.
  void give_slots(uint16_t* slots, uint32_t capacity) {
    nodes_ = slots;
    capacity_ = capacity;
    count_ = 0;
  }
  uint32_t capacity() const { return capacity_; }

  bool empty() const { return count_ == 0; }
  uint32_t size() const { return count_; }
  bool contains(const Node& some) const { return some.*Slot != 0; }
  // The node with the earliest time (the heap is not empty).
  Node& earliest() const { return node(0); }
  // The earliest time, 0 if the heap is empty.
  uint64_t earliest_time() const { return count_ == 0 ? 0 : Key(node(0)); }

  // Adds `added`; nothing if it is in already. False if the heap is full.
  bool insert(Node& added) {
    if (contains(added)) return true;
    if (count_ == capacity_) return false;
    place(added, count_++);
    sift_up(count_ - 1);
    return true;
  }

  // Takes `removed` out; nothing if it is not in.
  void remove(Node& removed) {
    if (!contains(removed)) return;
    const uint32_t index = removed.*Slot - 1;
    removed.*Slot = 0;
    --count_;
    if (index == count_) return;
    place(node(count_), index);
    sift_down(index);
    sift_up(index);
  }

 private:
  Node& node(uint32_t index) const { return Index::at(nodes_[index]); }
  void place(Node& placed, uint32_t index) {
    nodes_[index] = static_cast<uint16_t>(Index::index_of(placed));
    placed.*Slot = index + 1;
  }
  bool before(uint32_t a, uint32_t b) const { return Key(node(a)) < Key(node(b)); }
  void swap(uint32_t a, uint32_t b) {
    Node& at_a = node(a);
    place(node(b), a);
    place(at_a, b);
  }
  void sift_up(uint32_t index) {
    while (index > 0 && before(index, (index - 1) / 2)) {
      swap(index, (index - 1) / 2);
      index = (index - 1) / 2;
    }
  }
  void sift_down(uint32_t index) {
    for (;;) {
      uint32_t smallest = index;
      const uint32_t left = 2 * index + 1;
      if (left < count_ && before(left, smallest)) smallest = left;
      if (left + 1 < count_ && before(left + 1, smallest)) smallest = left + 1;
      if (smallest == index) return;
      swap(index, smallest);
      index = smallest;
    }
  }

  uint16_t* nodes_ = nullptr;
  uint32_t capacity_ = 0;
  uint32_t count_ = 0;
};

}  // namespace kestrel
