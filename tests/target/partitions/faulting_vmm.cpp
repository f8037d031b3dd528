// SPDX-License-Identifier: Apache-2.0
// Faulting VMM: takes its guest's first exit and faults instead of
// answering it. The vCPU, which cannot go on without its VMM, must stop
// rather than wait for ever (images/vmm-dies.capnp).
#include <kestrel/syscall.hpp>

namespace {

constexpr uint64_t exits = 0;  // slot 0: receive on "guest.exits"
constexpr uint64_t unmapped = 0x1000'0000;

}  // namespace

extern "C" int main() {
  (void)kestrel::recv(exits);
  (void)*reinterpret_cast<volatile uint64_t*>(unmapped);
  kestrel::thread_exit();
}
