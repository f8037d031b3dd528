// SPDX-License-Identifier: Apache-2.0
// Ed25519 verification: GF(2^255 - 19) arithmetic, curve points and the check of RFC 8032 section 5.1.7.
//
// Written from the RFC's description. Speed matters little (one signature
// per boot), so the code prefers the plainest correct form: schoolbook
// multiplication, squaring as multiplication, and the curve constants
// computed at compile time from the RFC's definitions rather than typed in.
#include <kestrel/ed25519.hpp>

#include <kestrel/sha512.hpp>

namespace kestrel {
namespace {

// ---------------------------------------------------------------------------
// The field GF(p), p = 2^255 - 19.

// An element as five 51-bit limbs, least significant first: the value is
// limb[0] + limb[1] * 2^51 + ... + limb[4] * 2^204. Every operation below
// returns limbs under 2^52 (not necessarily the smallest representative;
// to_bytes() produces that), which keeps every product within 128 bits.
struct Field_element {
  uint64_t limb[5];
};

constexpr uint64_t limb_mask = (uint64_t{1} << 51) - 1;

// Canonical little-endian encoding of a field element or a point.
struct Encoding {
  uint8_t bytes[32];
};

constexpr bool bytes_equal(const uint8_t* left, const uint8_t* right, size_t size) {
  uint8_t difference = 0;
  for (size_t i = 0; i < size; ++i) difference |= static_cast<uint8_t>(left[i] ^ right[i]);
  return difference == 0;
}

constexpr Field_element field_from_small(uint64_t value) { return {{value, 0, 0, 0, 0}}; }

// Moves each limb's bits above 51 into the next limb; what leaves the top
// limb is worth 2^255 = 19 (mod p) and re-enters at the bottom. For limbs
// under 2^63 the result has limbs 1-4 under 2^51 and limb 0 under 2^52.
constexpr Field_element carried(Field_element f) {
  for (size_t i = 0; i < 4; ++i) {
    f.limb[i + 1] += f.limb[i] >> 51;
    f.limb[i] &= limb_mask;
  }
  const uint64_t overflow = f.limb[4] >> 51;
  f.limb[4] &= limb_mask;
  f.limb[0] += 19 * overflow;
  return f;
}

constexpr Field_element add(const Field_element& left, const Field_element& right) {
  Field_element sum{};
  for (size_t i = 0; i < 5; ++i) sum.limb[i] = left.limb[i] + right.limb[i];
  return carried(sum);
}

// left + 4p - right: the 4p (limbs 2^53 - 76, then 2^53 - 4) keeps every
// limb non-negative for any right-hand limb under 2^52.
constexpr Field_element subtract(const Field_element& left, const Field_element& right) {
  constexpr uint64_t four_p_low_limb = 4 * ((uint64_t{1} << 51) - 19);
  constexpr uint64_t four_p_limb = 4 * limb_mask;
  Field_element difference{};
  for (size_t i = 0; i < 5; ++i) {
    difference.limb[i] = left.limb[i] + (i == 0 ? four_p_low_limb : four_p_limb) - right.limb[i];
  }
  return carried(difference);
}

constexpr Field_element negate(const Field_element& f) { return subtract(field_from_small(0), f); }

// Schoolbook: limb products that land at 2^255 or above are folded back down
// multiplied by 19. With limbs under 2^52 each of the five column sums stays
// below 5 * 19 * 2^104 < 2^111. Kept out of line: inlined at every call it
// would more than double the verifier's code (30 KB instead of 12 KB on
// AArch64) for a few percent of speed.
[[gnu::noinline]] constexpr Field_element multiply(const Field_element& left, const Field_element& right) {
  using Wide = unsigned __int128;
  Wide column[5] = {};
  for (size_t i = 0; i < 5; ++i) {
    for (size_t j = 0; j < 5; ++j) {
      if (i + j < 5) {
        column[i + j] += static_cast<Wide>(left.limb[i]) * right.limb[j];
      } else {
        column[i + j - 5] += static_cast<Wide>(left.limb[i]) * (19 * right.limb[j]);
      }
    }
  }

  // Carry through the columns; the carry out of the top one (under 2^61)
  // re-enters at the bottom times 19, which may carry once more into limb 1.
  Field_element product{};
  Wide carry = 0;
  for (size_t i = 0; i < 5; ++i) {
    column[i] += carry;
    product.limb[i] = static_cast<uint64_t>(column[i]) & limb_mask;
    carry = column[i] >> 51;
  }
  const Wide bottom = product.limb[0] + 19 * carry;
  product.limb[0] = static_cast<uint64_t>(bottom) & limb_mask;
  product.limb[1] += static_cast<uint64_t>(bottom >> 51);
  return product;
}

constexpr Field_element square(const Field_element& f) { return multiply(f, f); }

constexpr Field_element square_repeatedly(Field_element f, unsigned count) {
  for (unsigned i = 0; i < count; ++i) f = square(f);
  return f;
}

// The unique representative below p, little-endian (RFC 8032 section 5.1.2).
constexpr Encoding to_bytes(Field_element f) {
  // One pass leaves limb 0 possibly just over 51 bits; a second leaves every
  // limb under 2^51, so the value is below 2^255. (Should that second pass
  // carry out of the top limb, the value was under 2^255 + 2^18: what stays
  // is small, all in limb 0, and adding 19 to it cannot overflow 51 bits.)
  f = carried(carried(f));
  // The value is now below 2p, so at most one p is to be subtracted, and it
  // is at least p exactly when adding 19 carries out of bit 255.
  uint64_t reaches_p = (f.limb[0] + 19) >> 51;
  for (size_t i = 1; i < 5; ++i) reaches_p = (f.limb[i] + reaches_p) >> 51;
  // Subtracting p is adding 19 and dropping bit 255.
  f.limb[0] += 19 * reaches_p;
  for (size_t i = 0; i < 4; ++i) {
    f.limb[i + 1] += f.limb[i] >> 51;
    f.limb[i] &= limb_mask;
  }
  f.limb[4] &= limb_mask;

  Encoding encoding;     // every byte is written below
  uint64_t pending = 0;  // bits not yet written, lowest first
  unsigned pending_bits = 0;
  size_t next_byte = 0;
  for (const uint64_t limb : f.limb) {
    pending |= limb << pending_bits;  // under 8 + 51 bits
    pending_bits += 51;
    for (; pending_bits >= 8; pending_bits -= 8, pending >>= 8) {
      encoding.bytes[next_byte++] = static_cast<uint8_t>(pending);
    }
  }
  encoding.bytes[next_byte] = static_cast<uint8_t>(pending);  // the last 7 bits
  return encoding;
}

// The 255-bit little-endian number in `bytes`, ignoring bit 255 (the sign
// of x in a point encoding). The number may be p or more; see is_canonical.
constexpr Field_element from_bytes(const uint8_t* bytes) {
  Field_element f{};
  uint64_t pending = 0;
  unsigned pending_bits = 0;
  size_t next_limb = 0;
  for (size_t i = 0; i < 32; ++i) {
    const uint64_t byte = i == 31 ? bytes[i] & 0x7fU : bytes[i];
    pending |= byte << pending_bits;  // under 51 + 8 bits
    pending_bits += 8;
    if (pending_bits >= 51) {
      f.limb[next_limb++] = pending & limb_mask;
      pending >>= 51;
      pending_bits -= 51;
    }
  }
  return f;
}

// Whether bits 0-254 of `bytes` hold a number below p, i.e. whether they
// are the one encoding of their value.
constexpr bool is_canonical(const uint8_t* bytes) {
  Encoding without_sign{};
  for (size_t i = 0; i < 32; ++i) without_sign.bytes[i] = bytes[i];
  without_sign.bytes[31] &= 0x7f;
  return bytes_equal(to_bytes(from_bytes(bytes)).bytes, without_sign.bytes, 32);
}

constexpr bool is_zero(const Field_element& f) {
  const Encoding zero{};
  return bytes_equal(to_bytes(f).bytes, zero.bytes, 32);
}

constexpr bool equal(const Field_element& left, const Field_element& right) { return is_zero(subtract(left, right)); }

// "Negative" as RFC 8032 section 5.1.2 defines it: odd.
constexpr bool is_negative(const Field_element& f) { return (to_bytes(f).bytes[0] & 1) != 0; }

// x^(2^250 - 1), the shared part of the exponents below, built up by
// x^(2^m - 1) ^ (2^n) * x^(2^n - 1) = x^(2^(m + n) - 1).
constexpr Field_element power_2_250_minus_1(const Field_element& x) {
  const Field_element p2 = multiply(square(x), x);                          // x^(2^2 - 1)
  const Field_element p4 = multiply(square_repeatedly(p2, 2), p2);          // x^(2^4 - 1)
  const Field_element p5 = multiply(square(p4), x);                         // x^(2^5 - 1)
  const Field_element p10 = multiply(square_repeatedly(p5, 5), p5);         // x^(2^10 - 1)
  const Field_element p20 = multiply(square_repeatedly(p10, 10), p10);      // x^(2^20 - 1)
  const Field_element p40 = multiply(square_repeatedly(p20, 20), p20);      // x^(2^40 - 1)
  const Field_element p50 = multiply(square_repeatedly(p40, 10), p10);      // x^(2^50 - 1)
  const Field_element p100 = multiply(square_repeatedly(p50, 50), p50);     // x^(2^100 - 1)
  const Field_element p200 = multiply(square_repeatedly(p100, 100), p100);  // x^(2^200 - 1)
  return multiply(square_repeatedly(p200, 50), p50);                        // x^(2^250 - 1)
}

// 1/x as x^(p - 2), where p - 2 = (2^250 - 1) * 2^5 + 11 (0 for x = 0).
constexpr Field_element invert(const Field_element& x) {
  const Field_element x2 = square(x);
  const Field_element x8 = square_repeatedly(x2, 2);
  const Field_element x11 = multiply(multiply(x8, x2), x);
  return multiply(square_repeatedly(power_2_250_minus_1(x), 5), x11);
}

// x^((p - 5) / 8), where (p - 5) / 8 = 2^252 - 3 = (2^250 - 1) * 4 + 1.
constexpr Field_element power_p_minus_5_over_8(const Field_element& x) {
  return multiply(square_repeatedly(power_2_250_minus_1(x), 2), x);
}

// A decimal number mod p, so the constants below can be checked against the
// figures RFC 8032 prints.
constexpr Field_element field_from_decimal(const char* digits) {
  Field_element f = field_from_small(0);
  for (; *digits != '\0'; ++digits) {
    f = add(multiply(f, field_from_small(10)), field_from_small(static_cast<uint64_t>(*digits - '0')));
  }
  return f;
}

// Section 5.1: d = -121665 / 121666.
constexpr Field_element curve_d = multiply(negate(field_from_small(121665)), invert(field_from_small(121666)));
static_assert(equal(
    curve_d, field_from_decimal("37095705934669439343138083508754565189542113879843219016388785533085940283555")));
constexpr Field_element curve_2d = add(curve_d, curve_d);

// Section 5.1.3: a square root of -1 is 2^((p - 1) / 4), and
// (p - 1) / 4 = 2^253 - 5 = (2^250 - 1) * 8 + 3, the last factor 2^3 = 8.
constexpr Field_element sqrt_minus_one =
    multiply(square_repeatedly(power_2_250_minus_1(field_from_small(2)), 3), field_from_small(8));
static_assert(equal(square(sqrt_minus_one), negate(field_from_small(1))));

// ---------------------------------------------------------------------------
// Points on the curve -x^2 + y^2 = 1 + d x^2 y^2.

// Extended homogeneous coordinates (section 5.1.4): the members hold X, Y,
// Z and T, where the point is (x, y) = (X/Z, Y/Z) and x * y = T/Z. They give
// addition formulas without an inversion.
struct Point {
  Field_element x, y, z, t;
};

// Coordinate by coordinate: GCC turns a whole 160-byte Point assignment into
// a memcpy call, which the kernel would rather not depend on.
constexpr void assign(Point& destination, const Point& source) {
  destination.x = source.x;
  destination.y = source.y;
  destination.z = source.z;
  destination.t = source.t;
}

constexpr Point identity_point() {
  return {field_from_small(0), field_from_small(1), field_from_small(1), field_from_small(0)};
}

// Section 5.1.4's addition; the curve's d is not a square, so it is
// complete: correct for every pair of points, equal or not, identity or not.
// Single letters name the RFC's intermediate values.
constexpr Point add(const Point& p, const Point& q) {
  const Field_element a = multiply(subtract(p.y, p.x), subtract(q.y, q.x));
  const Field_element b = multiply(add(p.y, p.x), add(q.y, q.x));
  const Field_element c = multiply(multiply(p.t, curve_2d), q.t);
  const Field_element d = multiply(add(p.z, p.z), q.z);
  const Field_element e = subtract(b, a);
  const Field_element f = subtract(d, c);
  const Field_element g = add(d, c);
  const Field_element h = add(b, a);
  return {multiply(e, f), multiply(g, h), multiply(f, g), multiply(e, h)};
}

// Section 5.1.4's doubling, cheaper than add(p, p).
constexpr Point double_point(const Point& p) {
  const Field_element a = square(p.x);
  const Field_element b = square(p.y);
  const Field_element z_squared = square(p.z);
  const Field_element c = add(z_squared, z_squared);
  const Field_element h = add(a, b);
  const Field_element e = subtract(h, square(add(p.x, p.y)));
  const Field_element g = subtract(a, b);
  const Field_element f = add(c, g);
  return {multiply(e, f), multiply(g, h), multiply(f, g), multiply(e, h)};
}

constexpr Point negate(const Point& p) { return {negate(p.x), p.y, p.z, negate(p.t)}; }

// Section 5.1.2: y, with the low bit of x in bit 255.
constexpr Encoding encode(const Point& p) {
  const Field_element z_inverse = invert(p.z);
  Encoding encoding = to_bytes(multiply(p.y, z_inverse));
  if (is_negative(multiply(p.x, z_inverse))) encoding.bytes[31] |= 0x80;
  return encoding;
}

// Section 5.1.3. Fails for y >= p, for a y with no x on the curve, and for
// x = 0 with the sign bit set: every accepted encoding is the canonical one.
[[nodiscard]] constexpr bool decode(const uint8_t* encoding, Point& point) {
  if (!is_canonical(encoding)) return false;
  const bool x_is_odd = (encoding[31] & 0x80) != 0;
  const Field_element y = from_bytes(encoding);
  const Field_element one = field_from_small(1);

  // x^2 = u / v. The candidate root (u/v)^((p+3)/8) is computed without an
  // inversion as u v^3 (u v^7)^((p-5)/8); it is right up to a factor of
  // sqrt(-1), or there is no root at all.
  const Field_element u = subtract(square(y), one);
  const Field_element v = add(multiply(curve_d, square(y)), one);
  const Field_element v3 = multiply(square(v), v);
  const Field_element v7 = multiply(square(v3), v);
  Field_element x = multiply(multiply(u, v3), power_p_minus_5_over_8(multiply(u, v7)));
  const Field_element v_x_squared = multiply(v, square(x));
  if (equal(v_x_squared, negate(u))) {
    x = multiply(x, sqrt_minus_one);
  } else if (!equal(v_x_squared, u)) {
    return false;
  }

  if (is_zero(x) && x_is_odd) return false;
  if (is_negative(x) != x_is_odd) x = negate(x);
  point = {x, y, one, multiply(x, y)};
  return true;
}

// An encoding with the given first byte, 30 copies of `middle` and the given last byte.
constexpr Encoding encoding_of(uint8_t first, uint8_t middle, uint8_t last) {
  Encoding encoding{};
  encoding.bytes[0] = first;
  for (size_t i = 1; i < 31; ++i) encoding.bytes[i] = middle;
  encoding.bytes[31] = last;
  return encoding;
}

// Section 5.1: B is the point with y = 4/5 and even x, encoded 0x58 0x66 ... 0x66.
constexpr Point decode_base_point() {
  Point point = identity_point();
  return decode(encoding_of(0x58, 0x66, 0x66).bytes, point) ? point : identity_point();
}
constexpr Point base_point = decode_base_point();
static_assert(equal(base_point.x, field_from_decimal("15112221349535400772501151409588531511454012693041857206046113"
                                                     "283949847762202")) &&
              equal(base_point.y, field_from_decimal("46316835694926478169428394003475163141307993866256225615783033"
                                                     "603165251855960")));

// The decoder's refusals, checked at compile time because verification
// cannot show them: nobody can sign for these points, so a signature fails
// whether or not its key decodes.
constexpr bool decodes(const Encoding& encoding) {
  Point point = identity_point();
  return decode(encoding.bytes, point);
}
// y = 3 lies on the curve, with either sign of x...
static_assert(decodes(encoding_of(0x03, 0x00, 0x00)) && decodes(encoding_of(0x03, 0x00, 0x80)));
// ...but its second spelling y = 3 + p is not canonical.
static_assert(!decodes(encoding_of(0xf0, 0xff, 0x7f)) && !decodes(encoding_of(0xf0, 0xff, 0xff)));
// y = 2 has no x on the curve.
static_assert(!decodes(encoding_of(0x02, 0x00, 0x00)));
// y = 1 has x = 0, which has no odd ("negative") form.
static_assert(decodes(encoding_of(0x01, 0x00, 0x00)) && !decodes(encoding_of(0x01, 0x00, 0x80)));

// Whether [8]P is the identity (X = 0, Y = Z): the eight points of order 1,
// 2, 4 or 8, which no honest key or R is.
bool has_small_order(const Point& p) {
  const Point eight_p = double_point(double_point(double_point(p)));
  return is_zero(eight_p.x) && equal(eight_p.y, eight_p.z);
}

// ---------------------------------------------------------------------------
// Scalars: integers below the group order L.

// A 256-bit number as four 64-bit words, least significant first.
struct Scalar {
  uint64_t word[4];
};

// L = 2^252 + 27742317777372353535851937790883648493 (section 5.1).
constexpr Scalar group_order = {{0x5812'631a'5cf5'd3edU, 0x14de'f9de'a2f7'9cd6U, 0, 0x1000'0000'0000'0000U}};

// L read into the field (L < p), to check the words above against the RFC's figure.
constexpr Field_element group_order_in_field() {
  Encoding encoding{};
  for (size_t i = 0; i < 32; ++i) encoding.bytes[i] = static_cast<uint8_t>(group_order.word[i / 8] >> (8 * (i % 8)));
  return from_bytes(encoding.bytes);
}
static_assert(equal(group_order_in_field(), add(Field_element{{0, 0, 0, 0, uint64_t{1} << (252 - 204)}},
                                                field_from_decimal("27742317777372353535851937790883648493"))));

constexpr bool less_than(const Scalar& left, const Scalar& right) {
  for (size_t i = 4; i-- > 0;) {
    if (left.word[i] != right.word[i]) return left.word[i] < right.word[i];
  }
  return false;
}

constexpr Scalar subtract(const Scalar& left, const Scalar& right) {
  Scalar difference{};
  uint64_t borrow = 0;
  for (size_t i = 0; i < 4; ++i) {
    const uint64_t partial = left.word[i] - right.word[i];
    difference.word[i] = partial - borrow;
    borrow = (left.word[i] < right.word[i] || partial < borrow) ? 1 : 0;
  }
  return difference;
}

constexpr bool bit_of(const Scalar& scalar, size_t bit) { return ((scalar.word[bit / 64] >> (bit % 64)) & 1) != 0; }

// 32 little-endian bytes, loaded byte by byte.
constexpr Scalar scalar_from_bytes(const uint8_t* bytes) {
  Scalar scalar{};
  for (size_t i = 32; i-- > 0;) scalar.word[i / 8] = scalar.word[i / 8] << 8 | bytes[i];
  return scalar;
}

// A SHA-512 digest read as a 512-bit little-endian number, mod L: binary
// long division, one bit at a time from the top. The remainder stays below
// L < 2^253, so doubling it and adding a bit never leaves 256 bits.
Scalar reduce_modulo_group_order(const Sha512_digest& digest) {
  Scalar remainder{};
  for (size_t bit = 512; bit-- > 0;) {
    for (size_t i = 3; i > 0; --i) remainder.word[i] = remainder.word[i] << 1 | remainder.word[i - 1] >> 63;
    remainder.word[0] = remainder.word[0] << 1 | ((digest.bytes[bit / 8] >> (bit % 8)) & 1U);
    if (!less_than(remainder, group_order)) remainder = subtract(remainder, group_order);
  }
  return remainder;
}

// [s]B + [k]Q for s, k < L < 2^253, sharing the doublings between both
// products: one doubling per bit, and one addition where either bit is set.
Point double_scalar_multiply(const Scalar& s, const Scalar& k, const Point& q) {
  const Point base_plus_q = add(base_point, q);
  Point result;
  assign(result, identity_point());  // initialising instead costs a memset call at -Og
  for (size_t bit = 253; bit-- > 0;) {
    assign(result, double_point(result));
    const bool s_bit = bit_of(s, bit);
    const bool k_bit = bit_of(k, bit);
    if (s_bit && k_bit) {
      assign(result, add(result, base_plus_q));
    } else if (s_bit) {
      assign(result, add(result, base_point));
    } else if (k_bit) {
      assign(result, add(result, q));
    }
  }
  return result;
}

}  // namespace

bool ed25519_verify(const uint8_t public_key[ed25519_public_key_size], const uint8_t* message, size_t size,
                    const uint8_t signature[ed25519_signature_size]) {
  const uint8_t* r_encoding = signature;
  const Scalar s = scalar_from_bytes(signature + 32);
  if (!less_than(s, group_order)) return false;

  Point a = identity_point();
  if (!decode(public_key, a) || has_small_order(a)) return false;
  Point r = identity_point();
  if (!decode(r_encoding, r) || has_small_order(r)) return false;

  // k = SHA-512(R || A || M) mod L.
  Sha512 hasher;
  hasher.update(r_encoding, 32);
  hasher.update(public_key, ed25519_public_key_size);
  hasher.update(message, size);
  const Scalar k = reduce_modulo_group_order(hasher.finish());

  // R decoded, so its bytes are its one canonical encoding: [S]B = R + [k]A
  // exactly when [S]B - [k]A encodes to those bytes.
  const Encoding check = encode(double_scalar_multiply(s, k, negate(a)));
  return bytes_equal(check.bytes, r_encoding, 32);
}

}  // namespace kestrel
