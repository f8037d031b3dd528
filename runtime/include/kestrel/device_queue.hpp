// SPDX-License-Identifier: Apache-2.0
// Device queues: the shared memory between a device driver partition
// (drivers-untrusted/virtio-blk, virtio-net) and one of its clients (a native
// partition, or the VMM of a VM client). The policy gives each client one
// queue region of its own, mapped read-write into the client and the driver
// and nowhere else (docs/devices.md), so a client never sees another's data.
//
// A region holds two one-way rings (Ring below) in its first page and fixed
// data slots after it. No svc here: the host unit tests check it all, and the
// doorbells (notifications) are the users' business.
//
// A region starts zeroed (the image builder zeroes partition memory), which
// is both rings empty: neither side sets anything up.
//
// Neither side trusts the other: each keeps its own copy of the index it
// advances and only reads the other's, which it checks (Ring_status::corrupt
// when it claims more than the ring holds). A request or frame is copied out
// of shared memory once and checked on the copy.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kestrel::device_queue {

// ---- The ring ------------------------------------------------------------

// A one-producer, one-consumer ring of N entries of T in shared memory. Each
// index counts entries ever pushed / popped (wrapping at 2^32); only its
// side writes it. Each sits on a cache line of its own.
template <class T, uint32_t N>
struct Ring {
  static_assert(N != 0 && (N & (N - 1)) == 0, "a ring's size is a power of two");
  static_assert(__is_trivially_copyable(T), "ring entries are copied as bytes");
  alignas(64) uint32_t produced;
  alignas(64) uint32_t consumed;
  alignas(64) T entries[N];
};

enum class Ring_status : uint32_t {
  ok = 0,
  empty_or_full = 1,  // pop: nothing to take; push: no room
  corrupt = 2,        // the other side's index claims more than N entries
};

// The producer's side: it alone writes `produced`. Built from the ring's
// address, constexpr, so that a client can be constinit (the partition
// runtime runs no constructors of static objects). `start`: the index both
// sides begin at; 0 for a zeroed region (the host tests start near 2^32 to
// check the wrap).
template <class T, uint32_t N>
class Producer {
 public:
  constexpr explicit Producer(uintptr_t ring_address, uint32_t start = 0) : ring_(ring_address), produced_(start) {}
  explicit Producer(Ring<T, N>* ring, uint32_t start = 0) : Producer(reinterpret_cast<uintptr_t>(ring), start) {}

  // Entries pushed and not yet popped, by the consumer's word; N + 1 if that
  // word is impossible.
  uint32_t in_flight() const {
    const uint32_t consumed = __atomic_load_n(&ring()->consumed, __ATOMIC_ACQUIRE);
    const uint32_t used = produced_ - consumed;
    return used > N ? N + 1 : used;
  }

  Ring_status push(const T& entry) {
    // The acquire load of the consumer's word orders its reads of the place
    // (and its data slot) before this write of it.
    const uint32_t used = in_flight();
    if (used > N) return Ring_status::corrupt;
    if (used == N) return Ring_status::empty_or_full;
    __builtin_memcpy(&ring()->entries[produced_ % N], &entry, sizeof(T));
    ++produced_;
    // The entry before the index that hands it over.
    __atomic_store_n(&ring()->produced, produced_, __ATOMIC_RELEASE);
    return Ring_status::ok;
  }

  // The next entry's place and number, for data slots tied to ring places
  // (net frames): check in_flight() < N, write the slot, then push.
  constexpr uint32_t next() const { return produced_; }

 private:
  Ring<T, N>* ring() const { return reinterpret_cast<Ring<T, N>*>(ring_); }

  uintptr_t ring_;
  uint32_t produced_;
};

// The consumer's side: it alone writes `consumed`.
template <class T, uint32_t N>
class Consumer {
 public:
  constexpr explicit Consumer(uintptr_t ring_address, uint32_t start = 0) : ring_(ring_address), consumed_(start) {}
  explicit Consumer(Ring<T, N>* ring, uint32_t start = 0) : Consumer(reinterpret_cast<uintptr_t>(ring), start) {}

  // Copies the next entry out without taking it: its data slot can be read
  // before pop() gives the place back.
  Ring_status peek(T& out) const {
    const uint32_t available = available_entries();
    if (available > N) return Ring_status::corrupt;
    if (available == 0) return Ring_status::empty_or_full;
    __builtin_memcpy(&out, &ring()->entries[consumed_ % N], sizeof(T));
    return Ring_status::ok;
  }

  // Takes the entry peek() copied (or copies and takes the next one).
  Ring_status pop(T& out) {
    const Ring_status status = peek(out);
    if (status == Ring_status::ok) advance();
    return status;
  }

  // Gives the place of the entry peek() returned back to the producer; its
  // data slot must no longer be read after this. Does nothing (false) when
  // there is no entry to give back: an index ahead of the producer's would
  // make every later push see a corrupt ring.
  bool advance() {
    const uint32_t available = available_entries();
    if (available == 0 || available > N) return false;
    ++consumed_;
    // The reads of the entry (and its data slot) before the index that frees it.
    __atomic_store_n(&ring()->consumed, consumed_, __ATOMIC_RELEASE);
    return true;
  }

  constexpr uint32_t consumed() const { return consumed_; }

