# SPDX-License-Identifier: Apache-2.0
# The passive-server test: "service" has one passive thread and no window;
# "caller" calls it from its own window while "spinner" holds the other
# window (tests/target/partitions/passive_*.cpp, window_spinner.cpp).
@0xb7d1f3a5c9e2468b;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "passive",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
  partitions = [
    ( name = "service",
      program = "passive-server.elf",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "server", stack = "stack", priority = 200, passive = true)],
    ),
    ( name = "caller",
      program = "passive-caller.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
    ( name = "spinner",
      program = "window-spinner.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 250)],
    ),
  ],
  endpoints = [(name = "service", server = "service", clients = [(partition = "caller", badge = 1)])],
  schedule = [
    (cpu = 0, majorFrameUs = 4000, windows = [
      (partition = "caller", durationUs = 2000),
      (partition = "spinner", durationUs = 2000),
    ]),
  ],
);
