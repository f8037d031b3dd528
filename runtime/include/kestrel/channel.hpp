// SPDX-License-Identifier: Apache-2.0
// Channel: a one-way stream of fixed-size messages through a channel's shared
// memory (channel_ring.hpp), with the doorbells that tell readers to look.
//
// The policy maps the channel read-write into its writer and read-only into
// each reader, at addresses it gives (docs/policy.md, "channels"); with
// `doorbell = true` each reader owns a notification that the writer signals.
//
//   struct Sample { uint64_t time; uint32_t value; uint32_t flags; };
//   // writer: the channel at 0x2000000, 4 KiB; its doorbell to the reader at slot 1
//   kestrel::Channel_writer<Sample> out(0x200'0000, 0x1000, 1);
//   out.send(sample);                          // write, then ring
//   // reader: its mapping of the channel; its doorbell at slot 0
//   kestrel::Channel_reader<Sample> in(0x300'0000, 0x1000, 0);
//   Sample sample;
//   in.receive(sample);                        // waits on the doorbell
//   while (in.read(sample)) { ... }            // or takes what is there
//   if (in.lost() != 0) { ... }                // overwritten before it read them
//
// A writer that writes several messages may write() them and ring() once.
// The doorbell is a notification, so a ring while the reader is busy is not
// lost: its next wait returns at once. A reader that also serves calls puts
// its doorbell in kestrel::serve's notification and drains the ring with
// read() in notified().
#pragma once

#include <cstdint>

#include <kestrel/channel_ring.hpp>
#include <kestrel/syscall.hpp>

namespace kestrel {

inline constexpr uint64_t no_doorbell = no_notification;

template <class T>
class Channel_writer : public Ring_writer<T> {
 public:
  static constexpr unsigned max_doorbells = 8;

  // `doorbell`: the slot of a reader's doorbell notification, or none.
  constexpr Channel_writer(uintptr_t address, uint64_t size, uint64_t doorbell = no_doorbell)
      : Ring_writer<T>(address, size) {
    if (doorbell != no_doorbell) add_doorbell(doorbell);
  }

  // One more reader's doorbell; false if there are max_doorbells already.
  constexpr bool add_doorbell(uint64_t doorbell) {
    if (doorbells_ == max_doorbells) return false;
    doorbell_[doorbells_++] = doorbell;
    return true;
  }

  // Signals every reader's doorbell.
  void ring() const {
    for (unsigned i = 0; i < doorbells_; ++i) signal(doorbell_[i]);
  }

  // Writes `message`, then rings.
  bool send(const T& message) {
    const bool written = this->write(message);
    if (written) ring();
    return written;
  }

 private:
  uint64_t doorbell_[max_doorbells] = {};
  unsigned doorbells_ = 0;
};

template <class T>
class Channel_reader : public Ring_reader<T> {
 public:
  // `doorbell`: the slot of this reader's doorbell notification, or none.
  constexpr Channel_reader(uintptr_t address, uint64_t size, uint64_t doorbell = no_doorbell)
      : Ring_reader<T>(address, size), doorbell_(doorbell) {}

  // Takes the next message, waiting on the doorbell until there is one
  // (without a doorbell, yielding between looks).
  void receive(T& out) {
    while (!this->read(out)) {
      if (doorbell_ != no_doorbell) {
        wait(doorbell_);
      } else {
        yield();
      }
    }
  }

 private:
  uint64_t doorbell_;
};

}  // namespace kestrel
