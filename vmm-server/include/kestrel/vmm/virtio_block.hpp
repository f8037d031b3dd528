// SPDX-License-Identifier: Apache-2.0
// virtio-blk model (virtio 1.x device ID 2) on the modern virtio-mmio
// transport (virtio_mmio.hpp), for Linux's virtio_blk, backed by a block
// client's queue region of a driver partition (kestrel/device_queue.hpp,
// through Block_queue of device_queues.hpp or a fake with its interface).
//
// Features: VIRTIO_F_VERSION_1 (required), VIRTIO_BLK_F_SIZE_MAX,
// F_SEG_MAX, F_BLK_SIZE (512), F_FLUSH, and F_RO for a read-only slice.
// Configuration: capacity (the slice's sectors), size_max (one data slot,
// 64 KiB), seg_max, blk_size; read with accesses of 1, 2, 4 or 8 bytes,
// writes ignored.
//
// One request queue (0). A request is a chain in Linux's layout: a
// device-readable 16-byte header {u32 type, u32 reserved, u64 sector} in the
// first descriptor, data descriptors, and a device-writable last descriptor
// whose last byte is the status.
//   - T_IN / T_OUT: the data (a multiple of 512 bytes) is split at 64 KiB
//     into queue entries, one data slot each; a write's data is copied from
//     guest RAM into the slot before the push, a read's from the slot into
//     guest RAM when its response comes: one copy per byte. Entries wait in
//     the model, oldest request first, while all 16 slots are busy.
//   - T_FLUSH: one Block_operation::flush entry (it takes a slot too: the
//     queue's rules tie every entry to one). Guest completions are only
//     reported once the driver answered, so the writes the guest saw
//     complete were answered before the flush was pushed.
//   - T_GET_ID: answered here with the device's name (up to 20 bytes).
//   - Anything else: VIRTIO_BLK_S_UNSUPP.
// The guest's request completes (status byte, used ring, interrupt) when
// its last entry is answered: S_OK if every one was ok, S_IOERR otherwise.
//
// Hostile guests: a chain the queue cannot walk (virtio_queue.hpp), one
// without a writable status byte in guest RAM, or one that reuses a
// descriptor of a request still in flight, makes the device need a reset.
// A buffer outside guest RAM, a buffer of the wrong direction, a header
// that is short, a length that is not a multiple of 512, more than seg_max
// data buffers, sectors past the capacity or a write to a read-only device
// completes with S_IOERR, without a queue entry. Descriptors are read once
// into the model's copy.
//
// Driver failures: driver_stopped() (the stopped badge rang), or a ring
// index from the driver that cannot be, completes every request in flight
// and every later one with S_IOERR at once. A response whose slot or tag is
// not one in flight is ignored and counted.
//
// Reset (Status = 0, or reset() when the VM restarts): requests in flight
// are forgotten; their slots stay busy until the driver answers, and the
// answer is dropped, so nothing is written into the guest's new rings.
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/device_queue.hpp>
#include <kestrel/vmm/guest_memory.hpp>
#include <kestrel/vmm/mmio.hpp>
#include <kestrel/vmm/virtio_mmio.hpp>
#include <kestrel/vmm/virtio_queue.hpp>

