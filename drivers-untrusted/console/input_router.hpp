// SPDX-License-Identifier: Apache-2.0
// Input router: the console driver's typed input, routed to one client at a
// time (the focus), each client with its own queue, and the key sequence
// that moves the focus. Portable (no system calls): what it decides goes to
// a Sink, so the host unit tests (tests/unit/drivers) drive it byte by byte.
//
// Keys: Ctrl-] (0x1d), the switch key, then
//   n        the next client that takes input (by badge, wrapping round)
//   1-9      the client with that badge, if it takes input
//   Ctrl-]   a Ctrl-] itself, to the focused client
//   other    nothing but a help line (the byte is not delivered)
// Ctrl-] rather than Ctrl-A: Ctrl-A is the start of the line in bash and
// busybox, and the escape of QEMU's mon:stdio, GNU screen, minicom and
// picocom; Ctrl-] is telnet's escape and otherwise rarely typed.
#pragma once

#include <cstddef>
#include <cstdint>

namespace console_input {

inline constexpr char switch_key = 0x1d;  // Ctrl-]
inline constexpr uint32_t max_clients = 8;
inline constexpr uint32_t queue_bytes = 256;
inline constexpr uint64_t no_doorbell = ~uint64_t{0};

// A client that takes input: its badge, the slot of the notification that
// tells it input waits (no_doorbell: it polls), and its queue.
struct Client {
  uint64_t badge;
  uint64_t doorbell;
  char queue[queue_bytes];
  uint32_t start;
  uint32_t count;
  bool overflow_reported;  // since the queue last ran empty
};

// The badge of a doorbell named "console-input-<badge>" (decimal, not 0),
// or 0 if `name` is not one.
constexpr uint64_t doorbell_badge(const char* name) {
  constexpr const char prefix[] = "console-input-";
  for (size_t i = 0; i + 1 < sizeof prefix; ++i) {
    if (name[i] != prefix[i]) return 0;
  }
  const char* digits = name + sizeof prefix - 1;
  if (*digits == '\0') return 0;
  uint64_t badge = 0;
  for (; *digits != '\0'; ++digits) {
    if (*digits < '0' || *digits > '9') return 0;
    const uint64_t digit = static_cast<uint64_t>(*digits - '0');
    if (badge > (~uint64_t{0} - digit) / 10) return 0;  // beyond 64 bits
    badge = badge * 10 + digit;
  }
  return badge;
}

// Sink: what the router asks of the driver.
//   void ring(const Client&)              signal the client's doorbell (it has one)
//   void focus_moved(const Client&)       say where input goes now
//   void overflowed(const Client&)        say the client's oldest input went
//   void no_input_client(uint64_t badge)  say no such client takes input
//   void help()                           say what the switch key does
template <typename Sink>
class Input_router {
 public:
  explicit constexpr Input_router(Sink& sink) : sink_{sink} {}

  // Makes `badge` a client that takes input (or gives it its doorbell, if
  // it is one already); false if the table is full.
  bool take_input(uint64_t badge, uint64_t doorbell) {
    if (const uint32_t i = index_of(badge); i != none) {
      clients_[i].doorbell = doorbell;
      return true;
    }
    if (count_ == max_clients) return false;
    // Kept in badge order, the order `n` goes round in.
    uint32_t at = count_;
    while (at > 0 && clients_[at - 1].badge > badge) {
      clients_[at] = clients_[at - 1];
      --at;
    }
    clients_[at] = Client{badge, doorbell, {}, 0, 0, false};
    if (focus_ != none && focus_ >= at) ++focus_;
    ++count_;
    return true;
  }

  // Focus on `badge` without a word (the driver's start); false if it does
  // not take input.
  bool focus_on(uint64_t badge) {
    const uint32_t i = index_of(badge);
    if (i == none) return false;
    focus_ = i;
    return true;
  }

  // The focused client, or nullptr.
  const Client* focus() const { return focus_ == none ? nullptr : &clients_[focus_]; }
  // The client `badge`, or nullptr if it takes no input.
  const Client* find(uint64_t badge) const {
    const uint32_t i = index_of(badge);
    return i == none ? nullptr : &clients_[i];
  }

  // One byte typed on the console.
  void type(char c) {
    if (!escaped_) {
      if (c == switch_key) {
        escaped_ = true;
      } else {
        deliver(c);
      }
      return;
    }
    escaped_ = false;
    if (c == switch_key) {
      deliver(c);
    } else if (c == 'n') {
      if (count_ > 0) move_focus(focus_ == none ? 0 : (focus_ + 1) % count_);
    } else if (c >= '1' && c <= '9') {
      const uint64_t badge = static_cast<uint64_t>(c - '0');
      const uint32_t i = index_of(badge);
      if (i == none) {
        sink_.no_input_client(badge);
      } else {
        move_focus(i);
      }
    } else {
      sink_.help();
    }
  }

  // Takes up to `size` bytes of `badge`'s input into `buffer`; 0 if it has
  // none or takes no input.
  size_t read(uint64_t badge, char* buffer, size_t size) {
    const uint32_t i = index_of(badge);
    if (i == none) return 0;
    Client& client = clients_[i];
    size_t n = 0;
    while (n < size && client.count > 0) {
      buffer[n++] = client.queue[client.start];
      client.start = (client.start + 1) % queue_bytes;
      --client.count;
    }
    if (client.count == 0) client.overflow_reported = false;
    return n;
  }

 private:
  static constexpr uint32_t none = ~uint32_t{0};

  uint32_t index_of(uint64_t badge) const {
    for (uint32_t i = 0; i < count_; ++i) {
      if (clients_[i].badge == badge) return i;
    }
    return none;
  }

  // Into the focused client's queue; a full queue loses its oldest byte
  // (said once until it runs empty). The doorbell rings when the queue
  // stops being empty: a client that reads until it gets 0 bytes has seen
  // everything before the next ring.
  void deliver(char c) {
    if (focus_ == none) return;
    Client& client = clients_[focus_];
    if (client.count == queue_bytes) {
      client.start = (client.start + 1) % queue_bytes;
      --client.count;
      if (!client.overflow_reported) sink_.overflowed(client);
      client.overflow_reported = true;
    }
    client.queue[(client.start + client.count) % queue_bytes] = c;
    if (++client.count == 1) ring(client);
  }

  // A client that was away may still have input it has not read (its
  // queue is its own): ring again, in case it stopped before the end.
  void move_focus(uint32_t to) {
    focus_ = to;
    sink_.focus_moved(clients_[to]);
    if (clients_[to].count > 0) ring(clients_[to]);
  }

  // A client without a doorbell polls.
  void ring(const Client& client) {
    if (client.doorbell != no_doorbell) sink_.ring(client);
  }

  Sink& sink_;
  Client clients_[max_clients] = {};
  uint32_t count_ = 0;
  uint32_t focus_ = none;
  bool escaped_ = false;  // the switch key came; the next byte says what to do
};

}  // namespace console_input
