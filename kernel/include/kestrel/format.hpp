// SPDX-License-Identifier: Apache-2.0
// Format: type-safe, allocation-free text formatting for the kernel log.
//
// format_to(sink, "cpu {} at EL{} esr={:#x}", a, b, c) writes the format
// string to the sink with each `{}` replaced by the next argument. A field may
// carry a spec after a colon: `#` adds a 0x prefix, `0N` pads with zeros to
// width N, `x` prints hexadecimal. `{{` and `}}` print braces. Missing
// arguments print as `{?}` and surplus arguments are ignored, so a wrong
// format string never reads past the arguments. Portable: built for the host
// and unit-tested there.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>

namespace kestrel {

// Where formatted text goes: the kernel's UART, or a buffer in tests.
class Format_sink {
 public:
  virtual void write(const char* text, size_t length) = 0;

 protected:
  ~Format_sink() = default;
};

// One formatting argument, type-erased so format_to has a single body.
struct Format_arg {
  enum class Kind : uint8_t { unsigned_int, signed_int, string, boolean };
  Kind kind;
  union {
    uint64_t u;
    int64_t s;
    const char* str;
  };

  template <std::unsigned_integral T>
  constexpr Format_arg(T value) : kind{std::same_as<T, bool> ? Kind::boolean : Kind::unsigned_int}, u{value} {}
  template <std::signed_integral T>
  constexpr Format_arg(T value) : kind{Kind::signed_int}, s{value} {}
  constexpr Format_arg(const char* value) : kind{Kind::string}, str{value} {}
};

void format_args(Format_sink& sink, const char* format, const Format_arg* args, size_t count);

template <typename... Args>
void format_to(Format_sink& sink, const char* format, Args... args) {
  if constexpr (sizeof...(Args) == 0) {
    format_args(sink, format, nullptr, 0);
  } else {
    const Format_arg packed[] = {Format_arg(args)...};
    format_args(sink, format, packed, sizeof...(Args));
  }
}

// A sink that fills a fixed buffer, always NUL-terminated, dropping overflow.
class Buffer_sink final : public Format_sink {
 public:
  Buffer_sink(char* buffer, size_t capacity) : buffer_{buffer}, capacity_{capacity} {
    if (capacity_ > 0) buffer_[0] = '\0';
  }
  void write(const char* text, size_t length) override;
  size_t length() const { return length_; }
  bool truncated() const { return truncated_; }

 private:
  char* buffer_;
  size_t capacity_;
  size_t length_ = 0;
  bool truncated_ = false;
};

}  // namespace kestrel
