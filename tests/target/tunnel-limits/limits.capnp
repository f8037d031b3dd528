# SPDX-License-Identifier: Apache-2.0
# The IPCM's limits and its watcher, on the target (target.tunnel_limits):
#   alpha    opens "pair" twice (beta accepts both), a third open is refused
#            (maxOpen), an open of a tunnel it is no end of is refused; then
#            opens and closes "probe" 32 times while the flooder floods, and
#            counts how many flooder requests the IPCM served during each
#            open; last, asks beta to stop and finds its tunnels closed
#   beta     accepts both instances of "pair", then stops (thread_exit): the
#            kernel tells the IPCM's watcher, which closes beta's tunnels
#   flooder  holds maxOpenPerEnd (3) tunnels, its fourth open is refused, then
#            calls the IPCM as fast as it can until alpha is done
#   outsider a client of the IPCM's endpoint that is no tunnel's end
# Every program is built from source by `kestrel build` (tests/target/tunnel.cmake).
@0xb6e2d9c4a1f38057;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const code :K.MemoryRegion = (name = "code", size = 0x10000, address = 0x200000, access = readExecute);
const data :K.MemoryRegion = (name = "data", size = 0x10000, address = 0x400000);
const stack :K.MemoryRegion = (name = "stack", size = 0x4000, address = 0x800000);

const system :K.System = (
  name = "tunnel-limits",
  platform = Virt.platform,
  noThreadLeft = powerOff,

  partitions = [
    ( name = "ipcm",
      program = "../../../ipcm/ipcm.cpp",
      kernelConsole = true,
      memory = [.code, .data, .stack,
                (name = "watcher-stack", size = 0x4000, address = 0x900000),
                (name = "pool", size = 0x7000, address = 0x1000000)],
      threads = [(name = "main", stack = "stack", priority = 100, passive = true),
                 (name = "watcher", stack = "watcher-stack", priority = 100)],
    ),
    ( name = "alpha",
      program = "alpha.cpp",
      kernelConsole = true,
      memory = [.code, .data, .stack],
      threads = [(name = "main", stack = "stack", priority = 50)],
      tunnelWindow = (base = 0x10000000, size = 0x3000),
    ),
    ( name = "beta",
      program = "beta.cpp",
      kernelConsole = true,
      memory = [.code, .data, .stack],
      threads = [(name = "main", stack = "stack", priority = 50)],
      tunnelWindow = (base = 0x20000000, size = 0x7000),
    ),
    # A higher priority than alpha's: were the IPCM's queue ordered by
    # priority, the flooder would pass alpha again and again.
    ( name = "flooder",
      program = "flooder.cpp",
      kernelConsole = true,
      memory = [.code, .data, .stack],
      threads = [(name = "main", stack = "stack", priority = 60)],
      tunnelWindow = (base = 0x30000000, size = 0x4000),
    ),
    ( name = "outsider",
      program = "outsider.cpp",
      kernelConsole = true,
      memory = [.code, .data, .stack],
      threads = [(name = "main", stack = "stack", priority = 50)],
    ),
  ],

  endpoints = [
    (name = "ipcm", server = "ipcm", serverThread = "main",
     clients = [(partition = "alpha", badge = 1), (partition = "beta", badge = 2), (partition = "flooder", badge = 3),
                (partition = "outsider", badge = 4), (partition = "ipcm", badge = 5)]),
  ],

  # The flooder's count of answered requests, which alpha reads; alpha's
  # word that it is done, which the flooder reads.
  channels = [
    (name = "flood-count", size = 0x1000, writer = (partition = "flooder", address = 0x2000000),
     readers = [(partition = "alpha", address = 0x2000000)]),
    (name = "flood-stop", size = 0x1000, writer = (partition = "alpha", address = 0x2100000),
     readers = [(partition = "flooder", address = 0x2100000)]),
  ],

  tunnels = [
    (name = "pair", ends = ["alpha", "beta"], size = 0x1000, doorbell = true, maxOpen = 2),
    (name = "probe", ends = ["alpha", "beta"], size = 0x1000),
    (name = "f1", ends = ["flooder", "beta"], size = 0x1000),
    (name = "f2", ends = ["flooder", "beta"], size = 0x1000),
    (name = "f3", ends = ["flooder", "beta"], size = 0x1000),
    (name = "f4", ends = ["flooder", "beta"], size = 0x1000),
  ],
  ipcm = (partition = "ipcm", endpoint = "ipcm", pool = "pool", maxOpenPerEnd = 3, watcher = "watcher"),

  schedule = [
    (cpu = 0, majorFrameUs = 2000, windows = [(partition = "alpha", durationUs = 500),
                                              (partition = "flooder", durationUs = 500),
                                              (partition = "beta", durationUs = 400),
                                              (partition = "outsider", durationUs = 300),
                                              (partition = "ipcm", durationUs = 300)]),
  ],
);
