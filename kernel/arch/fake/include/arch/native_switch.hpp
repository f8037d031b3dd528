// SPDX-License-Identifier: Apache-2.0
// Native switch (fake arch): load_thread for a switch between two native
// threads, recorded like the rest of the fake machine (fake_arch.cpp). On
// aarch64 the same function is inline (kernel/arch/aarch64/include).
#pragma once

#include <kestrel/thread.hpp>

namespace kestrel::arch {

void switch_native_threads(const Thread& from, const Thread& to);

}  // namespace kestrel::arch
