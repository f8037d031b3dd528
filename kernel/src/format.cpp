// SPDX-License-Identifier: Apache-2.0
// Format: implementation of the kernel's text formatter.
#include <kestrel/format.hpp>

namespace kestrel {
namespace {

struct Field_spec {
  bool hex = false;
  bool prefix = false;  // "0x" before hexadecimal numbers
  unsigned zero_pad_width = 0;
};

// Parses the spec between ':' and '}' (or nothing); returns the position of
// the closing brace, or nullptr if the field is not closed.
const char* parse_spec(const char* cursor, Field_spec& spec) {
  if (*cursor == ':') {
    ++cursor;
    if (*cursor == '#') {
      spec.prefix = true;
      ++cursor;
    }
    if (*cursor == '0') {
      ++cursor;
      while (*cursor >= '0' && *cursor <= '9' && spec.zero_pad_width < 64) {
        spec.zero_pad_width = spec.zero_pad_width * 10 + static_cast<unsigned>(*cursor - '0');
        ++cursor;
      }
    }
    if (*cursor == 'x') {
      spec.hex = true;
      ++cursor;
    } else if (*cursor == 'd') {
      ++cursor;
    }
  }
  return *cursor == '}' ? cursor : nullptr;
}

void write_unsigned(Format_sink& sink, uint64_t value, const Field_spec& spec, bool negative) {
  char digits[66];  // 64 binary digits would be the worst case; we print base 10 or 16
  size_t count = 0;
  const unsigned base = spec.hex ? 16 : 10;
  do {
    const auto digit = static_cast<unsigned>(value % base);
    digits[count++] = static_cast<char>(digit < 10 ? '0' + digit : 'a' + (digit - 10));
    value /= base;
  } while (value != 0);
  if (negative) sink.write("-", 1);
  if (spec.hex && spec.prefix) sink.write("0x", 2);
  for (size_t pad = count; pad < spec.zero_pad_width; ++pad) sink.write("0", 1);
  while (count > 0) sink.write(&digits[--count], 1);
}

void write_string(Format_sink& sink, const char* text) {
  if (text == nullptr) text = "(null)";
  size_t length = 0;
  while (text[length] != '\0') ++length;
  sink.write(text, length);
}

void write_arg(Format_sink& sink, const Format_arg& arg, const Field_spec& spec) {
  switch (arg.kind) {
    case Format_arg::Kind::unsigned_int:
      write_unsigned(sink, arg.u, spec, false);
      break;
    case Format_arg::Kind::signed_int: {
      const bool negative = arg.s < 0 && !spec.hex;
      // Negate in unsigned arithmetic so INT64_MIN does not overflow.
      const uint64_t magnitude = negative ? ~static_cast<uint64_t>(arg.s) + 1 : static_cast<uint64_t>(arg.s);
      write_unsigned(sink, magnitude, spec, negative);
      break;
    }
    case Format_arg::Kind::string:
      write_string(sink, arg.str);
      break;
    case Format_arg::Kind::boolean:
      write_string(sink, arg.u != 0 ? "true" : "false");
      break;
  }
}

}  // namespace

void format_args(Format_sink& sink, const char* format, const Format_arg* args, size_t count) {
  size_t next_arg = 0;
  const char* literal = format;
  const char* cursor = format;
  auto flush = [&] {
    if (cursor > literal) sink.write(literal, static_cast<size_t>(cursor - literal));
  };
  while (*cursor != '\0') {
    const bool escaped_brace = (cursor[0] == '{' && cursor[1] == '{') || (cursor[0] == '}' && cursor[1] == '}');
    if (escaped_brace) {
      ++cursor;  // keep one brace in the literal run
      flush();
      literal = ++cursor;
      continue;
    }
    if (*cursor != '{') {
      ++cursor;
      continue;
    }
    Field_spec spec;
    const char* close = parse_spec(cursor + 1, spec);
    if (close == nullptr) {  // not a field: print it as it stands
      ++cursor;
      continue;
    }
    flush();
    if (next_arg < count) {
      write_arg(sink, args[next_arg++], spec);
    } else {
      sink.write("{?}", 3);
    }
    cursor = close + 1;
    literal = cursor;
  }
  flush();
}

void Buffer_sink::write(const char* text, size_t length) {
  if (capacity_ == 0) {
    truncated_ = truncated_ || length > 0;
    return;
  }
  for (size_t i = 0; i < length; ++i) {
    if (length_ + 1 >= capacity_) {
      truncated_ = true;
      break;
    }
    buffer_[length_++] = text[i];
  }
  buffer_[length_] = '\0';
}

}  // namespace kestrel
