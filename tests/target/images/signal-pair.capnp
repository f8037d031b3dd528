# SPDX-License-Identifier: Apache-2.0
# The wake test: a waiter of higher priority and a thread that wakes it by
# signal, send and the RTC's interrupt, in one partition
# (tests/target/partitions/signal_pair.cpp).
@0xf2a8c4e6b1d39a57;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "signal-pair",
  platform = Virt.platform,
  noThreadLeft = powerOff,  # end the run once every thread is done
  partitions = [
    ( name = "pair",
      program = "signal-pair.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "waiter-stack", size = 0x4000, address = 0x800000),
        (name = "signaller-stack", size = 0x4000, address = 0x900000),
      ],
      threads = [
        (name = "waiter", stack = "waiter-stack", priority = 50),
        (name = "signaller", stack = "signaller-stack", priority = 10),
      ],
      devices = [(device = "rtc", notification = "rtc-irq", badge = 0x20)],
    ),
  ],
  endpoints = [(name = "post", server = "pair", serverThread = "waiter", clients = [(partition = "pair", badge = 7)])],
  notifications = [
    (name = "wake", owner = "pair", signallers = [(partition = "pair", badge = 1)]),
    (name = "rtc-irq", owner = "pair"),
  ],
  schedule = [(cpu = 0, majorFrameUs = 1000, windows = [(partition = "pair", durationUs = 1000)])],
);
