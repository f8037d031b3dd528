// SPDX-License-Identifier: Apache-2.0
// Restart guest: checks that PSCI SYSTEM_RESET (vm_restart in its VMM)
// brings it back exactly as the image loaded it. Each boot it prints its
// .data and .bss values (which must be the image's: the boot count 1, the
// marker 0x600d, zeros), starts vCPU 1 spinning on another CPU (so the
// restart has to take a running vCPU off it), dirties .data and .bss and
// asks for SYSTEM_RESET. Its VMM counts the restarts (a register at
// 0x0a000000); after two it powers off.
#include <cstdint>

#include "guest_console.hpp"

namespace {

using namespace guest;

constexpr uint64_t psci_system_reset = 0x8400'0009;
constexpr uint64_t restart_count_register = 0x0a00'0000;

// .data: what the image put there. volatile: the compiler must not assume.
volatile uint64_t boots = 0x1000;
volatile uint64_t marker = 0x600d;
// .bss: zero after every restart.
volatile uint64_t scribble = 0;
volatile uint64_t spins = 0;

}  // namespace

// Spins for good, writing guest RAM: it is running when the reset comes.
extern "C" [[noreturn]] void secondary_main(uint64_t) {
  for (;;) spins = spins + 1;
}

extern "C" void guest_main() {
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
