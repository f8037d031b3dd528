# SPDX-License-Identifier: Apache-2.0
# The tunnel benchmark on 1 CPU (issue 16): the IPCM (ipcm/ipcm.cpp, with
# its watcher) and two ends: alpha opens, beta accepts, alpha closes
# "small" (4 KiB) and "large" (64 KiB), each timed; then 64 KiB through
# "large" and back, against a memcpy in alpha. The IPCM's main thread is
# passive (it runs on its callers' time); alpha and beta have a window each,
# long enough that no measured operation straddles its end, and each step
# waits for the other end's window (one partition per window).
# Built by scripts/bench-tunnel with `kestrel build` on the benchmark kernel
# (kestrel-bench.elf, which lets partitions read PMCCNTR_EL0) and booted
# under QEMU; docs/benchmarks.md, "Tunnels (issue 16)", has the method and
# the figures. Everything measured runs on CPU 0.
@0xa9d1c3e5f7b20864;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const code :K.MemoryRegion = (name = "code", size = 0x10000, address = 0x200000, access = readExecute);
const data :K.MemoryRegion = (name = "data", size = 0x40000, address = 0x400000);
const stack :K.MemoryRegion = (name = "stack", size = 0x4000, address = 0x800000);

const ipcm :K.Partition = (
  name = "ipcm",
  program = "../../ipcm/ipcm.cpp",
  kernelConsole = true,
  memory = [.code, .data, .stack,
            (name = "watcher-stack", size = 0x4000, address = 0x900000),
            # One instance of each tunnel: 0x1000 + 0x10000.
            (name = "pool", size = 0x11000, address = 0x1000000)],
  threads = [(name = "main", stack = "stack", priority = 100, passive = true, cpu = 0),
             (name = "watcher", stack = "watcher-stack", priority = 100, cpu = 0)],
);

const alpha :K.Partition = (
  name = "alpha",
  program = "alpha.cpp",
  kernelConsole = true,
  memory = [.code, .data, .stack],
  threads = [(name = "main", stack = "stack", priority = 50, cpu = 0)],
  tunnelWindow = (base = 0x10000000, size = 0x11000),
);

const beta :K.Partition = (
  name = "beta",
  program = "beta.cpp",
  kernelConsole = true,
  memory = [.code, .data, .stack],
  threads = [(name = "main", stack = "stack", priority = 50, cpu = 0)],
  tunnelWindow = (base = 0x20000000, size = 0x11000),
);

const ipcmEndpoint :K.Endpoint =
  (name = "ipcm", server = "ipcm", serverThread = "main",
   clients = [(partition = "alpha", badge = 1), (partition = "beta", badge = 2), (partition = "ipcm", badge = 3)]);
const tunnels :List(K.Tunnel) = [
  (name = "small", ends = ["alpha", "beta"], size = 0x1000, doorbell = true),
  (name = "large", ends = ["alpha", "beta"], size = 0x10000, doorbell = true),
];
const tunnelIpcm :K.Ipcm = (partition = "ipcm", endpoint = "ipcm", pool = "pool", watcher = "watcher");
const tunnelCpu0 :K.CpuSchedule =
  (cpu = 0, majorFrameUs = 5000, windows = [(partition = "alpha", durationUs = 2000),
                                            (partition = "beta", durationUs = 2000),
                                            (partition = "ipcm", durationUs = 1000)]);

const system :K.System = (
  name = "tunnel-bench",
  platform = Virt.platform,
  noThreadLeft = powerOff,
  partitions = [.ipcm, .alpha, .beta],
  endpoints = [.ipcmEndpoint],
  tunnels = .tunnels,
  ipcm = .tunnelIpcm,
  schedule = [.tunnelCpu0],
);

