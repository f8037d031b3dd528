// SPDX-License-Identifier: Apache-2.0
// A split virtqueue (virtio 1.x, "Split Virtqueues"), the device's side:
// the driver puts chains of descriptors in the descriptor table and their
// heads in the available ring; the device walks each chain, reads or writes
// its buffers and returns the head, with the bytes it wrote, in the used
// ring.
//
// Guest memory layout, queue size N (a power of two, 1 to 32768):
//   descriptor table (16-byte aligned): N x {u64 address, u32 length,
//                                            u16 flags, u16 next}
//   available ring (2-byte aligned):    u16 flags, u16 idx, u16 ring[N], u16 used_event
//   used ring (4-byte aligned):         u16 flags, u16 idx, N x {u32 id, u32 len}, u16 avail_event
//
// Everything here assumes a hostile driver. enable() refuses a size that is
// 0, above the maximum or not a power of two, and rings that are misaligned
// or not wholly in guest RAM. Every descriptor is read once and its buffer
// looked up in Guest_memory, so no access leaves guest RAM; a head or next
// index outside the table, a chain longer than N (which is also how a loop
// shows), an indirect descriptor (VIRTIO_F_INDIRECT_DESC is not offered), a
// buffer outside RAM or an available index more than N ahead of the device's
// mean the driver broke the queue: the call says Queue_status::broken and
// the device sets DEVICE_NEEDS_RESET (virtio_mmio.hpp).
//
// Ordering: the driver runs on other CPUs. The available index is read with
// acquire, so the ring entries and descriptors behind it are read after it;
// the used index is written with release, after the used element and the
// buffer's bytes; then a full barrier before the driver's flags are read
// (whether it wants an interrupt), so that it cannot miss the new entry and
// the device miss its flag change at the same time.
//
//   Virtqueue queue;   // the transport sets size/addresses, then
//   if (!queue.enable(memory)) ... broken configuration
//   uint16_t head;
//   while (queue.next_available(head) == Queue_status::ok) {
//     queue.walk(head, [](uint8_t* data, uint32_t length, bool device_writable) { ... });
//     queue.push_used(head, written);
//   }
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/vmm/guest_memory.hpp>

namespace kestrel::vmm {

namespace virtq {

inline constexpr uint32_t max_size = 32768;
inline constexpr uint64_t descriptor_size = 16;
inline constexpr uint16_t desc_f_next = 1;
inline constexpr uint16_t desc_f_write = 2;
inline constexpr uint16_t desc_f_indirect = 4;
inline constexpr uint16_t avail_f_no_interrupt = 1;

constexpr uint64_t descriptor_table_bytes(uint32_t size) { return descriptor_size * size; }
constexpr uint64_t available_ring_bytes(uint32_t size) { return 6 + 2 * uint64_t{size}; }
constexpr uint64_t used_ring_bytes(uint32_t size) { return 6 + 8 * uint64_t{size}; }

}  // namespace virtq

enum class Queue_status : uint8_t {
  ok,      // a chain (next_available) or the whole chain walked (walk)
  empty,   // no buffer available
  broken,  // the driver broke the queue: the device needs a reset
};

class Virtqueue {
 public:
  // What the driver configures through the transport while the queue is
  // not ready.
  uint32_t size = 0;
  uint64_t descriptor_address = 0;
  uint64_t driver_address = 0;  // the available ring
  uint64_t device_address = 0;  // the used ring

  constexpr bool ready() const { return ready_; }

  // Checks the configuration against `max_size` and guest memory and makes
  // the queue ready; false (the queue stays not ready) if it cannot work.
  bool enable(const Guest_memory& memory, uint32_t max_size) {
    ready_ = false;
    if (size == 0 || size > max_size || size > virtq::max_size || (size & (size - 1)) != 0) return false;
    if (descriptor_address % 16 != 0 || driver_address % 2 != 0 || device_address % 4 != 0) return false;
    descriptors_ = memory.at(descriptor_address, virtq::descriptor_table_bytes(size));
    available_ = memory.at(driver_address, virtq::available_ring_bytes(size));
    used_ = memory.at(device_address, virtq::used_ring_bytes(size));
    if (descriptors_ == nullptr || available_ == nullptr || used_ == nullptr) return false;
    memory_ = memory;
    next_available_ = 0;
    next_used_ = 0;
    ready_ = true;
    return true;
  }