 private:
  Ring<T, N>* ring() const { return reinterpret_cast<Ring<T, N>*>(ring_); }

  // The acquire load of the producer's word orders its writes of the entry
  // (and its data slot) before this side's reads of them.
  uint32_t available_entries() const { return __atomic_load_n(&ring()->produced, __ATOMIC_ACQUIRE) - consumed_; }

  uintptr_t ring_;
  uint32_t consumed_;
};

// ---- Block queues --------------------------------------------------------

inline constexpr uint64_t sector_bytes = 512;
inline constexpr uint32_t block_queue_depth = 16;        // requests in flight per client
inline constexpr uint64_t block_slot_bytes = 64 * 1024;  // data per request
inline constexpr uint32_t block_slot_sectors = block_slot_bytes / sector_bytes;
inline constexpr uint64_t queue_header_bytes = 4096;
// A block client's whole queue region: the rings' page, then the data slots.
inline constexpr uint64_t block_queue_bytes = queue_header_bytes + block_queue_depth * block_slot_bytes;

enum class Block_operation : uint32_t {
  read = 0,   // device to slot
  write = 1,  // slot to device
  // Every write whose response the client had before it pushed the flush is
  // on stable storage when the flush's response says ok (virtio-blk's
  // VIRTIO_BLK_T_FLUSH; docs/devices.md, "Flush").
  flush = 2,
};

enum class Block_status : uint32_t {
  ok = 0,
  io_error = 1,       // the device failed it
  outside_slice = 2,  // sector + sectors beyond the client's slice
  read_only = 3,      // a write to a read-only slice
  bad_request = 4,    // unknown operation, slot >= depth, sectors 0 or > block_slot_sectors
  // Never sent by a driver: what a client library reports for requests in
  // flight once the driver's stop signal came (the kernel rings the client's
  // doorbell with driver_stopped_bit when the driver stops).
  driver_stopped = 5,
};

// 32 bytes. `sector` counts from the start of the client's slice: the
// driver adds the slice's first sector, so a client never names another's.
struct Block_request {
  uint64_t tag;  // the client's, returned in the response
  uint64_t sector;
  uint32_t sectors;  // 1 .. block_slot_sectors; 0 for flush
  uint32_t slot;     // data slot: 0 .. block_queue_depth - 1
  Block_operation operation;
  uint32_t reserved;
};

// 16 bytes. Responses come in any order; the slot stays the client's until
// its response is taken (the device may still be writing it before).
struct Block_response {
  uint64_t tag;
  uint32_t slot;
  Block_status status;
};

struct Block_queue_header {
  Ring<Block_request, block_queue_depth> requests;    // client -> driver
  Ring<Block_response, block_queue_depth> responses;  // driver -> client
};
static_assert(sizeof(Block_queue_header) <= queue_header_bytes);

// Offset of data slot `slot` in a block queue region.
constexpr uint64_t block_slot_offset(uint32_t slot) { return queue_header_bytes + uint64_t{slot} * block_slot_bytes; }

// ---- Net queues ----------------------------------------------------------

inline constexpr uint32_t net_queue_depth = 32;        // frames per direction
inline constexpr uint64_t net_slot_bytes = 2048;       // one frame per slot
inline constexpr uint32_t net_max_frame_bytes = 1518;  // Ethernet without FCS, with one VLAN tag
inline constexpr uint32_t net_min_frame_bytes = 14;    // an Ethernet header
// A net client's whole queue region: the rings' page, the transmit slots,
// then the receive slots.
inline constexpr uint64_t net_queue_bytes = queue_header_bytes + 2 * net_queue_depth * net_slot_bytes;

// A frame's place in the ring is its slot: entry n of a ring owns slot
// n % net_queue_depth of its direction, which its producer fills before the
// push and its consumer reads before the advance.
struct Net_frame {
  uint32_t length;  // bytes, net_min_frame_bytes .. net_max_frame_bytes
  uint32_t reserved;
};

struct Net_queue_header {
  Ring<Net_frame, net_queue_depth> transmit;  // client -> driver
  Ring<Net_frame, net_queue_depth> receive;   // driver -> client
};
static_assert(sizeof(Net_queue_header) <= queue_header_bytes);

constexpr uint64_t net_transmit_slot_offset(uint32_t place) {
  return queue_header_bytes + uint64_t{place % net_queue_depth} * net_slot_bytes;
}
constexpr uint64_t net_receive_slot_offset(uint32_t place) {
  return queue_header_bytes + (net_queue_depth + uint64_t{place % net_queue_depth}) * net_slot_bytes;
}

// ---- Doorbells -----------------------------------------------------------

// The driver's notification (<device>.driver, owned by the driver):
inline constexpr uint64_t device_interrupt_bit = 1;  // its device's interrupt
// client i (its place in the policy's list) rings with this badge.
constexpr uint64_t client_doorbell_bit(uint32_t client) { return uint64_t{2} << client; }
inline constexpr uint32_t max_clients = 32;

// A client's notification (<device>.doorbell.<client>, owned by the client
// or its VM's VMM):
inline constexpr uint64_t responses_bit = 1;       // the driver pushed responses / received frames
inline constexpr uint64_t driver_stopped_bit = 2;  // the kernel: the driver partition stopped

}  // namespace kestrel::device_queue
