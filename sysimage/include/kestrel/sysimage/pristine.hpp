// SPDX-License-Identifier: Apache-2.0
// Pristine copies: where an image keeps, for each restartable VM, a copy of
// what it loaded into the VM's RAM, so that the kernel can restart the VM
// from it (vm_restart) without the image being loaded again.
//
// The copies go in the lowest free RAM they fit in: RAM that neither the
// kernel's reserved range nor any partition's region or channel uses (the
// policy compiler has placed all of those by now, first fit from the
// bottom, so that is usually right after them). Low rather than at the top
// of RAM, because a machine may have less RAM than its platform describes
// (QEMU's -m), and then the top is not there. Only the bytes a file holds are copied; the kernel zeroes the
// rest of guest RAM on a restart. Each copy starts on a 4 KiB boundary and
// has its pages to itself, because the kernel maps them read-only.
#pragma once

#include <string>
#include <vector>

#include <kestrel/abi/boot_info.hpp>
#include <kestrel/policy/model.hpp>
#include <kestrel/sysimage/image.hpp>

namespace kestrel::sysimage {

struct Pristine_layout {
  std::vector<abi::Pristine_entry> entries;  // sorted by partition and address
  std::vector<Loaded_piece> pieces;          // the copies, to load with the image
  std::string error;                         // empty when they fit
};

// The copies of the restartable VMs' pieces among `loaded`.
[[nodiscard]] Pristine_layout place_pristine_copies(const policy::Model& model,
                                                    const std::vector<Loaded_piece>& loaded);

}  // namespace kestrel::sysimage