  // Back to not ready, configuration kept (QueueReady = 0).
  constexpr void disable() { ready_ = false; }

  // Device reset: not ready, configuration cleared.
  constexpr void reset() { *this = Virtqueue{}; }

  // The head of the next chain the driver made available.
  Queue_status next_available(uint16_t& head) {
    if (!ready_) return Queue_status::empty;
    const uint16_t driver_index = load_acquire<uint16_t>(available_ + 2);
    const auto pending = static_cast<uint16_t>(driver_index - next_available_);
    if (pending == 0) return Queue_status::empty;
    if (pending > size) return Queue_status::broken;  // more buffers than the ring holds
    head = load_relaxed<uint16_t>(available_ + 4 + 2 * (next_available_ % size));
    if (head >= size) return Queue_status::broken;
    ++next_available_;
    return Queue_status::ok;
  }

  // Calls visit(data, length, device_writable) for each descriptor of the
  // chain at `head`, in order; data is the VMM's pointer to the buffer, all
  // `length` bytes of it in guest RAM. Stops at the end of the chain, or
  // with broken at the first descriptor that breaks the rules; descriptors
  // before it were visited.
  template <typename Visit>
  Queue_status walk(uint16_t head, Visit&& visit) const {
    return walk_descriptors(head, [&](uint16_t, uint64_t address, uint32_t length, bool writable) {
      uint8_t* data = memory_.at(address, length);
      if (data == nullptr) return false;
      visit(data, length, writable);
      return true;
    });
  }

  // The chain's structure only: calls visit(index, address, length,
  // device_writable) for each descriptor, with its guest-physical buffer
  // not looked up (a device that answers a bad buffer with an error status
  // rather than a reset, virtio_block.hpp, looks each up itself). visit
  // returns false to stop the walk as broken. A head or next index outside
  // the table, a loop or an indirect descriptor is broken.
  template <typename Visit>
  Queue_status walk_descriptors(uint16_t head, Visit&& visit) const {
    if (!ready_) return Queue_status::broken;
    uint32_t index = head;
    for (uint32_t count = 0;; ++count) {
      if (index >= size || count == size) return Queue_status::broken;  // out of the table, or a loop
      const uint8_t* descriptor = descriptors_ + virtq::descriptor_size * index;
      const uint64_t address = load_relaxed<uint64_t>(descriptor);
      const uint32_t length = load_relaxed<uint32_t>(descriptor + 8);
      const uint16_t flags = load_relaxed<uint16_t>(descriptor + 12);
      const uint16_t next = load_relaxed<uint16_t>(descriptor + 14);
      if ((flags & virtq::desc_f_indirect) != 0) return Queue_status::broken;
      if (!visit(static_cast<uint16_t>(index), address, length, (flags & virtq::desc_f_write) != 0))
        return Queue_status::broken;
      if ((flags & virtq::desc_f_next) == 0) return Queue_status::ok;
      index = next;
    }
  }

  // Returns the chain at `head` to the driver, `written` bytes written into
  // its device-writable buffers. True if the driver wants to be told
  // (its available ring's flags do not say VIRTQ_AVAIL_F_NO_INTERRUPT).
  bool push_used(uint16_t head, uint32_t written) {
    if (!ready_) return false;
    uint8_t* element = used_ + 4 + 8 * (next_used_ % size);
    store_relaxed<uint32_t>(element, head);
    store_relaxed<uint32_t>(element + 4, written);
    ++next_used_;
    store_release<uint16_t>(used_ + 2, next_used_);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return (load_relaxed<uint16_t>(available_) & virtq::avail_f_no_interrupt) == 0;
  }

 private:
  Guest_memory memory_{};
  uint8_t* descriptors_ = nullptr;
  uint8_t* available_ = nullptr;
  uint8_t* used_ = nullptr;
  uint16_t next_available_ = 0;  // the device's index into the available ring, free-running
  uint16_t next_used_ = 0;       // and into the used ring
  bool ready_ = false;
};

}  // namespace kestrel::vmm
