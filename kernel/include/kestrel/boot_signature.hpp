// SPDX-License-Identifier: Apache-2.0
// Boot signature: whether the kernel may use the boot-info it found.
//
// A link seam, not a compile-time switch: a kernel image built with a public
// key (kestrel_add_kernel_image ... PUBLIC_KEY) links
// trust/boot_signature_ed25519.cpp, and with it SHA-512 and Ed25519; every
// other image links trust/boot_signature_none.cpp, which accepts any
// boot-info and pulls no signature code into the kernel.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kestrel {

// True if the `size`-byte boot-info at `blob` may be used. With a key: only
// if an abi::Boot_info_signature follows it (at the next 8-byte boundary)
// and is a valid Ed25519 signature of those bytes under the key; says why
// in the log otherwise. Without a key: always.
[[nodiscard]] bool boot_info_signature_accepted(const uint8_t* blob, size_t size);

// The key a signed image checks against: defined only in such images, in a
// file CMake generates from the PUBLIC_KEY file (kestrel-image keygen --public).
extern const uint8_t boot_public_key[32];

}  // namespace kestrel
