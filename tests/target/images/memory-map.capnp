# SPDX-License-Identifier: Apache-2.0
# The kernel's memory_map and memory_unmap (issue 16's kernel step): a test
# IPCM ("ipcm", tests/target/partitions/map_ipcm.cpp) maps a pool page into
# "peer"'s tunnel window when peer calls it, peer reads and writes it, then
# asks for it to go; after the unmap peer's read of the old address is a
# contained fault. On peer's first call the IPCM also tries every map the
# policy forbids; each must be refused with the documented status.
@0xd3a1c5e7f9b20486;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "memory-map",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
  partitions = [
    ( name = "ipcm",
      program = "map-ipcm.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
        (name = "pool", size = 0x4000, address = 0x900000),
      ],
      threads = [(name = "server", stack = "stack", priority = 200, passive = true)],
    ),
    ( name = "peer",
      program = "map-peer.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
      tunnelWindow = (base = 0x10000000, size = 0x4000),
    ),
    ( name = "other",
      program = "hello-alpha.elf",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 5)],
      tunnelWindow = (base = 0x20000000, size = 0x4000),
    ),
  ],
  endpoints = [(name = "ipcm", server = "ipcm",
                clients = [(partition = "peer", badge = 1), (partition = "other", badge = 2)])],
  # peer writes, other only reads: other's window is read-only.
  tunnels = [(name = "t", ends = ["peer", "other"], size = 0x2000, access = firstWrites, maxOpen = 2)],
  ipcm = (partition = "ipcm", endpoint = "ipcm", pool = "pool"),
  schedule = [
    (cpu = 0, majorFrameUs = 4000, windows = [
      (partition = "peer", durationUs = 2000),
      (partition = "other", durationUs = 2000),
    ]),
  ],
);
