// SPDX-License-Identifier: Apache-2.0
// Message: typed messages of up to 64 words for call, send and serve, with
// words 5 and up through the thread's IPC buffer (ipc_buffer.hpp).
//
//   kestrel::Outgoing request(label);            // what this thread sends
//   request.add(42).add(some_enum).add_bytes("text", 4);
//   kestrel::Incoming reply = kestrel::call(endpoint, request);
//   uint32_t n = reply.word_as<uint32_t>(0);     // what arrived
//
// Incoming copies the message out of the registers and the IPC buffer, so it
// stays valid across the thread's next IPC; Outgoing keeps its words until
// the system call copies them in.
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/ipc_buffer.hpp>
#include <kestrel/message_bytes.hpp>
#include <kestrel/syscall.hpp>

namespace kestrel {

// A message that arrived (a call, a send, the reply to a call).
class Incoming {
 public:
  Incoming() = default;
  // `buffer`: the IPC buffer the words past 5 arrived in (nullptr: none).
  Incoming(const Message& message, const uint64_t* buffer) : status_(message.status), badge_(message.badge) {
    if (message.status != abi::Status::ok) return;
    label_ = message.label();
    length_ = message.length();
    if (length_ > abi::message_register_words && buffer == nullptr) length_ = abi::message_register_words;
    for (uint64_t i = 0; i < length_; ++i) {
      words_[i] = i < abi::message_register_words ? message.words[i] : buffer[i];
    }
  }

  abi::Status status() const { return status_; }
  // The sender's badge (0 for a reply).
  uint64_t badge() const { return badge_; }
  uint64_t label() const { return label_; }
  uint64_t length() const { return length_; }
  // Word `index`; 0 past the message's length.
  uint64_t word(uint64_t index) const { return index < length_ ? words_[index] : 0; }
  template <class T>
  T word_as(uint64_t index) const {
    return static_cast<T>(word(index));
  }
  // Copies up to `n` bytes packed (message_bytes.hpp) from word `first` on;
  // returns how many the message held.
  size_t bytes(uint64_t first, char* out, size_t n) const {
    if (first >= length_) return 0;
    const uint64_t available = (length_ - first) * 8;
    if (n > available) n = available;
    unpack_bytes(words_ + first, out, n);
    return n;
  }

 private:
  abi::Status status_ = abi::Status::ok;
  uint64_t badge_ = 0;
  uint64_t label_ = 0;
  uint64_t length_ = 0;
  uint64_t words_[abi::max_message_words];  // [0, length_) are set
};

// A message to send: a label and up to 64 words.
class Outgoing {
 public:
  explicit Outgoing(uint64_t label = 0) : label_(label) {}

  uint64_t label() const { return label_; }
  uint64_t length() const { return length_; }
  uint64_t word(uint64_t index) const { return index < length_ ? words_[index] : 0; }
  const uint64_t* words() const { return words_; }

  // Appends a word (an integer, enum or bool); past 64 words it is dropped.
  template <class T>
  Outgoing& add(T value) {
    if (length_ < abi::max_message_words) words_[length_++] = static_cast<uint64_t>(value);
    return *this;
  }
  // Sets word `index`, and the words before it that were not set yet to 0.
  template <class T>
  Outgoing& set(uint64_t index, T value) {
    if (index >= abi::max_message_words) return *this;
    while (length_ <= index) words_[length_++] = 0;
    words_[index] = static_cast<uint64_t>(value);
    return *this;
  }
  // Appends `n` bytes packed (message_bytes.hpp); what does not fit is cut.
  Outgoing& add_bytes(const char* bytes, size_t n) {
    const uint64_t room = (abi::max_message_words - length_) * 8;
    if (n > room) n = room;
    pack_bytes(words_ + length_, bytes, n);
    length_ += words_for_bytes(n);
    return *this;
  }

 private:
  uint64_t label_;
  uint64_t length_ = 0;
  // The first five are registers and always passed, so they start as 0; the
  // rest are read only up to length_.
  uint64_t words_[abi::max_message_words] = {0, 0, 0, 0, 0};
};

// The message-passing system call `number` with `message` (words 5 and up
// copied into the thread's IPC buffer first); returns what it returned.
inline Message exchange(abi::Syscall number, uint64_t capability, const Outgoing& message,
                        uint64_t notification = no_notification) {
  if (message.length() > abi::message_register_words) {
    // Without a buffer the kernel refuses the length (invalid_argument).
    if (uint64_t* buffer = ipc_buffer(); buffer != nullptr) {
      for (uint64_t i = abi::message_register_words; i < message.length(); ++i) buffer[i] = message.word(i);
    }
  }
  return message_syscall(number, capability, abi::message_info(message.label(), message.length()), message.words(),
                         notification);
}

// Calls `endpoint` with `message` and returns the reply. The thread has an
// IPC buffer from then on, so a long reply to a short call arrives whole.
inline Incoming call(uint64_t endpoint, const Outgoing& message) {
  const uint64_t* buffer = ipc_buffer();
  return Incoming(exchange(abi::Syscall::call, endpoint, message), buffer);
}
inline abi::Status send(uint64_t endpoint, const Outgoing& message) {
  return exchange(abi::Syscall::send, endpoint, message).status;
}
inline abi::Status nb_send(uint64_t endpoint, const Outgoing& message) {
  return exchange(abi::Syscall::nb_send, endpoint, message).status;
}

}  // namespace kestrel
