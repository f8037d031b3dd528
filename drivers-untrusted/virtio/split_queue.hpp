// SPDX-License-Identifier: Apache-2.0
// Split virtqueue, the driver's side (virtio 1.x, "Split Virtqueues"): the
// descriptor table, available ring and used ring in the driver's DMA
// memory; chains of buffers handed to the device and taken back when used.
//
// The device is trusted less than usual: a driver partition must not be
// led astray by a device that writes nonsense into the used ring. So the
// bookkeeping the driver relies on (which descriptors are free, which
// chain a head starts, each chain's length and token) lives in the queue
// object, never in shared memory, and every used entry is checked: its id
// must be the head of a chain in flight, its length at most the bytes the
// chain lets the device write, and the used index may not run ahead of the
// chains in flight.
#pragma once

#include <cstddef>
#include <cstdint>

#include "transport.hpp"

namespace virtio {

struct Descriptor {
  uint64_t address;  // physical
  uint32_t length;
  uint16_t flags;
  uint16_t next;
};
static_assert(sizeof(Descriptor) == 16);

inline constexpr uint16_t descriptor_next = 1;
inline constexpr uint16_t descriptor_device_writes = 2;
inline constexpr uint16_t used_no_notify = 1;  // used ring flags: the device needs no QueueNotify

struct Used_element {
  uint32_t id;
  uint32_t length;
};
static_assert(sizeof(Used_element) == 8);

// Where a split queue of `size` entries puts its parts, from its start:
// the descriptor table (16-byte aligned), the available ring (flags, idx,
// ring[size], used_event) and the used ring (flags, idx, ring[size],
// avail_event) on a cache line of its own, as the device writes it.
struct Queue_layout {
  uint64_t descriptors;
  uint64_t available;
  uint64_t used;
  uint64_t bytes;
};

constexpr uint64_t align_up(uint64_t value, uint64_t alignment) { return (value + alignment - 1) & ~(alignment - 1); }

constexpr Queue_layout queue_layout(uint32_t size) {
  const uint64_t available = uint64_t{16} * size;
  const uint64_t used = align_up(available + 6 + uint64_t{2} * size, 64);
  return {0, available, used, align_up(used + 6 + uint64_t{8} * size, 64)};
}

// One buffer of a chain.
struct Buffer {
  uint64_t physical;
  uint32_t length;
  bool device_writes;
};

enum class Used_status : uint32_t {
  ok = 0,
  none = 1,        // nothing used since the last take
  bad_index = 2,   // the used index claims more entries than chains in flight
  bad_id = 3,      // a used id that is not the head of a chain in flight (skipped)
  bad_length = 4,  // more bytes written than the chain lets the device write (the chain is freed)
};

// Capacity: the most entries this queue object can drive (its private
// bookkeeping); the queue's size, set at init, is a power of two up to it.
template <uint32_t Capacity>
class Split_queue {
  static_assert(Capacity != 0 && (Capacity & (Capacity - 1)) == 0 && Capacity <= 32768);

 public:
  // Lays the queue out in queue_layout(size).bytes of DMA memory at
  // `memory`, physical address `physical`, and zeroes it. False if `size`
  // is not a power of two up to Capacity.
  bool init(void* memory, uint64_t physical, uint32_t size) {
    if (size == 0 || size > Capacity || (size & (size - 1)) != 0) return false;
    const Queue_layout layout = queue_layout(size);
    auto* bytes = static_cast<uint8_t*>(memory);
    __builtin_memset(bytes, 0, layout.bytes);
    descriptors_ = reinterpret_cast<Descriptor*>(bytes + layout.descriptors);
    available_ = reinterpret_cast<uint16_t*>(bytes + layout.available);
    used_ = reinterpret_cast<uint16_t*>(bytes + layout.used);
    used_ring_ = reinterpret_cast<Used_element*>(bytes + layout.used + 4);
    physical_ = physical;
    size_ = size;
    for (uint32_t i = 0; i < size; ++i) {
      link_[i] = static_cast<uint16_t>(i + 1);
      chains_[i] = Chain{};
    }
    free_head_ = 0;
    free_count_ = size;
    in_flight_ = 0;
    next_available_ = 0;
    used_seen_ = 0;
    return true;
  }

  Queue_addresses addresses() const {
    const Queue_layout layout = queue_layout(size_);
    return {physical_ + layout.descriptors, physical_ + layout.available, physical_ + layout.used};
  }

