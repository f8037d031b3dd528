# SPDX-License-Identifier: Apache-2.0
# The console-driver test: the driver owns the PL011 and serves three
# clients, which have no kernel console; every line they print comes out
# through the driver with their name (drivers-untrusted/console,
# tests/target/partitions/console_client.cpp). The driver waits for input
# for ever, so "stopper" powers the machine off once all three are done.
@0xd8a4c2e6f1b3957d;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "console-driver",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
  partitions = [
    ( name = "console",
      program = "console-driver.elf",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 200)],
      devices = [(device = "uart0", notification = "console-irq")],
    ),
    ( name = "stopper",
      program = "stopper-7.elf",
      mayPowerOff = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 1)],
    ),
    ( name = "alpha",
      program = "console-client-alpha.elf",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
    ( name = "beta",
      program = "console-client-beta.elf",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
    ( name = "anonymous",
      program = "console-client-anonymous.elf",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
  ],
  endpoints = [
    ( name = "console", server = "console",
      clients = [(partition = "alpha", badge = 1), (partition = "beta", badge = 2),
                 (partition = "anonymous", badge = 3)] ),
  ],
  notifications = [
    (name = "console-irq", owner = "console"),
    ( name = "done", owner = "stopper",
      signallers = [(partition = "alpha", badge = 1), (partition = "beta", badge = 2),
                    (partition = "anonymous", badge = 4)] ),
  ],
  schedule = [
    (cpu = 0, majorFrameUs = 5000, windows = [
      (partition = "console", durationUs = 1000),
      (partition = "stopper", durationUs = 1000),
      (partition = "alpha", durationUs = 1000),
      (partition = "beta", durationUs = 1000),
      (partition = "anonymous", durationUs = 1000),
    ]),
  ],
);
