// SPDX-License-Identifier: Apache-2.0
// Restart guest: checks that PSCI SYSTEM_RESET (vm_restart in its VMM)
// brings it back exactly as the image loaded it. Each boot it prints its
// .data and .bss values (which must be the image's: the boot count 1, the
// marker 0x600d, zeros), starts vCPU 1 spinning on another CPU (so the
// restart has to take a running vCPU off it), dirties .data and .bss and
// asks for SYSTEM_RESET. Its VMM counts the restarts (a register at
// 0x0a000000); after two it powers off.
//
// Each boot it also reads /chosen/rng-seed and kaslr-seed from its device
// tree (x0), which the kernel fills afresh at every start: they must be
// there, of the image's sizes and not zero, and differ from the previous
// boot's. A fingerprint of them survives the restart in a register of the
// VMM (0x0a000008), since guest RAM does not.
#include <cstdint>

#include "guest_console.hpp"

namespace {

using namespace guest;

constexpr uint64_t psci_system_reset = 0x8400'0009;
constexpr uint64_t restart_count_register = 0x0a00'0000;
constexpr uint64_t seed_fingerprint_register = 0x0a00'0008;

// .data: what the image put there. volatile: the compiler must not assume.
volatile uint64_t boots = 0x1000;
volatile uint64_t marker = 0x600d;
// .bss: zero after every restart.
volatile uint64_t scribble = 0;
volatile uint64_t spins = 0;

uint32_t big_endian(const uint8_t* bytes) {
  return uint32_t{bytes[0]} << 24 | uint32_t{bytes[1]} << 16 | uint32_t{bytes[2]} << 8 | bytes[3];
}

bool same_string(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) ++a, ++b;
  return *a == *b;
}

struct Property {
  const uint8_t* value = nullptr;
  uint32_t size = 0;
};

// /chosen/`name` in the tree kestrel-image made (trusted to be well formed:
// this guest checks what the kernel wrote into it, not libfdt's job).
Property chosen_property(const uint8_t* tree, const char* name) {
  const uint8_t* at = tree + big_endian(tree + 8);                                    // off_dt_struct
  const auto* strings = reinterpret_cast<const char*>(tree + big_endian(tree + 12));  // off_dt_strings
  unsigned depth = 0;
  bool in_chosen = false;
  for (;;) {
    const uint32_t token = big_endian(at);
    at += 4;
    if (token == 1) {  // FDT_BEGIN_NODE
      const auto* node = reinterpret_cast<const char*>(at);
      if (++depth == 2) in_chosen = same_string(node, "chosen");
      uint32_t length = 0;
      while (node[length] != '\0') ++length;
      at += (length + 4) & ~3U;
    } else if (token == 2) {  // FDT_END_NODE
      if (depth-- == 2) in_chosen = false;
    } else if (token == 3) {  // FDT_PROP
      const uint32_t size = big_endian(at);
      const char* property = strings + big_endian(at + 4);
      at += 8;
      if (in_chosen && depth == 2 && same_string(property, name)) return {at, size};
      at += (size + 3) & ~3U;
    } else if (token != 4) {  // not FDT_NOP: FDT_END
      return {};
    }
  }
}

bool all_zero(const Property& property) {
  for (uint32_t i = 0; i < property.size; ++i) {
    if (property.value[i] != 0) return false;
  }
  return true;
}

// FNV-1a over both seeds: equal seeds, equal fingerprints.
uint64_t fingerprint(const Property& rng_seed, const Property& kaslr_seed) {
  uint64_t hash = 0xcbf2'9ce4'8422'2325ULL;
  const Property seeds[] = {rng_seed, kaslr_seed};
  for (const Property& seed : seeds) {
    for (uint32_t i = 0; i < seed.size; ++i) hash = (hash ^ seed.value[i]) * 0x100'0000'01b3ULL;
  }
  return hash;
}

void check_seeds(uint64_t device_tree) {
  const auto* tree = reinterpret_cast<const uint8_t*>(device_tree);
  const Property rng_seed = chosen_property(tree, "rng-seed");
  const Property kaslr_seed = chosen_property(tree, "kaslr-seed");
  print("restart: rng-seed ");
  print_decimal(rng_seed.size);
  print(" bytes, kaslr-seed ");
  print_decimal(kaslr_seed.size);
  print(all_zero(rng_seed) || all_zero(kaslr_seed) ? " bytes, ZERO\n" : " bytes, not zero\n");
  if (rng_seed.size != 64 || kaslr_seed.size != 8 || all_zero(rng_seed) || all_zero(kaslr_seed)) {
    print("restart: FAILED: no fresh seeds in /chosen\n");
  }
  auto* previous = reinterpret_cast<volatile uint64_t*>(seed_fingerprint_register);
  const uint64_t now = fingerprint(rng_seed, kaslr_seed);
  if (*previous != 0) {
    print(*previous != now ? "restart: seeds differ from the previous boot's\n"
                           : "restart: FAILED: the same seeds as the previous boot\n");
  }
  *previous = now;
}

}  // namespace

// Spins for good, writing guest RAM: it is running when the reset comes.
extern "C" [[noreturn]] void secondary_main(uint64_t) {
  for (;;) spins = spins + 1;
}

// x0 from start.S: the device tree, as the boot protocol passes it.
extern "C" void guest_main(uint64_t device_tree) {
  boots = boots + 1;
  const uint64_t restarts = *reinterpret_cast<volatile uint64_t*>(restart_count_register);
  print("restart: boot ");
  print_hex(boots);
  print(" after ");
  print_decimal(restarts);
  print(" restarts: .data ");
  print_hex(marker);
  print(", .bss ");
  print_hex(scribble);
  print(" ");
  print_hex(spins);
  print("\n");
  if (boots != 0x1001 || marker != 0x600d || scribble != 0 || spins != 0) print("restart: FAILED: not pristine\n");
  check_seeds(device_tree);
  if (restarts == 2) {
    print("restart: restarted twice from the image, powering off\n");
    power_off();
  }
  if (hypercall(psci_cpu_on, 1, reinterpret_cast<uint64_t>(secondary_start), 0) != 0) {
    print("restart: FAILED: CPU_ON\n");
  }
  while (spins == 0) asm volatile("yield");
  marker = 0xdead;
  scribble = 0xbad;
  print("restart: vCPU 1 spins, .data and .bss dirtied; SYSTEM_RESET\n");
  hypercall(psci_system_reset);
  print("restart: FAILED: SYSTEM_RESET returned\n");
}
