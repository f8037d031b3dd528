# SPDX-License-Identifier: Apache-2.0
# Two partitions and one IPC connection: "client" calls "server" through the
# endpoint "greeting". The smallest useful Kestrel system.
@0xa7c3e9d1f2b40c55;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "hello-ipc",
  platform = Virt.platform,

  partitions = [
    ( name = "server",
      program = "server.elf",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 100, passive = true)],
    ),
    ( name = "client",
      program = "client.elf",
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
