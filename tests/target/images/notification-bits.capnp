# SPDX-License-Identifier: Apache-2.0
# The notification-bits test: "one" and "two" each signal "pile" once, in
# their own windows, while nobody waits; "collector", in the window after
# theirs, polls it and must find both bits (partitions/bit_*.cpp).
@0xb9d7f5e3a1c24068;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "notification-bits",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
  partitions = [
    ( name = "one",
      program = "bit-signaller.elf",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
    ( name = "two",
      program = "bit-signaller.elf",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
    ( name = "collector",
      program = "bit-collector.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
  ],
  notifications = [
    ( name = "pile", owner = "collector",
      signallers = [(partition = "one", badge = 1), (partition = "two", badge = 2)] ),
  ],
  schedule = [
    (cpu = 0, majorFrameUs = 3000, windows = [
      (partition = "one", durationUs = 1000),
      (partition = "two", durationUs = 1000),
      (partition = "collector", durationUs = 1000),
    ]),
  ],
);
