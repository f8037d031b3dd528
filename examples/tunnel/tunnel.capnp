# SPDX-License-Identifier: Apache-2.0
# A tunnel opened at run time (docs/ipcm.md): alpha asks the IPCM for the
# tunnel "data", beta accepts it when its doorbell rings, each writes a
# message the other reads (woken by the doorbell), alpha closes it, then
# opens it again and finds its memory zeroed. The IPCM (ipcm/ipcm.cpp) is
# passive: it runs on the time of the partition that calls it.
# `kestrel run examples/tunnel/tunnel.capnp` (it needs the kernel's
# memory_map and memory_unmap calls).
@0xe4c1a7b93d2f6058;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "tunnel",
  platform = Virt.platform,
  noThreadLeft = powerOff,

  partitions = [
    ( name = "ipcm",
      program = "../../ipcm/ipcm.cpp",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
        (name = "watcher-stack", size = 0x4000, address = 0x900000),
        # The pages tunnels are made of: one instance of "data".
        (name = "pool", size = 0x2000, address = 0x1000000),
      ],
      # main serves the IPCM's endpoint on its callers' time; the watcher,
      # with a window of its own, closes the tunnels of an end that stops.
      threads = [(name = "main", stack = "stack", priority = 100, passive = true),
                 (name = "watcher", stack = "watcher-stack", priority = 100)],
    ),
    ( name = "alpha",
      program = "alpha.cpp",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 50)],
      tunnelWindow = (base = 0x10000000, size = 0x2000),
    ),
    ( name = "beta",
      program = "beta.cpp",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 50)],
      tunnelWindow = (base = 0x20000000, size = 0x2000),
    ),
  ],

  # The IPCM knows its callers by these badges; its own (3) is its
  # watcher's, telling it which ends stopped.
  endpoints = [
    (name = "ipcm", server = "ipcm", serverThread = "main",
     clients = [(partition = "alpha", badge = 1), (partition = "beta", badge = 2), (partition = "ipcm", badge = 3)]),
  ],

  # Both may write; each end waits on its doorbell data.doorbell.<end>.
  tunnels = [(name = "data", ends = ["alpha", "beta"], size = 0x2000, doorbell = true)],
  ipcm = (partition = "ipcm", endpoint = "ipcm", pool = "pool", watcher = "watcher"),

  schedule = [
    (cpu = 0, majorFrameUs = 2500, windows = [(partition = "alpha", durationUs = 1000),
                                              (partition = "beta", durationUs = 1000),
                                              (partition = "ipcm", durationUs = 500)]),
  ],
);
