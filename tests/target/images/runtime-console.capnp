# SPDX-License-Identifier: Apache-2.0
# The console test (tests/target/runtime/console_*.cpp): two clients print
# through kestrel::Console to a console driver written with kestrel::serve,
# which speaks the protocol of runtime/include/kestrel/console.hpp and
# prints through the kernel console. "beta" waits for "alpha" to finish
# (notification "go"), then asks for alpha's name, which the driver refuses.
@0x9d5804e8539efb8f;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "runtime-console",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
  partitions = [
    ( name = "driver",
      program = "runtime-console-driver.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 200, passive = true)],
    ),
    ( name = "alpha",
      program = "runtime-console-alpha.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
    ( name = "beta",
      program = "runtime-console-beta.elf",
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
    ( name = "console", server = "driver",
      clients = [(partition = "alpha", badge = 1), (partition = "beta", badge = 2)] ),
  ],
  notifications = [(name = "go", owner = "beta", signallers = [(partition = "alpha", badge = 1)])],
  schedule = [
    (cpu = 0, majorFrameUs = 2000, windows = [
      (partition = "alpha", durationUs = 1000),
      (partition = "beta", durationUs = 1000),
    ]),
  ],
);
