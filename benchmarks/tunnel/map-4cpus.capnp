# SPDX-License-Identifier: Apache-2.0
# The kernel calls alone on 4 CPUs: map.capnp's system plus tunnel-4cpus.capnp's
# idlers, a thread waiting for ever on each of CPUs 1-3.
# Built by scripts/bench-tunnel with `kestrel build` on the benchmark kernel
# (kestrel-bench.elf, which lets partitions read PMCCNTR_EL0) and booted
# under QEMU; docs/benchmarks.md, "Tunnels (issue 16)", has the method and
# the figures. Everything measured runs on CPU 0.
@0xd8b4f0c2e6a31597;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";
using One = import "map.capnp";
using Idle = import "tunnel-4cpus.capnp";

const system :K.System = (
  name = "map-bench-4",
  platform = Virt.platform,
  noThreadLeft = powerOff,
  partitions = [One.mapper, One.peer, One.far, Idle.idlers],
  endpoints = [One.mapEndpoint],
  notifications = [Idle.rest1, Idle.rest2, Idle.rest3],
  tunnels = One.mapTunnels,
  ipcm = One.mapIpcm,
  schedule = [One.mapCpu0, Idle.idleCpu1, Idle.idleCpu2, Idle.idleCpu3],
);
