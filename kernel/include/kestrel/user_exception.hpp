// SPDX-License-Identifier: Apache-2.0
// User exception: what a native thread's synchronous exception means, decoded
// by the arch layer, handled by generic code.
#pragma once

#include <cstdint>

#include <arch/exception.hpp>

namespace kestrel {

struct User_exception {
  enum class Kind : uint8_t {
    syscall,   // svc #0
    wait,      // WFI (or a native thread's WFE): the thread has nothing to do
    pause,     // a vCPU's WFE: it waits for another vCPU, so it gives up the CPU
    fault,     // anything else: the thread did something it may not
    vm_exit,   // a vCPU's trap for its VMM; the message is in the thread
    emulated,  // a vCPU's trap the arch layer has answered: it just continues
  };
  Kind kind;
  const char* description;  // for faults: "data abort", "undefined instruction", ...
  uint64_t address;         // for aborts: the faulting address (FAR)
  bool address_valid;
};

// Called by the arch layer for every synchronous exception from EL0. On
// return, `frame` holds the thread to resume (maybe another one).
void handle_user_exception(arch::Exception_frame& frame, const User_exception& exception);

}  // namespace kestrel
