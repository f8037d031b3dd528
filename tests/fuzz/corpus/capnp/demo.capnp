# SPDX-License-Identifier: Apache-2.0
# The demo system: five partitions on QEMU virt.
#   console     the console driver (drivers-untrusted/console): owns the
#               PL011; every other partition prints through it, each line
#               with its name
#   alpha       calls beta ("ping" / "pong") and reads the news beta writes
#               into a shared-memory channel, woken by its doorbell
#   beta        a passive server: answers alpha's calls on alpha's time and
#               writes a news item into the channel for each
#   rogue       misbehaves: "snoop" reads alpha's memory (the kernel stops
#               that thread), "hog" spins past its budget (the kernel holds
#               it to 1 ms in every 4 ms); nothing else is disturbed
#   supervisor  powers the machine off once alpha and rogue are done
# Run it with `kestrel run examples/demo/demo.capnp` (README.md).
@0xb3d9f1a7c5e28460;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "demo",
  platform = Virt.platform,
  partitions = [
    ( name = "console",
      program = "../../drivers-untrusted/console/console_driver.cpp",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 200)],
      devices = [(device = "uart0", notification = "console-irq")],
    ),
    ( name = "alpha",
      program = "alpha.cpp",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        # At a fixed physical address, so that rogue knows where to look.
        (name = "data", size = 0x10000, address = 0x400000, physicalAddress = 0x48000000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 20)],
    ),
    ( name = "beta",
      program = "beta.cpp",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 30, passive = true)],
    ),
    ( name = "rogue",
      program = "rogue.cpp",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "snoop-stack", size = 0x4000, address = 0x800000),
        (name = "hog-stack", size = 0x4000, address = 0x900000),
      ],
      threads = [
        (name = "snoop", stack = "snoop-stack", priority = 10),
        (name = "hog", stack = "hog-stack", priority = 5, budgetUs = 1000, periodUs = 4000),
      ],
    ),
    ( name = "supervisor",
      program = "supervisor.cpp",
      mayPowerOff = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 1)],
    ),
  ],
  endpoints = [
    # Badge 1 also gets the console's input.
    ( name = "console", server = "console",
      clients = [(partition = "alpha", badge = 1), (partition = "beta", badge = 2),
                 (partition = "rogue", badge = 3), (partition = "supervisor", badge = 4)] ),
    (name = "ping", server = "beta", clients = [(partition = "alpha", badge = 1)]),
  ],
  notifications = [
    (name = "console-irq", owner = "console"),
    ( name = "done", owner = "supervisor",
      signallers = [(partition = "alpha", badge = 1), (partition = "rogue", badge = 2)] ),
  ],
  channels = [
    ( name = "news", size = 0x1000, doorbell = true,
      writer = (partition = "beta", address = 0x600000),
      readers = [(partition = "alpha", address = 0x600000)] ),
  ],
  schedule = [
    (cpu = 0, majorFrameUs = 4000, windows = [
      (partition = "console", durationUs = 1000),
      (partition = "alpha", durationUs = 1000),
      (partition = "supervisor", durationUs = 1000),
      (partition = "rogue", durationUs = 1000),
    ]),
  ],
);