namespace kestrel::vmm {

namespace virtio_block {

inline constexpr uint32_t device_id = 2;
inline constexpr uint32_t requestq = 0;
inline constexpr uint32_t queue_size_max = 256;
inline constexpr uint32_t seg_max = 64;  // data buffers per request; below queue_size_max - 2 (no indirect descriptors)
inline constexpr uint32_t size_max = static_cast<uint32_t>(device_queue::block_slot_bytes);
inline constexpr uint32_t blk_size = 512;

inline constexpr uint64_t f_size_max = uint64_t{1} << 1;
inline constexpr uint64_t f_seg_max = uint64_t{1} << 2;
inline constexpr uint64_t f_ro = uint64_t{1} << 5;
inline constexpr uint64_t f_blk_size = uint64_t{1} << 6;
inline constexpr uint64_t f_flush = uint64_t{1} << 9;

inline constexpr uint32_t t_in = 0;
inline constexpr uint32_t t_out = 1;
inline constexpr uint32_t t_flush = 4;
inline constexpr uint32_t t_get_id = 8;

inline constexpr uint8_t s_ok = 0;
inline constexpr uint8_t s_ioerr = 1;
inline constexpr uint8_t s_unsupp = 2;

inline constexpr uint32_t header_bytes = 16;
inline constexpr uint32_t id_bytes = 20;

// Configuration space offsets.
inline constexpr uint32_t config_capacity = 0;
inline constexpr uint32_t config_size_max = 8;
inline constexpr uint32_t config_seg_max = 12;
inline constexpr uint32_t config_blk_size = 20;
inline constexpr uint32_t config_bytes = 24;

}  // namespace virtio_block

// What the model knows of its slice.
struct Virtio_block_disk {
  uint64_t sectors = 0;
  bool read_only = false;
  const char* serial = "";  // T_GET_ID's answer: the device's name
};

// Counts for the VMM's report and the benchmarks.
struct Virtio_block_counts {
  uint64_t requests = 0;  // guest requests taken from the queue
  uint64_t entries = 0;   // queue entries pushed to the driver
  uint64_t copies = 0;    // copies between guest RAM and a slot (one per entry with data)
  uint64_t bytes_copied = 0;
  uint64_t errors = 0;       // requests completed with S_IOERR or S_UNSUPP
  uint64_t ignored = 0;      // responses for no slot in flight (a lying driver, or after a reset)
  uint64_t completions = 0;  // guest requests completed
};

template <typename Queue>
class Virtio_block {
 public:
  using Transport = Virtio_mmio<1>;
  static constexpr uint32_t slots = device_queue::block_queue_depth;
  static constexpr uint32_t max_queue = virtio_block::queue_size_max;

  constexpr Virtio_block() : Virtio_block(Guest_memory{}, Virtio_block_disk{}, Queue{}) {}
  constexpr Virtio_block(const Guest_memory& memory, const Virtio_block_disk& disk, const Queue& queue)
      : transport_({virtio_block::device_id, features_of(disk), virtio_block::queue_size_max}, memory),
        memory_(memory),
        disk_(disk),
        queue_(queue) {}

  // `offset` within the device's frame.
  uint64_t read(uint64_t offset, unsigned size) const {
    if (offset < virtio::config) return transport_.read(offset, size);
    return read_config(offset - virtio::config, size);
  }

  void write(uint64_t offset, unsigned size, uint64_t value) {
    if (offset >= virtio::config) return;  // the configuration is read-only
    const Virtio_write_result result = transport_.write(offset, size, value);
    switch (result.event) {
      case Virtio_event::queue_notify:
      case Virtio_event::driver_ok:
        take_requests();
        break;
      case Virtio_event::reset:
        forget_requests();
        break;
      case Virtio_event::none:
        break;
    }
    notify_if_needed();
  }

  // The driver rang with responses: complete what they finish, then push
  // what waited for their slots.
  void responses() {
    if (!queue_.present()) return;
    device_queue::Block_response response{};
    for (;;) {
      const device_queue::Ring_status popped = queue_.pop(response);
      if (popped == device_queue::Ring_status::empty_or_full) break;
      if (popped == device_queue::Ring_status::corrupt) {
        driver_stopped();
        return;
      }
      complete_entry(response);
    }
    submit();
    notify_if_needed();
  }

  // The driver stopped: nothing in flight will be answered.
  void driver_stopped() {
    stopped_ = true;
    for (uint32_t head = 0; head < max_queue; ++head) {
      if (requests_[head].active) complete(static_cast<uint16_t>(head), virtio_block::s_ioerr, 0);
    }
    waiting_count_ = 0;
    notify_if_needed();
  }

  // The VM restarts: the device as at power-on (a stopped driver stays
  // stopped; the queue's indices go on).
  void reset() {
    transport_.reset();
    forget_requests();
  }

  constexpr Level_change take_level_change() { return transport_.take_level_change(); }
  constexpr bool interrupt_level() const { return transport_.interrupt_level(); }
  constexpr const Transport& transport() const { return transport_; }
  constexpr const Virtio_block_counts& counts() const { return counts_; }
  constexpr bool stopped() const { return stopped_; }
  constexpr Queue& queue() { return queue_; }
  // Slots pushed and not answered (orphans of a reset included).
  constexpr uint32_t busy_slots() const {
    uint32_t busy = 0;
    for (const Slot& slot : slots_) busy += slot.busy ? 1 : 0;
    return busy;
  }

 private:
  static constexpr uint16_t none = 0xffff;

  // The model's copy of descriptor i of an in-flight chain.
  struct Segment {
    uint8_t* data = nullptr;  // nullptr: not wholly in guest RAM
    uint32_t length = 0;
    uint16_t next = none;
    bool writable = false;
  };

