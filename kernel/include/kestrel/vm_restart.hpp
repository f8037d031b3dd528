// SPDX-License-Identifier: Apache-2.0
// VM restart: a VMM restarts its VM from the image (vm_restart, for the
// guest's PSCI SYSTEM_RESET).
//
// Two steps, because a vCPU running on another CPU keeps writing its
// registers and guest RAM until that CPU enters the kernel: first every vCPU
// is stopped and taken off every queue, and the CPUs running one are kicked;
// once the last of them has switched away (saving the vCPU's state), guest
// RAM is zeroed, the image's bytes are copied back from their pristine copy
// (abi::Pristine_entry), the VM is measured again, its vCPUs are reset and
// the first starts. The VMM waits in the system call meanwhile, and gets
// the outcome as its status. All of it runs under the kernel lock.
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/abi/syscall.hpp>
#include <kestrel/ipc.hpp>
#include <kestrel/partition.hpp>
#include <kestrel/result.hpp>
#include <kestrel/thread.hpp>

namespace kestrel {

// At boot, once boot-info is checked: where it is, to find the pristine
// copies and digests again at each restart.
void keep_boot_info_for_restarts(const uint8_t* blob, size_t size);

// Decode: a vCPU capability (control right) of a restartable VM that was
// started at boot, is not the caller's own and is not being restarted.
Decoded<Partition*> decode_vm_restart(const Thread& caller, uint64_t slot);

// Invoke: stops the VM's vCPUs. If none is on a CPU, restarts the VM now
// (done, with the restart's status); otherwise the caller waits until
// continue_vm_restart finishes it (blocked).
Result begin_vm_restart(Partition& vm, Thread& caller);

// A CPU has switched away from `left` and saved its state: if its VM waits
// to restart and no other vCPU of it is on a CPU, restarts it now and wakes
// the waiting VMM. Returns whether it did (threads became ready).
bool continue_vm_restart(Thread& left);

}  // namespace kestrel
