// SPDX-License-Identifier: Apache-2.0
// Console slots: where the console driver finds its capabilities. Built by
// `kestrel build`, it takes them from the generated <kestrel/slots.hpp>,
// which requires the policy to use the names below. Built any other way, it
// assumes the slot order those names give: the served endpoint "console",
// the owned notification "console-irq", the interrupt of device "uart0".
#pragma once

#include <cstdint>

#if __has_include(<kestrel/slots.hpp>)
#include <kestrel/slots.hpp>

namespace console_slots {
inline constexpr uint64_t requests = kestrel::slots::serve_console;
inline constexpr uint64_t interrupt_notification = kestrel::slots::wait_console_irq;
inline constexpr uint64_t interrupt = kestrel::slots::irq_uart0;
}  // namespace console_slots
#else
namespace console_slots {
inline constexpr uint64_t requests = 0;
inline constexpr uint64_t interrupt_notification = 1;
inline constexpr uint64_t interrupt = 2;
}  // namespace console_slots
#endif
