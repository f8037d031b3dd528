# SPDX-License-Identifier: Apache-2.0
# The kernel calls alone (issue 16): "mapper" is the IPCM partition of this
# system, so it holds the pool (16 pages) and a "map into" capability for
# peer's 16-page window, but runs mapper.cpp, which times memory_map and
# memory_unmap of 1 and 16 pages on each of peer's calls.
# Built by scripts/bench-tunnel with `kestrel build` on the benchmark kernel
# (kestrel-bench.elf, which lets partitions read PMCCNTR_EL0) and booted
# under QEMU; docs/benchmarks.md, "Tunnels (issue 16)", has the method and
# the figures. Everything measured runs on CPU 0.
@0xc7a3e9b1d5f20486;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const code :K.MemoryRegion = (name = "code", size = 0x10000, address = 0x200000, access = readExecute);
const data :K.MemoryRegion = (name = "data", size = 0x40000, address = 0x400000);
const stack :K.MemoryRegion = (name = "stack", size = 0x4000, address = 0x800000);

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

const system :K.System = (
  name = "map-bench",
  platform = Virt.platform,
  noThreadLeft = powerOff,
  partitions = [.mapper, .peer, .far],
  endpoints = [.mapEndpoint],
  tunnels = .mapTunnels,
  ipcm = .mapIpcm,
  schedule = [.mapCpu0],
);

