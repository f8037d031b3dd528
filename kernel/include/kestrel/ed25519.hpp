// SPDX-License-Identifier: Apache-2.0
// Ed25519 signature verification (RFC 8032): how the kernel knows boot-info was signed by its key.
//
// Verification only: the kernel never holds a secret key, so nothing here
// needs to run in constant time. Freestanding like Sha256 and Sha512 (no
// heap, no libc calls, no unaligned loads, general registers only) and
// built unchanged for the host's unit tests, which check it against
// libsodium, the library the host signs with.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kestrel {

inline constexpr size_t ed25519_public_key_size = 32;
inline constexpr size_t ed25519_signature_size = 64;

// True exactly when `signature` (R || S, 64 bytes) is a valid Ed25519
// signature of the `size` bytes at `message` (null if size is 0) under
// `public_key` (32 bytes), per RFC 8032 section 5.1.7. Beyond the RFC's
// checks it applies libsodium's stricter rules, so a signature the host's
// libsodium would refuse is refused here too:
// - the public key and R must be canonical encodings of curve points (y < p;
//   no "negative zero" x) and neither may be of small order (the eight
//   points P with [8]P = 0, among them the all-zero encoding), since any
//   signature "verifies" under such a key with useful probability;
// - S must be below the group order L, so a signature cannot be altered into
//   a second valid one;
// - the check is the cofactorless [S]B = R + [k]A, which libsodium uses and
//   which the RFC permits.
[[nodiscard]] bool ed25519_verify(const uint8_t public_key[ed25519_public_key_size], const uint8_t* message,
                                  size_t size, const uint8_t signature[ed25519_signature_size]);

}  // namespace kestrel
