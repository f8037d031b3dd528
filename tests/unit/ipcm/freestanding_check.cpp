// SPDX-License-Identifier: Apache-2.0
// Compile-only check that the IPCM core builds as the IPCM partition will
// build it: AArch64, freestanding, no exceptions, RTTI or FP registers, no
// heap. Not linked or run: the ctest unit.ipcm_core_freestanding_aarch64
// compiles it with the cross compiler and refuses any undefined symbol but
// the memory functions every partition links. The manager is instantiated
// and every entry point called, so code is generated for all of it.
#include <kestrel/ipcm/manager.hpp>

namespace {

// Stands in for the system calls the kernel step adds (docs/ipcm.md).
struct Kernel {
  bool map(const kestrel::ipcm::Map_call& call);
  bool unmap(const kestrel::ipcm::Unmap_call& call);
  void signal(uint32_t slot, uint64_t badge);
};

Kernel kernel;
// constinit: the partition runtime runs no constructors of static objects.
constinit kestrel::ipcm::Manager<Kernel, 64, 256, 32, 4096> manager{kernel};

}  // namespace

bool Kernel::map(const kestrel::ipcm::Map_call& call) { return call.pages != 0; }
bool Kernel::unmap(const kestrel::ipcm::Unmap_call& call) { return call.pages != 0; }
void Kernel::signal(uint32_t, uint64_t) {}

extern "C" uint64_t ipcm_check(const uint8_t* table, size_t size, uint8_t* pool, uint64_t badge, uint64_t word) {
  if (manager.start(table, size, pool) != kestrel::ipcm::Start_error::none) return 0;
  const auto reply = manager.handle(badge, {word, word, word});
  return static_cast<uint64_t>(reply.status) + reply.address + manager.end_stopped(badge);
}
