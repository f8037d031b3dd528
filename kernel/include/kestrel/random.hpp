// SPDX-License-Identifier: Apache-2.0
// Random bits: HMAC_DRBG with SHA-256 (NIST SP 800-90A Rev. 1, 10.1.2), the
// generator the kernel draws guests' boot seeds from.
//
// A standard construction on the SHA-256 the kernel already has, so the
// host unit tests can check it against NIST's CAVP answers, and no other
// crypto code comes into the kernel. The caller gathers the entropy and
// decides when to reseed; every generate() moves the state on (forward
// secrecy: the bytes handed out cannot be recomputed from the state left).
// Freestanding and portable: built unchanged for the host's unit tests.
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/span.hpp>

namespace kestrel {

class Hmac_drbg {
 public:
  // The most one generate() may return (SP 800-90A: 2^19 bits).
  static constexpr size_t max_request_size = 1U << 16;

  // Instantiate (10.1.2.3): entropy, a nonce and an optional
  // personalization string, which the standard simply concatenates.
  void instantiate(Span<const uint8_t> entropy, Span<const uint8_t> nonce, Span<const uint8_t> personalization = {});

  // Reseed (10.1.2.4): fresh entropy and optional additional input.
  void reseed(Span<const uint8_t> entropy, Span<const uint8_t> additional = {});

  // Generate (10.1.2.5): `output.size()` bytes (at most max_request_size;
  // the rest of a longer output is left alone) after mixing in the optional
  // additional input. Only after instantiate().
  void generate(Span<uint8_t> output, Span<const uint8_t> additional = {});

  bool instantiated() const { return instantiated_; }

 private:
  static constexpr size_t out_size = 32;  // SHA-256

  // HMAC_DRBG_Update (10.1.2.2) with provided_data = the concatenation of
  // up to three pieces (empty ones are left out).
  void update(Span<const uint8_t> first, Span<const uint8_t> second = {}, Span<const uint8_t> third = {});

  uint8_t key_[out_size] = {};
  uint8_t value_[out_size] = {};
  uint64_t reseed_counter_ = 0;  // kept as the standard does; no limit is near for what the kernel draws
  bool instantiated_ = false;
};

}  // namespace kestrel
