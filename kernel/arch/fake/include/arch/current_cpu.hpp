// SPDX-License-Identifier: Apache-2.0
// Current CPU (fake arch): the CPU a host test says generic code runs on.
//
// Host builds put this folder before kernel/arch/aarch64/include, so it
// stands in for aarch64's current_cpu.hpp; the other arch headers generic
// code includes (the exception frame, the vCPU and FP register blocks) are
// plain data and come from aarch64 unchanged. Were aarch64's version picked
// by mistake, its `mrs` would not assemble for the host.
#pragma once

namespace kestrel::arch {

namespace fake {
extern unsigned executing_cpu;  // set by tests (fake_arch.hpp); 0 by default
}  // namespace fake

inline unsigned current_cpu() { return fake::executing_cpu; }

}  // namespace kestrel::arch
