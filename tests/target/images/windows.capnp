# SPDX-License-Identifier: Apache-2.0
# The time-window test: a spinning partition at high priority and a ticker at
# low priority, each with a 2 ms window in a 4 ms major frame. The ticker
# measures how long it goes without the CPU (tests/target/partitions/
# window_spinner.cpp, window_ticker.cpp).
@0xa4c2e8f1d3b57a96;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "windows",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
  partitions = [
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
    ( name = "ticker",
      program = "window-ticker.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 1)],
    ),
  ],
  schedule = [
    (cpu = 0, majorFrameUs = 4000, windows = [
      (partition = "spinner", durationUs = 2000),
      (partition = "ticker", durationUs = 2000),
    ]),
  ],
);
