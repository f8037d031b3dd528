# SPDX-License-Identifier: Apache-2.0
# The tunnel benchmark on 4 CPUs: tunnel.capnp's system plus "idlers", a
# thread on each of CPUs 1-3 that waits for ever, so that the kernel starts
# those CPUs (it starts only CPUs that run threads) and the unmaps'
# inner-shareable TLB invalidations reach 4 CPUs.
# Built by scripts/bench-tunnel with `kestrel build` on the benchmark kernel
# (kestrel-bench.elf, which lets partitions read PMCCNTR_EL0) and booted
# under QEMU; docs/benchmarks.md, "Tunnels (issue 16)", has the method and
# the figures. Everything measured runs on CPU 0.
@0xb4e2d6a8c0f31975;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
using One = import "tunnel.capnp";

# A thread on each of CPUs 1-3, each waiting on a notification of its own
# that nobody signals: those CPUs are up and idle.
const idlers :K.Partition = (
  name = "idlers",
  program = "idler.cpp",
  memory = [One.code, One.data,
            (name = "stack1", size = 0x4000, address = 0x800000),
            (name = "stack2", size = 0x4000, address = 0x900000),
            (name = "stack3", size = 0x4000, address = 0xa00000)],
  threads = [(name = "cpu1", stack = "stack1", priority = 10, cpu = 1),
             (name = "cpu2", stack = "stack2", priority = 10, cpu = 2),
             (name = "cpu3", stack = "stack3", priority = 10, cpu = 3)],
);
const rest1 :K.Notification = (name = "rest-1", owner = "idlers");
const rest2 :K.Notification = (name = "rest-2", owner = "idlers");
const rest3 :K.Notification = (name = "rest-3", owner = "idlers");
# One window per idle CPU, one second long: its timer tick comes once a
# second, not inside a measurement.
const idleCpu1 :K.CpuSchedule = (cpu = 1, majorFrameUs = 1000000, windows = [(partition = "idlers", durationUs = 1000000)]);
const idleCpu2 :K.CpuSchedule = (cpu = 2, majorFrameUs = 1000000, windows = [(partition = "idlers", durationUs = 1000000)]);
const idleCpu3 :K.CpuSchedule = (cpu = 3, majorFrameUs = 1000000, windows = [(partition = "idlers", durationUs = 1000000)]);

const system :K.System = (
  name = "tunnel-bench-4",
  platform = Virt.platform,
  noThreadLeft = powerOff,
  partitions = [One.ipcm, One.alpha, One.beta, .idlers],
  endpoints = [One.ipcmEndpoint],
  notifications = [.rest1, .rest2, .rest3],
  tunnels = One.tunnels,
  ipcm = One.tunnelIpcm,
  schedule = [One.tunnelCpu0, .idleCpu1, .idleCpu2, .idleCpu3],
);

