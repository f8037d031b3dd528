// SPDX-License-Identifier: Apache-2.0
// Boot signature, for a kernel built with a public key: boot-info must carry
// an Ed25519 signature made with the matching secret key.
#include <kestrel/abi/boot_info.hpp>
#include <kestrel/boot_signature.hpp>
#include <kestrel/ed25519.hpp>
#include <kestrel/log.hpp>

namespace kestrel {

static_assert(sizeof boot_public_key == ed25519_public_key_size);

bool boot_info_signature_accepted(const uint8_t* blob, size_t size) {
  const auto* signature = reinterpret_cast<const abi::Boot_info_signature*>(blob + ((size + 7) & ~size_t{7}));
  if (signature->magic != abi::signature_magic || signature->signed_size != size) {
    log("boot: boot-info is not signed, and this kernel boots only images signed with its key\n");
    return false;
  }
  if (!ed25519_verify(boot_public_key, blob, size, signature->ed25519)) {
    log("boot: boot-info signature INVALID: not signed with this kernel's key\n");
    return false;
  }
  log("boot: boot-info signature verified (Ed25519)\n");
  return true;
}

}  // namespace kestrel
