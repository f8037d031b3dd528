// SPDX-License-Identifier: Apache-2.0
// Printf: printf-style formatting for freestanding code (no libc, no svc, so
// the host unit tests check it against the host's snprintf).
//
// Conversions: %d %i %u %x %X %o %c %s %p %%, with flags '-' (left-justify),
// '0' (zero-pad), '+', ' ' and '#', a width and a precision (digits or '*'),
// and the length modifiers hh h l ll z j t. As in C, except:
//   %p  prints "0x" and 16 hexadecimal digits (like console_print_hex).
//   %s  of a null pointer prints "(null)".
//   An unknown conversion prints itself ("%q" stays "%q"), so a mistake
//   shows in the output instead of consuming an argument.
// No floating-point conversions (%f, %e, %g, %a).
#pragma once

#include <cstddef>
#include <cstdint>

namespace kestrel {

namespace format_detail {

struct Spec {
  bool left = false;       // '-'
  bool zero = false;       // '0'
  bool plus = false;       // '+'
  bool space = false;      // ' '
  bool alternate = false;  // '#'
  size_t width = 0;
  bool has_precision = false;
  size_t precision = 0;
};

template <class Put>
void pad(Put& put, size_t& count, char c, size_t n) {
  for (size_t i = 0; i < n; ++i) put(c);
  count += n;
}

// One number: sign or prefix, then zeros for the precision (or the '0' flag),
// then the digits, within the width.
template <class Put>
void put_number(Put& put, size_t& count, const Spec& spec, uint64_t magnitude, bool negative, unsigned base,
                bool upper) {
  const char* digits_of = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char digits[24];  // 64 bits in octal take 22
  size_t n = 0;
  // Precision 0 and the value 0: no digits at all (C's rule).
  if (!(spec.has_precision && spec.precision == 0 && magnitude == 0)) {
    do {
      digits[n++] = digits_of[magnitude % base];
      magnitude /= base;
    } while (magnitude != 0);
  }
  char prefix[2];
  size_t prefix_length = 0;
  if (negative) {
    prefix[prefix_length++] = '-';
  } else if (spec.plus && base == 10) {
    prefix[prefix_length++] = '+';
  } else if (spec.space && base == 10) {
    prefix[prefix_length++] = ' ';
  }
  const bool hex_prefix = spec.alternate && base == 16 && n > 0 && !(n == 1 && digits[0] == '0');
  if (hex_prefix) {
    prefix[prefix_length++] = '0';
    prefix[prefix_length++] = upper ? 'X' : 'x';
  }
  size_t zeros = spec.has_precision && spec.precision > n ? spec.precision - n : 0;
  // '#' with octal: the first digit is a 0.
  if (spec.alternate && base == 8 && zeros == 0 && (n == 0 || digits[n - 1] != '0')) zeros = 1;
  size_t body = prefix_length + zeros + n;
  // The '0' flag pads with zeros after the sign, unless a precision is given.
  if (spec.zero && !spec.left && !spec.has_precision && spec.width > body) {
    zeros += spec.width - body;
    body = spec.width;
  }
  const size_t fill = spec.width > body ? spec.width - body : 0;
  if (!spec.left) pad(put, count, ' ', fill);
  for (size_t i = 0; i < prefix_length; ++i) put(prefix[i]);
  count += prefix_length;
  pad(put, count, '0', zeros);
  for (size_t i = n; i > 0; --i) put(digits[i - 1]);
  count += n;
  if (spec.left) pad(put, count, ' ', fill);
}

// `n` characters of `text`, within the width.
template <class Put>
void put_padded(Put& put, size_t& count, const Spec& spec, const char* text, size_t n) {
  const size_t fill = spec.width > n ? spec.width - n : 0;
  if (!spec.left) pad(put, count, ' ', fill);
  for (size_t i = 0; i < n; ++i) put(text[i]);
  count += n;
  if (spec.left) pad(put, count, ' ', fill);
}

template <class Put>
void put_text(Put& put, size_t& count, const Spec& spec, const char* text) {
  if (text == nullptr) text = "(null)";
  size_t n = 0;
  while ((!spec.has_precision || n < spec.precision) && text[n] != '\0') ++n;
  put_padded(put, count, spec, text, n);
}

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace format_detail

// Formats `format` with `arguments`, handing each character to put(char).
// Returns the number of characters produced.
template <class Put>
size_t vformat(Put&& put, const char* format, __builtin_va_list arguments) {
  using namespace format_detail;
  size_t count = 0;
  for (const char* p = format; *p != '\0'; ++p) {
    if (*p != '%') {
      put(*p);
      ++count;
      continue;
    }
    const char* const start = p++;
    Spec spec;
    for (;; ++p) {
      if (*p == '-') {
        spec.left = true;
      } else if (*p == '0') {
        spec.zero = true;
      } else if (*p == '+') {
        spec.plus = true;
      } else if (*p == ' ') {
        spec.space = true;
      } else if (*p == '#') {
        spec.alternate = true;
      } else {
        break;
      }
    }
    if (*p == '*') {
      const int width = __builtin_va_arg(arguments, int);
      // A negative width from '*' means '-' and its magnitude (C's rule).
      if (width < 0) spec.left = true;
      spec.width = width < 0 ? static_cast<size_t>(-static_cast<int64_t>(width)) : static_cast<size_t>(width);
      ++p;
    } else {
      while (is_digit(*p)) spec.width = spec.width * 10 + static_cast<size_t>(*p++ - '0');
    }
    if (*p == '.') {
      ++p;
      spec.has_precision = true;
      if (*p == '*') {
        const int precision = __builtin_va_arg(arguments, int);
        // A negative precision counts as none.
        spec.has_precision = precision >= 0;
        spec.precision = precision >= 0 ? static_cast<size_t>(precision) : 0;
        ++p;
      } else {
        while (is_digit(*p)) spec.precision = spec.precision * 10 + static_cast<size_t>(*p++ - '0');
      }
    }
    // Length: how many bits the argument has (char and short arrive as int).
    unsigned bits = 32;
    if (*p == 'h') {
      bits = 16;
      if (*++p == 'h') {
        bits = 8;
        ++p;
      }
    } else if (*p == 'l') {
      bits = 64;
      if (*++p == 'l') ++p;
    } else if (*p == 'z' || *p == 'j' || *p == 't') {
      bits = 64;
      ++p;
    }
    const char conversion = *p;
    switch (conversion) {
      case 'd':
      case 'i': {
        int64_t value = bits == 64 ? __builtin_va_arg(arguments, int64_t) : __builtin_va_arg(arguments, int);
        if (bits == 16) value = static_cast<int16_t>(value);
        if (bits == 8) value = static_cast<int8_t>(value);
        // The magnitude of INT64_MIN does not fit in int64_t; in uint64_t it does.
        const uint64_t magnitude =
            value < 0 ? uint64_t{0} - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
        put_number(put, count, spec, magnitude, value < 0, 10, false);
        break;
      }
      case 'u':
      case 'x':
      case 'X':
      case 'o': {
        uint64_t value = bits == 64 ? __builtin_va_arg(arguments, uint64_t) : __builtin_va_arg(arguments, unsigned int);
        if (bits == 16) value = static_cast<uint16_t>(value);
        if (bits == 8) value = static_cast<uint8_t>(value);
        const unsigned base = conversion == 'u' ? 10 : conversion == 'o' ? 8 : 16;
        put_number(put, count, spec, value, false, base, conversion == 'X');
        break;
      }
      case 'p': {
        auto value = reinterpret_cast<uintptr_t>(__builtin_va_arg(arguments, const void*));
        char text[18] = {'0', 'x'};
        for (size_t i = 17; i >= 2; --i, value >>= 4) text[i] = "0123456789abcdef"[value & 0xf];
        put_padded(put, count, spec, text, sizeof text);
        break;
      }
      case 'c': {
        const auto c = static_cast<char>(__builtin_va_arg(arguments, int));
        put_padded(put, count, spec, &c, 1);
        break;
      }
      case 's':
        put_text(put, count, spec, __builtin_va_arg(arguments, const char*));
        break;
      case '%':
        put('%');
        ++count;
        break;
      default:
        // Unknown, or the format ended: print what was there.
        for (const char* q = start; q <= p && *q != '\0'; ++q) {
          put(*q);
          ++count;
        }
        if (*p == '\0') return count;
        break;
    }
  }
  return count;
}

// Like snprintf: writes at most size - 1 characters and a NUL into `buffer`
// and returns how many the whole text has (so a result >= size means cut).
inline size_t vsnformat(char* buffer, size_t size, const char* format, __builtin_va_list arguments) {
  size_t used = 0;
  const size_t total = vformat(
      [&](char c) {
        if (used + 1 < size) buffer[used++] = c;
      },
      format, arguments);
  if (size > 0) buffer[used] = '\0';
  return total;
}

__attribute__((format(printf, 3, 4))) inline size_t snformat(char* buffer, size_t size, const char* format, ...) {
  __builtin_va_list arguments;
  __builtin_va_start(arguments, format);
  const size_t total = vsnformat(buffer, size, format, arguments);
  __builtin_va_end(arguments);
  return total;
}

}  // namespace kestrel
