# SPDX-License-Identifier: Apache-2.0
# Two partitions and one IPC connection: "client" calls "server" through the
# endpoint "greeting" (client.cpp, server.cpp), both print through the kernel
# console, and the machine powers off once the client is done. The smallest
# useful Kestrel system: `kestrel run examples/hello-ipc/hello-ipc.capnp`.
@0xa7c3e9d1f2b40c55;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "hello-ipc",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # power off once every thread is done

  partitions = [
    ( name = "server",
      program = "server.cpp",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 100, passive = true)],
    ),
    ( name = "client",
      program = "client.cpp",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 50)],
    ),
  ],

  endpoints = [
    (name = "greeting", server = "server", clients = [(partition = "client", badge = 1)]),
  ],

  schedule = [
    # The server is passive: it runs on the client's time, so only the
    # client needs a window.
    (cpu = 0, majorFrameUs = 10000, windows = [(partition = "client", durationUs = 10000)]),
  ],
);
