# SPDX-License-Identifier: Apache-2.0
# The containment test: two servers fault in the middle of a call, "local"
# (passive, on the client's CPU) and "remote" (on CPU 1, busy for 5 ms
# first, so that a second call queues behind it). The client's threads get
# peer_stopped for every call that cannot be answered, and carry on
# (partitions/containment_client.cpp, faulting_server.cpp).
@0xa7c5e3f1d9b24680;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "containment",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
  partitions = [
    ( name = "client",
      program = "containment-client.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
        (name = "second-stack", size = 0x4000, address = 0x900000),
      ],
      threads = [
        (name = "main", stack = "stack", priority = 20),
        (name = "second", stack = "second-stack", priority = 10),
      ],
    ),
    ( name = "local",
      program = "faulting-server-quick.elf",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 30, passive = true)],
    ),
    ( name = "remote",
      program = "faulting-server-slow.elf",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 30, cpu = 1)],
    ),
  ],
  endpoints = [
    (name = "local", server = "local", clients = [(partition = "client", badge = 1)]),
    (name = "remote", server = "remote", clients = [(partition = "client", badge = 2)]),
  ],
  schedule = [
    (cpu = 0, majorFrameUs = 4000, windows = [(partition = "client", durationUs = 4000)]),
    (cpu = 1, exclusive = "remote"),
  ],
);
