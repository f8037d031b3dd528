# SPDX-License-Identifier: Apache-2.0
# One partition whose program (package-user.elf) a user's own CMake project
# built with the installed Kestrel package (target.package_user_project).
@0x8fd5dcc019e1f2ad;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "package-user",
  platform = Virt.platform,
  noThreadLeft = powerOff,
  partitions = [
    ( name = "user",
      program = "package-user.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
  ],
  schedule = [(cpu = 0, majorFrameUs = 10000, windows = [(partition = "user", durationUs = 10000)])],
);
