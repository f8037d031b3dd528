// SPDX-License-Identifier: Apache-2.0
// Virtual interrupts: making an interrupt pending for a vCPU, from its VMM
// (vcpu_inject_interrupt) or from another vCPU of its VM (an SGI), and
// waking the vCPU wherever it runs.
#pragma once

#include <cstdint>

#include <kestrel/thread.hpp>

namespace kestrel {

// `intid` is pending for `vcpu` from now on; a vCPU waiting in WFI wakes,
// and one running on another CPU is kicked to pick the interrupt up.
void deliver_virtual_interrupt(Thread& vcpu, uint32_t intid);

// The guest's write to ICC_SGI1R_EL1 (or ICC_ASGI1R_EL1) on `sender`: SGI
// `intid` for every other vCPU of its VM (`all_others`), or for vCPUs
// first + n for each bit n of `targets`. Targets the VM lacks are ignored,
// as the GIC ignores affinities with no CPU.
void send_virtual_sgi(Thread& sender, uint32_t intid, bool all_others, uint32_t first, uint16_t targets);

}  // namespace kestrel
