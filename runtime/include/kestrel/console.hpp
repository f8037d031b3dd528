// SPDX-License-Identifier: Apache-2.0
// Console: a printf-style console client that sends whole lines, to the
// console driver partition or to the kernel console.
//
//   constinit kestrel::Console console(0, "alpha");  // the driver, at slot 0
//   constinit kestrel::Console log = kestrel::Console::kernel(3);  // kernel console
//   console.printf("%s: %08x\n", what, value);
//
// printf formats as printf.hpp says (%d %u %x %lx %llu %s %c %p %%, widths,
// zero-padding...). Text collects in the console's buffer and goes out when
// a line ends or the buffer fills (504 bytes); flush() sends a partial line.
// A line too long for one message goes as several, which the receiver joins.
// read() takes console input, if the driver gives this client any: a
// client that takes input waits on its input doorbell (the notification
// "console-input-<badge>" it owns and the driver signals) and then reads
// until read() returns 0 (docs/runtime.md, "Console input").
// One Console per thread: it is not safe to share between threads.
//
// The console driver protocol. The console driver partition serves an
// endpoint ("console"); each client partition calls it with a badge of its
// own. Replies carry the request's label.
//   label 1, write:    word 0 = n, the number of bytes (1-504); the bytes
//                      from word 1 on, packed little-endian (byte i in word
//                      1 + i / 8 at bits 8 * (i % 8), message_bytes.hpp), so
//                      words 5 and up come through the IPC buffer.
//                      Reply word 0: the bytes accepted (from the first);
//                      the client sends the rest again, and drops them if
//                      the driver accepted none.
//   label 2, set name: word 0 = n (1-31), the client's name packed the same
//                      way. Reply word 0: 0 ok, 1 refused (another badge
//                      has that name, or it is not 1-31 printable bytes).
//                      Clients send it once, before their first write; a
//                      badge may rename itself.
//   label 3, read:     no words. Reply word 0: n (0-32), the next bytes of
//                      this client's console input, packed from word 1 on.
//                      Clients that take input: badge 1 and each client the
//                      policy gives an input doorbell; typed bytes go to the
//                      one with the focus (Ctrl-] n / Ctrl-] 1-9 move it),
//                      into its own queue. Others always get 0.
// The driver prints each line of a client prefixed with its name and ": "
// (before it has one, a name it makes from the badge). A write that does not
// end with a newline leaves the line open, and the client's next write
// continues it; clients send whole lines when they fit, so the driver can
// print each line in one piece.
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/message.hpp>
#include <kestrel/printf.hpp>
#include <kestrel/syscall.hpp>

namespace kestrel {

namespace console_protocol {

inline constexpr uint64_t write = 1;
inline constexpr uint64_t set_name = 2;
inline constexpr uint64_t read = 3;
inline constexpr size_t max_write_bytes = 504;  // 63 words after the count
inline constexpr size_t max_name_bytes = 31;
inline constexpr size_t max_read_bytes = 32;
inline constexpr uint64_t name_ok = 0;
inline constexpr uint64_t name_refused = 1;

}  // namespace console_protocol

class Console {
 public:
  // Lines go to the console driver, an endpoint this partition calls at slot
  // `driver`; with a name, the console names itself on first use.
  constexpr explicit Console(uint64_t driver, const char* name = nullptr) : Console(driver, name, false) {}
  // Lines go to the kernel console capability at slot `console` (bring-up and
  // tests; the kernel prefixes the partition's name).
  static constexpr Console kernel(uint64_t console) { return Console(console, nullptr, true); }

  __attribute__((format(printf, 2, 3))) size_t printf(const char* format, ...) {
    __builtin_va_list arguments;
    __builtin_va_start(arguments, format);
    const size_t count = vprintf(format, arguments);
    __builtin_va_end(arguments);
    return count;
  }
  size_t vprintf(const char* format, __builtin_va_list arguments) {
    return vformat([this](char c) { put(c); }, format, arguments);
  }
  void write(const char* text, size_t length) {
    for (size_t i = 0; i < length; ++i) put(text[i]);
  }
  void print(const char* text) {
    while (*text != '\0') put(*text++);
  }
  // Sends what is buffered, a partial line included.
  void flush() {
    if (used_ > 0) transmit(line_, used_);
    used_ = 0;
  }

  // Console input from the driver, without waiting: up to `size` bytes that
  // have arrived (0 if none, or if this client gets no input). After its
  // doorbell rang, a client reads until this returns 0.
  size_t read(char* buffer, size_t size) {
    if (input_next_ == input_used_ && !kernel_) {
      const Incoming reply = call(slot_, Outgoing(console_protocol::read));
      input_next_ = 0;
      input_used_ = 0;
      if (reply.status() == abi::Status::ok && reply.label() == console_protocol::read) {
        const uint64_t n = reply.word(0) < sizeof input_ ? reply.word(0) : sizeof input_;
        input_used_ = reply.bytes(1, input_, n);
      }
    }
    size_t n = 0;
    while (n < size && input_next_ < input_used_) buffer[n++] = input_[input_next_++];
    return n;
  }

  // Whether the driver refused the name (known after the first line).
  bool name_refused() const { return name_refused_; }
  // Bytes the driver or kernel did not take.
  uint64_t dropped() const { return dropped_; }

 private:
  constexpr Console(uint64_t slot, const char* name, bool kernel) : slot_(slot), name_(name), kernel_(kernel) {}

  void put(char c) {
    line_[used_++] = c;
    if (c == '\n' || used_ == sizeof line_) flush();
  }

  void transmit(const char* bytes, size_t n) {
    if (kernel_) {
      while (n > 0) {
        const size_t chunk = n < abi::console_write_max ? n : abi::console_write_max;
        if (console_write(slot_, bytes, chunk) != abi::Status::ok) break;
        bytes += chunk;
        n -= chunk;
      }
      dropped_ += n;
      return;
    }
    name_once();
    // Without an IPC buffer a message has 5 words: the count and 32 bytes.
    const size_t most =
        ipc_buffer() != nullptr ? console_protocol::max_write_bytes : (abi::message_register_words - 1) * 8;
    while (n > 0) {
      const size_t chunk = n < most ? n : most;
      const Incoming reply = call(slot_, Outgoing(console_protocol::write).add(chunk).add_bytes(bytes, chunk));
      uint64_t accepted = 0;
      if (reply.status() == abi::Status::ok && reply.label() == console_protocol::write) {
        accepted = reply.word(0) < chunk ? reply.word(0) : chunk;
      }
      if (accepted == 0) break;
      bytes += accepted;
      n -= accepted;
    }
    dropped_ += n;
  }

  void name_once() {
    if (named_) return;
    named_ = true;
    if (name_ == nullptr) return;
    size_t n = 0;
    while (n < console_protocol::max_name_bytes && name_[n] != '\0') ++n;
    const Incoming reply = call(slot_, Outgoing(console_protocol::set_name).add(n).add_bytes(name_, n));
    name_refused_ = reply.status() != abi::Status::ok || reply.label() != console_protocol::set_name ||
                    reply.word(0) != console_protocol::name_ok;
  }

  uint64_t slot_;
  const char* name_;
  bool kernel_;
  bool named_ = false;  // the name was sent (or there is none)
  bool name_refused_ = false;
  uint64_t dropped_ = 0;
  size_t used_ = 0;
  char line_[console_protocol::max_write_bytes] = {};
  // Input the driver sent that read() has not handed out yet.
  char input_[console_protocol::max_read_bytes] = {};
  size_t input_used_ = 0;
  size_t input_next_ = 0;
};

}  // namespace kestrel
