// SPDX-License-Identifier: Apache-2.0
// Kernel entry: what the boot CPU does once the arch layer has set it up.
#include <kestrel/arch.hpp>
#include <kestrel/log.hpp>
#include <kestrel/version.hpp>

using namespace kestrel;

extern "C" [[noreturn]] void kernel_main() {
  log("Kestrel {} microkernel ({})\n", kestrel_version, kestrel_board_name);
  const unsigned el = arch::current_exception_level();
  log("boot: running at EL{} on CPU {}\n", el, arch::current_cpu());
  if (el != 2) {
    panic("Kestrel must be entered at EL2 (hypervisor mode), not EL{}", el);
  }
  const auto psci = arch::psci_version();
  const unsigned cpus = arch::start_secondary_cpus();
  log("smp: PSCI {}.{}, {} {} online\n", psci.major, psci.minor, cpus, cpus == 1 ? "CPU" : "CPUs");
  log("boot: no partitions to start yet; powering off\n");
  arch::power_off();
}
