# SPDX-License-Identifier: Apache-2.0
# The refused-reply test: a reply_recv that fails (would_deadlock) must
# change nothing, its reply included (partitions/refused_reply_*.cpp).
@0xc8e6a4f2d0b13579;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "refused-reply",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
  partitions = [
    ( name = "server",
      program = "refused-reply-server.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
        (name = "waiter-stack", size = 0x4000, address = 0x900000),
      ],
      threads = [
        (name = "main", stack = "stack", priority = 10),
        (name = "waiter", stack = "waiter-stack", priority = 20),
      ],
    ),
    ( name = "client",
      program = "refused-reply-client.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
  ],
  endpoints = [
    (name = "front", server = "server", serverThread = "main", clients = [(partition = "client", badge = 1)]),
    (name = "back", server = "server", clients = []),
  ],
  schedule = [
    (cpu = 0, majorFrameUs = 2000, windows = [
      (partition = "server", durationUs = 1000),
      (partition = "client", durationUs = 1000),
    ]),
  ],
);
