// SPDX-License-Identifier: Apache-2.0
// Version: the kernel's version and board name, for the boot banner.
#pragma once

namespace kestrel {

inline constexpr const char* kestrel_version = "0.1.0";
extern const char* const kestrel_board_name;  // defined by the board

}  // namespace kestrel
