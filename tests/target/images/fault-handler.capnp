# SPDX-License-Identifier: Apache-2.0
# The fault-handler test: "app" faults; its policy sends the fault to the
# endpoint "faults", which "monitor" serves.
@0xa2b4c6d8e0f13579;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "fault-handler",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
  partitions = [
    ( name = "app",
      program = "faulty.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10, faultHandler = "faults")],
    ),
    ( name = "monitor",
      program = "fault-monitor.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 50)],
    ),
  ],
  endpoints = [(name = "faults", server = "monitor")],
  schedule = [
    (cpu = 0, majorFrameUs = 10000, windows = [
      (partition = "app", durationUs = 5000),
      (partition = "monitor", durationUs = 5000),
    ]),
  ],
);
