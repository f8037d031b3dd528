// SPDX-License-Identifier: Apache-2.0
// Console slots: where the console driver finds its capabilities. Built by
// `kestrel build`, it takes them from the generated <kestrel/slots.hpp>,
// which requires the policy to use the names below, and finds the clients'
// input doorbells among the notifications it signals ("console-input-
// <badge>", console_driver.cpp). Built any other way, it assumes the slot
// order those names give: the served endpoint "console", the owned
// notification "console-irq", the interrupt of device "uart0"; and it has
// no doorbells (only badge 1 takes input, by reading).
#pragma once

#include <cstdint>

#if __has_include(<kestrel/slots.hpp>)
#include <kestrel/slots.hpp>

namespace console_slots {
inline constexpr uint64_t requests = kestrel::slots::serve_console;
inline constexpr uint64_t interrupt_notification = kestrel::slots::wait_console_irq;
inline constexpr uint64_t interrupt = kestrel::slots::irq_uart0;
inline constexpr const auto& signalled = kestrel::slots::signalled_notifications;
inline constexpr uint64_t signalled_count = kestrel::slots::signalled_notification_count;
}  // namespace console_slots
#else
namespace console_slots {
struct Signalled_notification {
  const char* name;
  uint64_t slot;
};
inline constexpr uint64_t requests = 0;
inline constexpr uint64_t interrupt_notification = 1;
inline constexpr uint64_t interrupt = 2;
inline constexpr Signalled_notification signalled[] = {{nullptr, 3}};
inline constexpr uint64_t signalled_count = 0;
}  // namespace console_slots
#endif
