// SPDX-License-Identifier: Apache-2.0
// Channel ring: a one-way stream of fixed-size messages in a channel's shared
// memory, from its writer to any number of readers. No svc, so the host unit
// tests check it; channel.hpp adds the doorbells.
//
// The policy maps a channel read-only into its readers, so a reader cannot
// tell the writer how far it has read, and the writer never waits for one: it
// puts message n into slot n % slot_count, over whatever was there. A reader
// more than slot_count messages behind loses the oldest ones, and knows how
// many from their sequence numbers (lost()).
//
// Layout, in 64-bit words that only the writer writes:
//   byte   0  magic       ring_magic once the writer has set the ring up
//   byte   8  slot_count
//   byte  16  slot_words  words of message per slot
//   byte  64  written     messages written so far (its own cache line)
//   byte 128  the slots, 1 + slot_words words each: a sequence, then the
//             message. The sequence is n + 1 while the slot holds message n
//             whole, 0 while the writer rewrites it (a seqlock per slot).
//
// Memory ordering (every access to the ring is an __atomic one):
//   The writer marks the slot 0, then a release fence, then stores the words
//   (relaxed), then stores the sequence n + 1 (release), then written = n + 1
//   (release).
//   A reader loads written (acquire: the slots written before it are visible,
//   so message n's slot holds n + 1 or a later rewrite), the sequence
//   (acquire: the words of that message are visible), the words (relaxed),
//   an acquire fence, and the sequence again (relaxed). If a word it loaded
//   came from a later rewrite, the fences order that rewrite's 0 before the
//   second load, which then differs: the copy is discarded as lost.
//
// Readers trust nothing the writer wrote: a reader checks the geometry
// against its own mapping before it reads a slot, and a message is the
// writer's to get right, so check its contents as any other input.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kestrel {

inline constexpr uint64_t ring_magic = 0x4c454e4e4148434b;  // "KCHANNEL" in memory

namespace ring_detail {

inline constexpr uint64_t magic_word = 0;
inline constexpr uint64_t slot_count_word = 1;
inline constexpr uint64_t slot_words_word = 2;
inline constexpr uint64_t written_word = 8;
inline constexpr uint64_t header_bytes = 128;

// How many slots of `message_words` fit in `size` bytes.
constexpr uint64_t slots_for(uint64_t size, uint64_t message_words) {
  return size < header_bytes ? 0 : (size - header_bytes) / ((1 + message_words) * 8);
}

template <class T>
struct Geometry {
  static_assert(__is_trivially_copyable(T), "a channel message is copied as bytes");
  static constexpr uint64_t message_words = (sizeof(T) + 7) / 8;
};

}  // namespace ring_detail

template <class T>
class Ring_writer {
 public:
  static constexpr uint64_t message_words = ring_detail::Geometry<T>::message_words;

  // The channel's memory as this partition maps it (read-write): its address
  // and size in the policy.
  constexpr Ring_writer(uintptr_t address, uint64_t size) : base_(address), size_(size) {}

  // Messages the ring holds; 0 if the channel is too small for one.
  constexpr uint64_t slot_count() const { return ring_detail::slots_for(size_, message_words); }
  // Messages written so far.
  uint64_t written() const { return written_; }

  // Puts `message` into the ring (the first call sets the ring up); false if
  // the channel has no room for even one.
  bool write(const T& message) {
    if (!ready_ && !set_up()) return false;
    uint64_t words[message_words];
    words[message_words - 1] = 0;  // the padding after a message of odd size
    __builtin_memcpy(words, &message, sizeof(T));
    const uint64_t n = written_;
    uint64_t* const slot = slot_at(n % slot_count());
    __atomic_store_n(&slot[0], 0, __ATOMIC_RELAXED);
    // The 0 before any new word: a reader that loads one sees the slot change.
    __atomic_thread_fence(__ATOMIC_RELEASE);
    for (uint64_t i = 0; i < message_words; ++i) __atomic_store_n(&slot[1 + i], words[i], __ATOMIC_RELAXED);
    // The words before the sequence that says they hold message n.
    __atomic_store_n(&slot[0], n + 1, __ATOMIC_RELEASE);
    // The slot before the count that sends readers to it.
    __atomic_store_n(&word(ring_detail::written_word), n + 1, __ATOMIC_RELEASE);
    written_ = n + 1;
    return true;
  }

