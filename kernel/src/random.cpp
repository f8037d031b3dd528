// SPDX-License-Identifier: Apache-2.0
// Random bits: HMAC_DRBG with SHA-256 (NIST SP 800-90A Rev. 1, 10.1.2).
#include <kestrel/random.hpp>

#include <kestrel/sha256.hpp>

namespace kestrel {
namespace {

constexpr size_t hmac_block_size = 64;  // SHA-256's block
constexpr size_t key_size = 32;

// Overwrites `size` bytes in a way the compiler may not drop as a dead store.
void wipe(void* data, size_t size) {
  auto* bytes = static_cast<volatile uint8_t*>(data);
  for (size_t i = 0; i < size; ++i) bytes[i] = 0;
}

// HMAC-SHA-256 (RFC 2104) of the concatenation of `pieces` under a 32-byte key.
Sha256_digest hmac(const uint8_t (&key)[key_size], const Span<const uint8_t>* pieces, size_t piece_count) {
  uint8_t pad[hmac_block_size];
  for (size_t i = 0; i < hmac_block_size; ++i) pad[i] = static_cast<uint8_t>((i < key_size ? key[i] : 0) ^ 0x36);
  Sha256 inner;
  inner.update(pad, sizeof pad);
  for (size_t i = 0; i < piece_count; ++i) inner.update(pieces[i].data(), pieces[i].size());
  Sha256_digest inner_digest = inner.finish();
  for (size_t i = 0; i < hmac_block_size; ++i) pad[i] = static_cast<uint8_t>((i < key_size ? key[i] : 0) ^ 0x5c);
  Sha256 outer;
  outer.update(pad, sizeof pad);
  outer.update(inner_digest.bytes, sizeof inner_digest.bytes);
  wipe(pad, sizeof pad);
  wipe(&inner_digest, sizeof inner_digest);
  return outer.finish();
}

void copy(uint8_t* destination, const uint8_t* source, size_t size) {
  for (size_t i = 0; i < size; ++i) destination[i] = source[i];
}

}  // namespace

void Hmac_drbg::update(Span<const uint8_t> first, Span<const uint8_t> second, Span<const uint8_t> third) {
  const bool provided = !first.empty() || !second.empty() || !third.empty();
  for (uint8_t round = 0; round < (provided ? 2 : 1); ++round) {
    // K = HMAC(K, V || round || provided_data); V = HMAC(K, V).
    const Span<const uint8_t> pieces[] = {{value_, out_size}, {&round, 1}, first, second, third};
    Sha256_digest digest = hmac(key_, pieces, sizeof pieces / sizeof pieces[0]);
    copy(key_, digest.bytes, out_size);
    const Span<const uint8_t> just_value[] = {{value_, out_size}};
    digest = hmac(key_, just_value, 1);
    copy(value_, digest.bytes, out_size);
    wipe(&digest, sizeof digest);
  }
}

void Hmac_drbg::instantiate(Span<const uint8_t> entropy, Span<const uint8_t> nonce,
                            Span<const uint8_t> personalization) {
  for (size_t i = 0; i < out_size; ++i) {
    key_[i] = 0x00;
    value_[i] = 0x01;
  }
  update(entropy, nonce, personalization);
  reseed_counter_ = 1;
  instantiated_ = true;
}

void Hmac_drbg::reseed(Span<const uint8_t> entropy, Span<const uint8_t> additional) {
  update(entropy, additional);
  reseed_counter_ = 1;
}

void Hmac_drbg::generate(Span<uint8_t> output, Span<const uint8_t> additional) {
  if (!additional.empty()) update(additional);
  const size_t size = output.size() < max_request_size ? output.size() : max_request_size;
  for (size_t done = 0; done < size;) {
    const Span<const uint8_t> just_value[] = {{value_, out_size}};
    Sha256_digest digest = hmac(key_, just_value, 1);
    copy(value_, digest.bytes, out_size);
    wipe(&digest, sizeof digest);
    const size_t chunk = size - done < out_size ? size - done : out_size;
    copy(output.data() + done, value_, chunk);
    done += chunk;
  }
  update(additional);
  ++reseed_counter_;
}

}  // namespace kestrel
