# SPDX-License-Identifier: Apache-2.0
# The channel test (tests/target/runtime/channel_*.cpp): "writer" streams
# messages through the channel "stream" (read-write for it, read-only for
# "reader", at other addresses) and rings the reader's doorbell; the reader
# acknowledges each phase on "ack", and "phase" tells it when the writer has
# overrun the ring on purpose. Each has a CPU of its own, so that the last
# phase races them.
@0xea2c564639918812;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "runtime-channel",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
  partitions = [
    ( name = "writer",
      program = "runtime-channel-writer.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10, cpu = 0)],
    ),
    ( name = "reader",
      program = "runtime-channel-reader.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10, cpu = 1)],
    ),
  ],
  notifications = [
    (name = "ack", owner = "writer", signallers = [(partition = "reader", badge = 1)]),
    (name = "phase", owner = "reader", signallers = [(partition = "writer", badge = 1)]),
  ],
  channels = [
    ( name = "stream", size = 0x1000,
      writer = (partition = "writer", address = 0x2000000),
      readers = [(partition = "reader", address = 0x3000000)],
      doorbell = true ),
  ],
  schedule = [
    (cpu = 0, exclusive = "writer"),
    (cpu = 1, exclusive = "reader"),
  ],
);
