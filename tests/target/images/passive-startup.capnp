# SPDX-License-Identifier: Apache-2.0
# The passive start-up test: "service" is a passive server that spins for
# 20 ms before its first receive, once "ticker" has started
# (partitions/passive_slow_start.cpp), and spends 20 ms on the second call. It has
# no time of its own, so it may start up only on the time of "caller", which
# waits to call it, in caller's window; "ticker" in the other window must
# keep the documented bound (the other window + 100 us).
@0xd5f3b7a9c2e4168b;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "passive-startup",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
  partitions = [
    ( name = "service",
      program = "passive-slow-start.elf",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "server", stack = "stack", priority = 200, passive = true)],
    ),
    ( name = "caller",
      program = "passive-caller-first-starts.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
    ( name = "ticker",
      program = "window-ticker-flag.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 10)],
    ),
  ],
  endpoints = [(name = "service", server = "service", clients = [(partition = "caller", badge = 1)])],
  channels = [
    ( name = "started", size = 0x1000,
      writer = (partition = "ticker", address = 0x2000000),
      readers = [(partition = "service", address = 0x3000000)] ),
  ],
  schedule = [
    (cpu = 0, majorFrameUs = 4000, windows = [
      (partition = "caller", durationUs = 2000),
      (partition = "ticker", durationUs = 2000),
    ]),
  ],
);