  // A guest request, by the head of its chain.
  struct Request {
    bool active = false;
    bool failed = false;
    device_queue::Block_operation operation = device_queue::Block_operation::read;
    uint64_t sector = 0;
    uint16_t first_data = none;  // descriptor of the first data buffer
    uint16_t data_count = 0;
    uint16_t chain_length = 0;
    uint32_t data_bytes = 0;
    uint8_t* status = nullptr;
    uint32_t entries = 0;      // queue entries it needs
    uint32_t submitted = 0;    // pushed so far
    uint32_t outstanding = 0;  // pushed and not answered
  };

  struct Slot {
    bool busy = false;
    uint16_t head = none;  // none: its request was forgotten (reset, driver stopped)
    uint64_t tag = 0;
    uint32_t offset = 0;  // into the request's data
    uint32_t bytes = 0;
  };

  static constexpr uint64_t features_of(const Virtio_block_disk& disk) {
    return virtio::f_version_1 | virtio_block::f_size_max | virtio_block::f_seg_max | virtio_block::f_blk_size |
           virtio_block::f_flush | (disk.read_only ? virtio_block::f_ro : 0);
  }

  uint64_t read_config(uint64_t offset, unsigned size) const {
    const uint64_t mask = access_mask(size);
    if (mask == 0 || offset >= virtio_block::config_bytes || size > virtio_block::config_bytes - offset) return 0;
    uint8_t config[virtio_block::config_bytes] = {};
    put(config + virtio_block::config_capacity, disk_.sectors);
    put(config + virtio_block::config_size_max, virtio_block::size_max);
    put(config + virtio_block::config_seg_max, virtio_block::seg_max);
    put(config + virtio_block::config_blk_size, virtio_block::blk_size);
    uint64_t value = 0;
    __builtin_memcpy(&value, config + offset, size);  // little-endian, as virtio is
    return value;
  }
  template <typename T>
  static void put(uint8_t* at, T value) {
    __builtin_memcpy(at, &value, sizeof value);
  }

  // ---- Taking requests from the guest ----------------------------------

  void take_requests() {
    if (!transport_.operational()) return;
    Virtqueue& queue = transport_.queue(virtio_block::requestq);
    for (uint32_t budget = queue.size; budget > 0; --budget) {
      uint16_t head = 0;
      const Queue_status next = queue.next_available(head);
      if (next == Queue_status::empty) break;
      if (next == Queue_status::broken || !take(queue, head)) {
        transport_.needs_reset();
        break;
      }
    }
    submit();
  }

  // Copies the chain at `head` and starts its request; false if the guest
  // broke the queue.
  bool take(const Virtqueue& queue, uint16_t head) {
    uint16_t length = 0;
    uint16_t last = none;
    const Queue_status walked =
        queue.walk_descriptors(head, [&](uint16_t index, uint64_t address, uint32_t bytes, bool writable) {
          // A descriptor of a request in flight (or met twice: a loop).
          if (owner_[index] != 0) return false;
          owner_[index] = static_cast<uint16_t>(head + 1);
          segments_[index] = {memory_.at(address, bytes), bytes, none, writable};
          if (last != none) segments_[last].next = index;
          last = index;
          ++length;
          return true;
        });
    const bool status_usable =
        length > 0 && segments_[last].writable && segments_[last].data != nullptr && segments_[last].length != 0;
    if (walked != Queue_status::ok || !status_usable) {
      release_descriptors(head, length);
      return false;  // broken, or nowhere to say how it went
    }
    ++counts_.requests;
    Request& request = requests_[head];
    request = Request{};
    request.active = true;
    request.chain_length = length;
    request.status = segments_[last].data + segments_[last].length - 1;
    const Decision decision = decode(request, head);
    if (decision.queued) {
      waiting_[(waiting_first_ + waiting_count_++) % max_queue] = head;
    } else {
      complete(head, decision.status, decision.written);
    }
    return true;
  }

  // What a request needs: queue entries, or an answer now (with the data
  // bytes that answer wrote).
  struct Decision {
    bool queued;
    uint8_t status;
    uint32_t written;
  };
  static constexpr Decision answer(uint8_t status, uint32_t written = 0) { return {false, status, written}; }

