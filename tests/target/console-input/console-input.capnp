# SPDX-License-Identifier: Apache-2.0
# The console-input test: the console driver (drivers-untrusted/console)
# routes typed input to one client at a time. alpha (badge 1, the first
# focus) and beta (badge 2) each own an input doorbell, "console-input-
# <badge>", which the driver signals; they sleep on it and never poll.
# kestrel-qemu types text for alpha, Ctrl-] n, text for beta (with a Ctrl-]
# typed twice), Ctrl-] 1 and more text for alpha; "stopper" powers the
# machine off once both have their lines.
@0xe6b1c9d4a3f27085;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "console-input",
  platform = Virt.platform,
  partitions = [
    ( name = "console",
      program = "../../../drivers-untrusted/console/console_driver.cpp",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 200)],
      devices = [(device = "uart0", notification = "console-irq")],
    ),
    ( name = "stopper",
      program = "stopper-3.elf",
      mayPowerOff = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 1)],
    ),
    ( name = "alpha",
      program = "input_alpha.cpp",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
    ( name = "beta",
      program = "input_beta.cpp",
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
      clients = [(partition = "alpha", badge = 1), (partition = "beta", badge = 2)] ),
  ],
  notifications = [
    (name = "console-irq", owner = "console"),
    # The input doorbells: named after the client's badge on "console".
    (name = "console-input-1", owner = "alpha", signallers = [(partition = "console", badge = 1)]),
    (name = "console-input-2", owner = "beta", signallers = [(partition = "console", badge = 1)]),
    ( name = "done", owner = "stopper",
      signallers = [(partition = "alpha", badge = 1), (partition = "beta", badge = 2)] ),
  ],
  schedule = [
    (cpu = 0, majorFrameUs = 4000, windows = [
      (partition = "console", durationUs = 1000),
      (partition = "stopper", durationUs = 1000),
      (partition = "alpha", durationUs = 1000),
      (partition = "beta", durationUs = 1000),
    ]),
  ],
);
