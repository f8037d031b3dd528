// SPDX-License-Identifier: Apache-2.0
// Page-table format: the generic Page_table compiled for both Armv8 regimes
// with the kernel's flags, so every member is checked whether or not the
// kernel uses it.
#include <arch/page_table_format.hpp>
#include <kestrel/table_pool.hpp>

namespace kestrel {

// Explicit instantiations compile every member; the linker's --gc-sections
// drops whatever the kernel does not call.
template class Page_table<arch::Stage2_regime, Static_table_pool<4>>;
template class Page_table<arch::El2_regime, Static_table_pool<4>>;

}  // namespace kestrel