  Decision decode(Request& request, uint16_t head) {
    const Segment& header = segments_[head];
    if (request.chain_length < 2 || header.writable || header.data == nullptr ||
        header.length < virtio_block::header_bytes)
      return answer(virtio_block::s_ioerr);
    uint32_t type = 0;
    uint64_t sector = 0;
    __builtin_memcpy(&type, header.data, sizeof type);  // read once, possibly unaligned
    __builtin_memcpy(&sector, header.data + 8, sizeof sector);
    if (type != virtio_block::t_in && type != virtio_block::t_out && type != virtio_block::t_flush &&
        type != virtio_block::t_get_id)
      return answer(virtio_block::s_unsupp);
    request.sector = sector;
    request.first_data = header.next;
    request.data_count = static_cast<uint16_t>(request.chain_length - 2);

    const bool wants_writable = type == virtio_block::t_in || type == virtio_block::t_get_id;
    uint64_t bytes = 0;
    uint16_t index = request.first_data;
    for (uint16_t i = 0; i < request.data_count; ++i, index = segments_[index].next) {
      const Segment& data = segments_[index];
      if (data.data == nullptr || data.writable != wants_writable) return answer(virtio_block::s_ioerr);
      bytes += data.length;
    }
    if (type == virtio_block::t_get_id) return answer(virtio_block::s_ok, copy_serial(request));
    if (stopped_ || !queue_.present()) return answer(virtio_block::s_ioerr);
    if (type == virtio_block::t_flush) {
      request.operation = device_queue::Block_operation::flush;
      request.entries = 1;
      return {true, virtio_block::s_ok, 0};
    }
    if (request.data_count > virtio_block::seg_max || bytes % device_queue::sector_bytes != 0 ||
        bytes > uint64_t{virtio_block::seg_max} * virtio_block::size_max)
      return answer(virtio_block::s_ioerr);
    const uint64_t sectors = bytes / device_queue::sector_bytes;
    if (sector > disk_.sectors || sectors > disk_.sectors - sector) return answer(virtio_block::s_ioerr);
    if (type == virtio_block::t_out && disk_.read_only) return answer(virtio_block::s_ioerr);
    if (bytes == 0) return answer(virtio_block::s_ok);
    request.data_bytes = static_cast<uint32_t>(bytes);
    request.operation =
        type == virtio_block::t_in ? device_queue::Block_operation::read : device_queue::Block_operation::write;
    request.entries =
        static_cast<uint32_t>((bytes + device_queue::block_slot_bytes - 1) / device_queue::block_slot_bytes);
    return {true, virtio_block::s_ok, 0};
  }

  uint32_t copy_serial(const Request& request) {
    uint8_t id[virtio_block::id_bytes] = {};
    for (uint32_t i = 0; i < virtio_block::id_bytes && disk_.serial != nullptr && disk_.serial[i] != '\0'; ++i)
      id[i] = static_cast<uint8_t>(disk_.serial[i]);
    uint32_t written = 0;
    uint16_t index = request.first_data;
    for (uint16_t i = 0; i < request.data_count && written < virtio_block::id_bytes; ++i) {
      const Segment& data = segments_[index];
      const uint32_t n =
          data.length < virtio_block::id_bytes - written ? data.length : virtio_block::id_bytes - written;
      __builtin_memcpy(data.data, id + written, n);
      written += n;
      index = data.next;
    }
    return written;
  }

  // ---- Queue entries ----------------------------------------------------

  // Pushes entries of waiting requests, oldest first, while slots are free.
  void submit() {
    if (stopped_ || !queue_.present()) return;
    bool pushed = false;
    while (waiting_count_ > 0) {
      const uint16_t head = waiting_[waiting_first_];
      Request& request = requests_[head];
      const uint32_t slot = free_slot();
      if (slot == slots) break;
      const uint32_t offset = request.submitted * static_cast<uint32_t>(device_queue::block_slot_bytes);
      const uint32_t remaining = request.data_bytes - offset;
      const uint32_t bytes = remaining < device_queue::block_slot_bytes
                                 ? remaining
                                 : static_cast<uint32_t>(device_queue::block_slot_bytes);
      if (request.operation == device_queue::Block_operation::write)
        copy(request, offset, queue_.slot(slot), bytes, true);
      const uint64_t tag = ++last_tag_;
      const device_queue::Block_request entry{.tag = tag,
                                              .sector = request.operation == device_queue::Block_operation::flush
                                                            ? 0
                                                            : request.sector + offset / device_queue::sector_bytes,
                                              .sectors = static_cast<uint32_t>(bytes / device_queue::sector_bytes),
                                              .slot = slot,
                                              .operation = request.operation,
                                              .reserved = 0};
      const device_queue::Ring_status status = queue_.push(entry);
      if (status == device_queue::Ring_status::empty_or_full) break;  // the driver has not taken what it answered
      if (status == device_queue::Ring_status::corrupt) {
        if (pushed) queue_.ring();
        driver_stopped();
        return;
      }
      pushed = true;
      ++counts_.entries;
      slots_[slot] = {true, head, tag, offset, bytes};
      ++request.outstanding;
      if (++request.submitted == request.entries) {
        waiting_first_ = (waiting_first_ + 1) % max_queue;
        --waiting_count_;
      }
    }
    if (pushed) queue_.ring();
  }

