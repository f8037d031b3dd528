// SPDX-License-Identifier: Apache-2.0
// Fake board: the kernel console as a string tests read (fake_arch.hpp).
#include <arch/fake_arch.hpp>
#include <kestrel/log.hpp>

namespace kestrel {

void console_write(const char* text, size_t length) { arch::fake::machine.console.append(text, length); }

}  // namespace kestrel
