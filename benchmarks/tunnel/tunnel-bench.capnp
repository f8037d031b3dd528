# SPDX-License-Identifier: Apache-2.0
# The tunnel benchmark systems (issue 16; scripts/bench-tunnel builds them
# with `kestrel build --constant NAME` on the benchmark kernel,
# kestrel-bench.elf, and boots each under QEMU; docs/benchmarks.md,
# "Tunnels (issue 16)", has the method and the figures).
#   tunnelOneCpu   the IPCM (ipcm/ipcm.cpp, with its watcher) and two ends:
#                  alpha opens, beta accepts, alpha closes "small" (4 KiB)
#                  and "large" (64 KiB), each timed; then 64 KiB through
#                  "large" and back, against a memcpy in alpha
#   mapOneCpu      the kernel calls alone: "mapper" is the IPCM partition
#                  of this system (it holds the pool and the "map into"
#                  capability) but runs mapper.cpp, which times memory_map
#                  and memory_unmap of 1 and 16 pages into peer's window
#   ...FourCpus    the same, plus "idlers": a thread on each of CPUs 1-3
#                  that waits for ever, so that the kernel starts those
#                  CPUs and the unmaps' inner-shareable TLBIs reach 4 CPUs
# Everything measured runs on CPU 0. Passive servers (the IPCM's main
# thread) run on their callers' time; the windows are long enough that no
# measured operation straddles a window's end. Between alpha and beta each
# step waits for the other's window (one partition per window).
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

# A thread on each of CPUs 1-3, each waiting on a notification of its own
# that nobody signals: those CPUs are up and idle.
const idlers :K.Partition = (
  name = "idlers",
  program = "idler.cpp",
  memory = [.code, .data,
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

const tunnelOneCpu :K.System = (
  name = "tunnel-bench",
  platform = Virt.platform,
  noThreadLeft = powerOff,
  partitions = [.ipcm, .alpha, .beta],
  endpoints = [.ipcmEndpoint],
  tunnels = .tunnels,
  ipcm = .tunnelIpcm,
  schedule = [.tunnelCpu0],
);

const tunnelFourCpus :K.System = (
  name = "tunnel-bench-4",
  platform = Virt.platform,
  noThreadLeft = powerOff,
  partitions = [.ipcm, .alpha, .beta, .idlers],
  endpoints = [.ipcmEndpoint],
  notifications = [.rest1, .rest2, .rest3],
  tunnels = .tunnels,
  ipcm = .tunnelIpcm,
  schedule = [.tunnelCpu0, .idleCpu1, .idleCpu2, .idleCpu3],
);

# The kernel calls alone: mapper holds the pool (16 pages) and a "map into"
# capability for peer's 16-page window, as an IPCM does.
const mapper :K.Partition = (
  name = "mapper",
  program = "mapper.cpp",
  kernelConsole = true,
  memory = [.code, .data, .stack, (name = "pool", size = 0x10000, address = 0x1000000)],
  threads = [(name = "main", stack = "stack", priority = 100, passive = true, cpu = 0)],
);
const peer :K.Partition = (
  name = "peer",
  program = "peer.cpp",
  memory = [.code, .data, .stack],
  threads = [(name = "main", stack = "stack", priority = 50, cpu = 0)],
  tunnelWindow = (base = 0x10000000, size = 0x10000),
);
const mapEndpoint :K.Endpoint =
  (name = "ipcm", server = "mapper", clients = [(partition = "peer", badge = 1), (partition = "far", badge = 2)]);
# A tunnel needs two ends other than the IPCM: "far" is the second, which
# nothing maps into. As an end it is a client of the IPCM's endpoint, so it
# needs a window on the IPCM's CPU (KP0511), however short.
const far :K.Partition = (name = "far", memory = [], threads = [], tunnelWindow = (base = 0x10000000, size = 0x10000));
const mapTunnels :List(K.Tunnel) = [(name = "t", ends = ["peer", "far"], size = 0x10000)];
const mapIpcm :K.Ipcm = (partition = "mapper", endpoint = "ipcm", pool = "pool");
const mapCpu0 :K.CpuSchedule =
  (cpu = 0, majorFrameUs = 20010, windows = [(partition = "peer", durationUs = 20000),
                                             (partition = "far", durationUs = 10)]);

const mapOneCpu :K.System = (
  name = "map-bench",
  platform = Virt.platform,
  noThreadLeft = powerOff,
  partitions = [.mapper, .peer, .far],
  endpoints = [.mapEndpoint],
  tunnels = .mapTunnels,
  ipcm = .mapIpcm,
  schedule = [.mapCpu0],
);

const mapFourCpus :K.System = (
  name = "map-bench-4",
  platform = Virt.platform,
  noThreadLeft = powerOff,
  partitions = [.mapper, .peer, .far, .idlers],
  endpoints = [.mapEndpoint],
  notifications = [.rest1, .rest2, .rest3],
  tunnels = .mapTunnels,
  ipcm = .mapIpcm,
  schedule = [.mapCpu0, .idleCpu1, .idleCpu2, .idleCpu3],
);