  void complete_entry(const device_queue::Block_response& response) {
    if (response.slot >= slots || !slots_[response.slot].busy || slots_[response.slot].tag != response.tag) {
      ++counts_.ignored;
      return;
    }
    Slot& slot = slots_[response.slot];
    slot.busy = false;
    if (slot.head == none) return;  // its request was forgotten
    Request& request = requests_[slot.head];
    --request.outstanding;
    if (response.status != device_queue::Block_status::ok) {
      request.failed = true;
    } else if (request.operation == device_queue::Block_operation::read) {
      copy(request, slot.offset, queue_.slot(response.slot), slot.bytes, false);
    }
    if (request.outstanding == 0 && request.submitted == request.entries) {
      const bool read = request.operation == device_queue::Block_operation::read;
      complete(slot.head, request.failed ? virtio_block::s_ioerr : virtio_block::s_ok,
               read && !request.failed ? request.data_bytes : 0);
    }
  }

  // Between a request's data buffers at `offset` and a slot.
  void copy(const Request& request, uint32_t offset, uint8_t* slot, uint32_t bytes, bool to_slot) {
    ++counts_.copies;
    counts_.bytes_copied += bytes;
    uint16_t index = request.first_data;
    uint32_t done = 0;
    for (uint16_t i = 0; i < request.data_count && done < bytes; ++i, index = segments_[index].next) {
      const Segment& data = segments_[index];
      if (offset >= data.length) {
        offset -= data.length;
        continue;
      }
      const uint32_t available = data.length - offset;
      const uint32_t n = available < bytes - done ? available : bytes - done;
      if (to_slot) {
        __builtin_memcpy(slot + done, data.data + offset, n);
      } else {
        __builtin_memcpy(data.data + offset, slot + done, n);
      }
      done += n;
      offset = 0;
    }
  }

  uint32_t free_slot() const {
    for (uint32_t s = 0; s < slots; ++s) {
      if (!slots_[s].busy) return s;
    }
    return slots;
  }

  // ---- Completion -------------------------------------------------------

  // Status byte, used ring (`data_written` bytes of data and the status),
  // and the request's descriptors and slots let go.
  void complete(uint16_t head, uint8_t status, uint32_t data_written) {
    Request& request = requests_[head];
    if (status != virtio_block::s_ok) ++counts_.errors;
    ++counts_.completions;
    *request.status = status;
    for (Slot& slot : slots_) {
      if (slot.busy && slot.head == head) slot.head = none;  // answered early (driver stopped): ignore its response
    }
    release_descriptors(head, request.chain_length);
    request.active = false;
    notify_ |= transport_.queue(virtio_block::requestq).push_used(head, data_written + 1);
  }

  void release_descriptors(uint16_t head, uint16_t length) {
    uint16_t index = head;
    for (uint16_t i = 0; i < length && index < max_queue; ++i) {
      owner_[index] = 0;
      index = segments_[index].next;
    }
  }

  // Reset: every request forgotten, without a word to the guest.
  void forget_requests() {
    for (Slot& slot : slots_) slot.head = none;
    for (Request& request : requests_) request.active = false;
    for (uint16_t& owner : owner_) owner = 0;
    waiting_count_ = 0;
    notify_ = false;
  }

  void notify_if_needed() {
    if (notify_) transport_.used_buffer_notification();
    notify_ = false;
  }

  Transport transport_;
  Guest_memory memory_;
  Virtio_block_disk disk_;
  Queue queue_;
  Segment segments_[max_queue]{};
  uint16_t owner_[max_queue]{};  // 1 + the head of the in-flight chain that holds descriptor i; 0: none
  Request requests_[max_queue]{};
  uint16_t waiting_[max_queue]{};  // heads whose entries are not all pushed, oldest first
  uint32_t waiting_first_ = 0;
  uint32_t waiting_count_ = 0;
  Slot slots_[slots]{};
  uint64_t last_tag_ = 0;
  bool stopped_ = false;
  bool notify_ = false;
  Virtio_block_counts counts_{};
};

}  // namespace kestrel::vmm
