# SPDX-License-Identifier: Apache-2.0
# The serve test (tests/target/runtime/serve_*.cpp): a server written with
# kestrel::serve answers a client's calls, takes its one-way messages and its
# bell in the same loop, and handles the fault of "app" (faulty.elf, whose
# fault handler is the server's endpoint); "listener" serves only a
# notification.
@0xaaeac0eac5eb197c;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "runtime-serve",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
  partitions = [
    ( name = "server",
      program = "runtime-serve-server.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 50)],
    ),
    ( name = "client",
      program = "runtime-serve-client.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
    ( name = "listener",
      program = "runtime-serve-listener.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
    ( name = "app",
      program = "faulty.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10, faultHandler = "service")],
    ),
  ],
  endpoints = [
    (name = "service", server = "server", clients = [(partition = "client", badge = 7)]),
  ],
  notifications = [
    (name = "bell", owner = "server", signallers = [(partition = "client", badge = 0x4)]),
    (name = "chime", owner = "listener", signallers = [(partition = "client", badge = 0x20)]),
  ],
  schedule = [
    (cpu = 0, majorFrameUs = 4000, windows = [
      (partition = "server", durationUs = 1000),
      (partition = "client", durationUs = 1000),
      (partition = "listener", durationUs = 1000),
      (partition = "app", durationUs = 1000),
    ]),
  ],
);
