# SPDX-License-Identifier: Apache-2.0
# The IPC latency benchmark system (scripts/bench boots it with the benchmark
# kernel, kestrel-bench.elf, under QEMU -icount; docs/benchmarks.md has the
# method and the figures).
#
# Everything runs on CPU 0, so each figure is one uninterrupted sequence of
# instructions. The servers (server, vmm) are passive: they run on the time
# of the thread whose message they handle, in its window, so calls to them
# never wait for a window. Receivers have higher priorities than their
# senders, so they all block first; then each sender partition runs its part
# in its own window, and only its own receiver runs meanwhile:
#   client (100)  calls, 10-word calls and sends to server (200, passive)
#   local.low (90) signals local.high (190), then makes the RTC interrupt
#                  that wakes local.high as its driver
#   guest (80)    an EL1 guest whose MMIO stores exit to vmm (180, passive)
# Six threads on CPU 0 in all: the scheduler scans them at every switch on
# the general path, so adding threads here changes those figures.
#   pair.caller (60) calls pair.answerer (160) on their partition's own
#                  endpoint (one address space)
@0xd2c6e8a4f1b3759a;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "ipc-bench",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
  partitions = [
    ( name = "server",
      program = "ipc-bench-server.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 200, cpu = 0, passive = true)],
    ),
    ( name = "client",
      program = "ipc-bench-client.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 100, cpu = 0)],
    ),
    # Two threads running ipc-bench-local.elf; "low" is told apart by its
    # stack (local.cpp).
    ( name = "local",
      program = "ipc-bench-local.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "high-stack", size = 0x4000, address = 0x800000),
        (name = "low-stack", size = 0x4000, address = 0x900000),
      ],
      threads = [
        (name = "high", stack = "high-stack", priority = 190, cpu = 0),
        (name = "low", stack = "low-stack", priority = 90, cpu = 0),
      ],
      devices = [(device = "rtc", notification = "rtc-irq", badge = 1)],
    ),
    # Two threads running ipc-bench-pair.elf: "caller" calls "answerer" on
    # the partition's own endpoint; it is told apart by its stack address.
    ( name = "pair",
      program = "ipc-bench-pair.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "answerer-stack", size = 0x4000, address = 0x800000),
        (name = "caller-stack", size = 0x4000, address = 0x900000),
      ],
      threads = [
        (name = "answerer", stack = "answerer-stack", priority = 160, cpu = 0),
        (name = "caller", stack = "caller-stack", priority = 60, cpu = 0),
      ],
    ),
    ( name = "vmm",
      program = "ipc-bench-vmm.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 180, cpu = 0, passive = true)],
    ),
    ( name = "guest",
      vm = (
        cpus = [0],
        ramSize = 0x400000,
        kernel = "ipc-bench-guest.elf",
        vmm = "vmm",
        vmmRamAddress = 0x80000000,  # its virtio device (KP0619); the test VMM does not use it
        priority = 80,
        emulated = [
          (name = "uart", kind = pl011, address = 0x09000000, interrupt = 33),
          (name = "bench", kind = virtioConsole, address = 0x0a000000, interrupt = 48),
        ],
      ),
    ),
  ],
  endpoints = [
    (name = "service", server = "server", clients = [(partition = "client", badge = 1)]),
    (name = "pair-service", server = "pair", serverThread = "answerer", clients = [(partition = "pair", badge = 1)]),
  ],
  notifications = [
    (name = "wake", owner = "local", signallers = [(partition = "local", badge = 1)]),
    (name = "rtc-irq", owner = "local"),
  ],
  # The servers (server, vmm) are passive: they run on their callers' time,
  # so they need no window. Windows long enough that no measured operation
  # straddles a window's end.
  schedule = [
    (cpu = 0, majorFrameUs = 80000, windows = [
      (partition = "client", durationUs = 20000),
      (partition = "local", durationUs = 20000),
      (partition = "guest", durationUs = 20000),
      (partition = "pair", durationUs = 20000),
    ]),
  ],
);
