// SPDX-License-Identifier: Apache-2.0
// The kernel's random bits: gathering entropy, and seeding each VM start.
#include <kestrel/arch.hpp>
#include <kestrel/device_tree.hpp>
#include <kestrel/guest_seeds.hpp>
#include <kestrel/kernel_random.hpp>
#include <kestrel/log.hpp>
#include <kestrel/random.hpp>

namespace kestrel {
namespace {

constexpr size_t needed_entropy = 32;   // bytes: SHA-256's security strength
constexpr unsigned hardware_words = 4;  // RNDR reads per (re)seed: 32 bytes

Hmac_drbg generator;

// A dead store the compiler may not drop.
void wipe(uint8_t* bytes, size_t size) {
  auto* volatile_bytes = static_cast<volatile uint8_t*>(bytes);
  for (size_t i = 0; i < size; ++i) volatile_bytes[i] = 0;
}

// Entropy gathered into a buffer; what does not fit is left out.
struct Pool {
  uint8_t bytes[128];
  size_t size = 0;

  void take(const uint8_t* data, size_t count) {
    for (size_t i = 0; i < count && size < sizeof bytes; ++i) bytes[size++] = data[i];
  }
  // Up to hardware_words numbers from RNDR; returns how many bytes came.
  size_t take_hardware() {
    const size_t before = size;
    for (unsigned i = 0; i < hardware_words; ++i) {
      uint64_t value = 0;
      if (!arch::hardware_random(value)) break;
      take(reinterpret_cast<const uint8_t*>(&value), sizeof value);
      wipe(reinterpret_cast<uint8_t*>(&value), sizeof value);
    }
    return size - before;
  }
  ~Pool() { wipe(bytes, sizeof bytes); }
};

// The kernel maps RAM as an identity (kernel_mmu.cpp).
uint8_t* write_identity(uint64_t physical_address, uint64_t) { return reinterpret_cast<uint8_t*>(physical_address); }

}  // namespace

void seed_kernel_random() {
  Pool pool;
  const Span<uint8_t> tree = arch::machine_device_tree();
  static constexpr const char* seed_names[] = {"rng-seed", "kaslr-seed"};
  for (const char* name : seed_names) {
    const Span<uint8_t> seed = fdt::find_chosen_property(tree.data(), tree.size(), name);
    pool.take(seed.data(), seed.size());
    wipe(seed.data(), seed.size());  // read once: nothing after the kernel may see it
  }
  const size_t from_tree = pool.size;
  const size_t from_hardware = pool.take_hardware();
  if (pool.size < needed_entropy) {
    log("random: no entropy ({} bytes from the machine's device tree, {} from RNDR): guests get no rng-seed or "
        "kaslr-seed\n",
        from_tree, from_hardware);
    return;
  }
  const uint64_t nonce = arch::counter_now();
  static constexpr char personalization[] = "Kestrel guest seeds";
  generator.instantiate({pool.bytes, pool.size}, {reinterpret_cast<const uint8_t*>(&nonce), sizeof nonce},
                        {reinterpret_cast<const uint8_t*>(personalization), sizeof personalization - 1});
  log("random: seeded with {} bytes from the machine's device tree and {} from RNDR\n", from_tree, from_hardware);
}

void give_guest_its_seeds(const Boot_info& info, uint32_t vm) {
  if (generator.instantiated()) {
    Pool fresh;
    if (fresh.take_hardware() != 0) generator.reseed({fresh.bytes, fresh.size});
  }
  (void)fill_guest_seeds(info, vm, generator.instantiated() ? &generator : nullptr, write_identity);
  for (const abi::Guest_seed_entry& seed : info.guest_seeds()) {
    if (seed.partition == vm) arch::clean_data_cache_to_poc(seed.pa, abi::guest_seed_property_size(seed));
  }
}

}  // namespace kestrel