 private:
  uint64_t& word(uint64_t index) { return reinterpret_cast<uint64_t*>(base_)[index]; }
  uint64_t* slot_at(uint64_t index) {
    return reinterpret_cast<uint64_t*>(base_ + ring_detail::header_bytes + index * (1 + message_words) * 8);
  }

  bool set_up() {
    if (slot_count() == 0) return false;
    for (uint64_t i = 0; i < slot_count(); ++i) __atomic_store_n(&slot_at(i)[0], 0, __ATOMIC_RELAXED);
    __atomic_store_n(&word(ring_detail::slot_count_word), slot_count(), __ATOMIC_RELAXED);
    __atomic_store_n(&word(ring_detail::slot_words_word), message_words, __ATOMIC_RELAXED);
    __atomic_store_n(&word(ring_detail::written_word), 0, __ATOMIC_RELAXED);
    // All of the above before the magic that tells readers the ring is there.
    __atomic_store_n(&word(ring_detail::magic_word), ring_magic, __ATOMIC_RELEASE);
    ready_ = true;
    return true;
  }

  uintptr_t base_;
  uint64_t size_;
  bool ready_ = false;
  uint64_t written_ = 0;
};

template <class T>
class Ring_reader {
 public:
  static constexpr uint64_t message_words = ring_detail::Geometry<T>::message_words;

  // The channel's memory as this partition maps it (read-only): its address
  // and size in the policy.
  constexpr Ring_reader(uintptr_t address, uint64_t size) : base_(address), size_(size) {}

  // Takes the next message into `out`: false if there is none (yet), or the
  // writer has not set the ring up, or set it up for another message type.
  bool read(T& out) {
    if (slot_count_ == 0 && !attach()) return false;
    for (;;) {
      // Acquire: the slots written before `written` are visible.
      const uint64_t written = __atomic_load_n(&word(ring_detail::written_word), __ATOMIC_ACQUIRE);
      if (written <= next_) return false;
      if (written - next_ > slot_count_) {
        lost_ += written - next_ - slot_count_;
        next_ = written - slot_count_;
      }
      const uint64_t* const slot = slot_at(next_ % slot_count_);
      // Acquire: the words of the message this sequence names are visible.
      const uint64_t before = __atomic_load_n(&slot[0], __ATOMIC_ACQUIRE);
      if (before == next_ + 1) {
        uint64_t words[message_words];
        for (uint64_t i = 0; i < message_words; ++i) words[i] = __atomic_load_n(&slot[1 + i], __ATOMIC_RELAXED);
        // The words before the second look at the sequence.
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (__atomic_load_n(&slot[0], __ATOMIC_RELAXED) == before) {
          __builtin_memcpy(&out, words, sizeof(T));
          sequence_ = next_++;
          return true;
        }
      }
      // The writer has overwritten message next_, or is doing so: lost.
      ++lost_;
      ++next_;
    }
  }

  // Whether the writer's ring is set up and matches this reader.
  bool attached() const { return slot_count_ != 0; }
  // Messages overwritten before this reader got to them.
  uint64_t lost() const { return lost_; }
  // The number of the message read last (the writer's first is 0).
  uint64_t sequence() const { return sequence_; }

 private:
  const uint64_t& word(uint64_t index) const { return reinterpret_cast<const uint64_t*>(base_)[index]; }
  const uint64_t* slot_at(uint64_t index) const {
    return reinterpret_cast<const uint64_t*>(base_ + ring_detail::header_bytes + index * (1 + message_words) * 8);
  }

  bool attach() {
    if (ring_detail::slots_for(size_, message_words) == 0) return false;
    // Acquire: the geometry the writer stored before the magic is visible.
    if (__atomic_load_n(&word(ring_detail::magic_word), __ATOMIC_ACQUIRE) != ring_magic) return false;
    const uint64_t slots = __atomic_load_n(&word(ring_detail::slot_count_word), __ATOMIC_RELAXED);
    const uint64_t words = __atomic_load_n(&word(ring_detail::slot_words_word), __ATOMIC_RELAXED);
    // Another message type, or more slots than this mapping holds: never
    // read past the mapping on the writer's word.
    if (words != message_words || slots == 0 || slots > ring_detail::slots_for(size_, message_words)) return false;
    slot_count_ = slots;
    return true;
  }

  uintptr_t base_;
  uint64_t size_;
  uint64_t slot_count_ = 0;  // 0 until attached
  uint64_t next_ = 0;        // the number of the message to read next
  uint64_t lost_ = 0;
  uint64_t sequence_ = 0;
};

}  // namespace kestrel