  uint32_t size() const { return size_; }
  uint32_t free_descriptors() const { return free_count_; }
  uint32_t chains_in_flight() const { return in_flight_; }

  // Writes a chain of `count` buffers (the device reads the ones before it
  // writes any, as virtio wants) and puts its head in the available ring;
  // the device sees it after publish(). False, and nothing changed, when
  // fewer than `count` descriptors are free.
  bool add(const Buffer* buffers, uint32_t count, uint64_t token) {
    if (count == 0 || count > free_count_) return false;
    const uint16_t head = free_head_;
    uint16_t index = head;
    uint32_t writable = 0;
    for (uint32_t i = 0; i < count; ++i) {
      const bool last = i + 1 == count;
      const uint16_t next = link_[index];
      descriptors_[index] = Descriptor{buffers[i].physical, buffers[i].length,
                                       static_cast<uint16_t>((last ? 0 : descriptor_next) |
                                                             (buffers[i].device_writes ? descriptor_device_writes : 0)),
                                       last ? uint16_t{0} : next};
      if (buffers[i].device_writes) writable += buffers[i].length;
      if (!last) index = next;
    }
    free_head_ = link_[index];  // the chain's links stay in link_ until it is freed
    free_count_ -= count;
    chains_[head] = Chain{token, writable, static_cast<uint16_t>(count), true};
    ++in_flight_;
    available_ring()[next_available_ % size_] = head;
    ++next_available_;
    return true;
  }

  // Hands the chains added so far to the device: the ring entries before
  // the index that covers them.
  void publish() { __atomic_store_n(&available_[1], next_available_, __ATOMIC_RELEASE); }

  // Whether the device wants a QueueNotify for what was published. The
  // full barrier orders the index store before the flags load (else both
  // sides could miss each other's update).
  bool device_wants_notify() const {
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return (__atomic_load_n(&used_[0], __ATOMIC_RELAXED) & used_no_notify) == 0;
  }

  // Takes the next used chain: its token and the bytes the device says it
  // wrote, and frees its descriptors.
  Used_status take_used(uint64_t& token, uint32_t& length) {
    token = 0;
    length = 0;
    const uint16_t device_index = __atomic_load_n(&used_[1], __ATOMIC_ACQUIRE);
    const uint16_t pending = static_cast<uint16_t>(device_index - used_seen_);
    if (pending == 0) return Used_status::none;
    if (pending > in_flight_) return Used_status::bad_index;
    Used_element element;
    __builtin_memcpy(&element, &used_ring_[used_seen_ % size_], sizeof element);
    ++used_seen_;
    if (element.id >= size_ || !chains_[element.id].in_flight) return Used_status::bad_id;
    Chain& chain = chains_[element.id];
    token = chain.token;
    length = element.length;
    free_chain(static_cast<uint16_t>(element.id));
    if (element.length > chain.writable) {
      length = 0;
      return Used_status::bad_length;
    }
    return Used_status::ok;
  }

 private:
  struct Chain {
    uint64_t token;
    uint32_t writable;  // bytes the device may write
    uint16_t descriptors;
    bool in_flight;
  };

  uint16_t* available_ring() { return available_ + 2; }

  void free_chain(uint16_t head) {
    Chain& chain = chains_[head];
    uint16_t last = head;
    for (uint16_t i = 1; i < chain.descriptors; ++i) last = link_[last];
    link_[last] = free_head_;
    free_head_ = head;
    free_count_ += chain.descriptors;
    chain.in_flight = false;
    --in_flight_;
  }

  Descriptor* descriptors_ = nullptr;
  uint16_t* available_ = nullptr;  // flags, idx, ring[size], used_event
  uint16_t* used_ = nullptr;       // flags, idx, then used_ring_
  Used_element* used_ring_ = nullptr;
  uint64_t physical_ = 0;
  uint32_t size_ = 0;
  // The driver's own: the free list and each chain's links (descriptor i's
  // successor), never read back from the descriptor table.
  uint16_t link_[Capacity] = {};
  Chain chains_[Capacity] = {};
  uint16_t free_head_ = 0;
  uint32_t free_count_ = 0;
  uint32_t in_flight_ = 0;
  uint16_t next_available_ = 0;
  uint16_t used_seen_ = 0;
};

}  // namespace virtio
