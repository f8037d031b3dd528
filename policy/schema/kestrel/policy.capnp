# SPDX-License-Identifier: Apache-2.0
# Kestrel partition policy schema.
#
# A policy file imports this schema and defines one constant of type System:
#
#   using K = import "/kestrel/policy.capnp";
#   using Virt = import "/kestrel/qemu-virt.capnp";
#   const system :K.System = (name = "demo", platform = Virt.platform, ...);
#
# `kestrel-policy check` compiles it into boot-info. Units: sizes and
# addresses in bytes, times in microseconds. Names are 1-63 characters from
# [A-Za-z0-9_-], starting with a letter; they are how objects refer to each
# other. docs/policy.md explains every field with examples.

@0xc2a9f3b07d5e4a11;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("kestrel::policy::schema");

struct System {
  name @0 :Text;
  # The system's name, shown in the boot log and the report.

  platform @1 :Platform;
  # The hardware. Use the platform shipped with Kestrel rather than writing
  # one: `platform = Virt.platform` for QEMU virt.

  partitions @2 :List(Partition);
  # Every partition: the isolation unit, one stage-2 address space each.

  endpoints @3 :List(Endpoint);
  # Synchronous IPC connections: which partitions may call which server.

  notifications @4 :List(Notification);
  # Asynchronous signals: a word of bits one partition waits on.

  channels @5 :List(Channel);
  # Shared-memory channels: one writer, any number of readers.

  schedule @6 :List(CpuSchedule);
  # The time-partition plan, one entry per CPU that runs anything.

  noThreadLeft @7 :NoThreadLeft = idle;
  # What the kernel does once no thread on any CPU can ever run again
  # (every thread stopped, exited or blocked with nothing left to wake it):
  # `idle` (the default) keeps the CPUs waiting for interrupts, so the
  # machine stays on; `powerOff` turns it off through PSCI, as a test or a
  # batch system wants. Partitions holding a `mayPowerOff` capability can
  # always power off with `system_off`; nothing else ever does.

  tunnels @8 :List(Tunnel);
  # Shared-memory tunnels the IPCM may open at run time between two
  # partitions, each only when one end asks and the other accepts
  # (docs/ipcm.md). Nothing is mapped at boot: a tunnel's pages come from
  # the IPCM's pool when it opens and go back, zeroed, when it closes.

  ipcm @9 :Ipcm;
  # The inter-partition communication manager that opens the tunnels.
  # Required as soon as there is a tunnel.

  blockDevices @10 :List(BlockDevice);
  # Disks served by driver partitions: each client gets a slice of the disk
  # through a queue of its own (docs/devices.md).

  networks @11 :List(Network);
  # Virtual switches served by driver partitions: each port has a MAC
  # address and a queue of its own, and reaches only the ports (and the
  # outside) the policy names (docs/devices.md).
}

enum NoThreadLeft {
  idle @0;
  powerOff @1;
}

struct Platform {
  # The board, described once (policy/schema/kestrel/<board>.capnp) and
  # passed to the kernel in boot-info.

  name @0 :Text;
  cpus @1 :UInt32;
  # Number of CPUs, numbered 0..cpus-1.

  vmidBits @2 :UInt8;
  # Width of the stage-2 VMID (8 or 16): one VMID per partition.

  ram @3 :List(AddressRange);
  # RAM the compiler may place partitions in.

  kernelReserved @4 :AddressRange;
  # RAM the kernel image, its data and boot-info occupy; never given out.

  gicDistributor @5 :AddressRange;
  gicRedistributors @6 :AddressRange;
  hypervisorTimerIntid @7 :UInt32;
  # PPI of the EL2 physical timer (the kernel's scheduler tick).
  virtualTimerIntid @8 :UInt32;
  # PPI of the EL1 virtual timer (guests' timer).

  kernelConsole @9 :Text;
  # Name of the PL011 device the kernel writes its own log to. It may
  # still be granted to a console driver partition.

  devices @10 :List(Device);
  # Devices that may be granted to partitions.
}

struct AddressRange {
  base @0 :UInt64;
  size @1 :UInt64;
}

struct Device {
  name @0 :Text;
  mmio @1 :List(AddressRange);
  # Register ranges. A partition is given whole 4 KiB pages, so two devices
  # in one page can only go to the same partition.
  interrupts @2 :List(UInt32);
  # GIC interrupt IDs (SPIs, 32-1019) the device raises.
  compatible @3 :Text;
  # Device-tree "compatible" string, for guests that get the device.
}

struct Partition {
  name @0 :Text;

  program @1 :Text;
  # The program of a native partition, relative to the policy file: an ELF
  # file, or a C++ source file (`.cpp`, `.cc`) that `kestrel build` compiles
  # with the partition runtime. Empty for a VM partition (its payload is in
  # `vm`).

  memory @2 :List(MemoryRegion);
  # Memory the partition sees, besides devices and channels.

  threads @3 :List(Thread);
  # Native threads (EL0). A VM partition has vCPUs instead (see `vm`).

  devices @4 :List(DeviceGrant);
  # Platform devices this partition owns: MMIO mapped, interrupts routed.

  vm @5 :VirtualMachine;
  # Set for a partition that runs a guest operating system at EL1.

  kernelConsole @6 :Bool;
  # May write to the kernel's console (a capability in its last slot). For
  # bring-up and tests; systems give the PL011 to a console driver partition.

  mayPowerOff @7 :Bool;
  # May power the machine off (a capability after all others, the kernel
  # console's included): for the partition that ends a system, such as a
  # health monitor or a demo's last step.

  tunnelWindow @8 :AddressRange;
  # Where this partition sees the tunnels it is an end of: a range of its
  # own addresses, 4 KiB aligned, clear of all its other mappings, large
  # enough for every tunnel that may be open there at once (the sum of
  # size x maxOpen over its tunnels). The IPCM maps tunnels only inside it.
  # Size 0 (the default): the partition cannot be a tunnel end.
}

enum Access {
  readWrite @0;
  readOnly @1;
  readExecute @2;
  readWriteExecute @3;
  # Refused: Kestrel keeps every mapping writable or executable, not both.
}

enum MemoryType {
  writeBack @0;
  # Normal memory, cached. For code, data and stacks.
  nonCacheable @1;
  # Normal memory, uncached: buffers shared with uncached DMA masters.
  device @2;
  # Device-nGnRE: MMIO.
}

struct MemoryRegion {
  name @0 :Text;
  size @1 :UInt64;
  # Bytes; a multiple of 4 KiB.
  address @2 :UInt64;
  # Where the partition sees it (intermediate physical address; native
  # threads run with VA = IPA). 4 KiB aligned.
  physicalAddress @3 :UInt64;
  # Fixed physical address, or 0 to let the compiler place it in RAM.
  access @4 :Access;
  memoryType @5 :MemoryType;
}

struct Thread {
  name @0 :Text;
  entry @1 :UInt64;
  # Initial program counter; 0 means the program's ELF entry point.
  stack @2 :Text;
  # Name of the partition's memory region that holds the stack (readWrite);
  # the thread starts with sp at its end.
  priority @3 :UInt8;
  # 0 (lowest) to 255. Within a time window the highest ready thread runs.
  budgetUs @4 :UInt64;
  periodUs @5 :UInt64;
  # At most budgetUs of CPU time in every periodUs. Both 0: no budget.
  cpu @6 :UInt32;
  # The CPU the thread is pinned to.
  passive @7 :Bool;
  # A passive server: it has no time of its own and runs on the time of the
  # client that calls it. It must serve an endpoint.
  faultHandler @8 :Text;
  # Endpoint (served by another partition) that receives this thread's
  # faults. Empty: a faulting thread is stopped and the kernel logs it.
}

struct DeviceGrant {
  device @0 :Text;
  # A platform device name.
  address @1 :UInt64;
  # Where the partition sees the device's first page; 0 = its physical
  # address.
  notification @2 :Text;
  # Notification (owned by this partition) signalled when one of the
  # device's interrupts fires. Empty: interrupts are not delivered.
  badge @3 :UInt64 = 1;
  # Bits OR-ed into that notification's word by the interrupt.
}

struct VirtualMachine {
  cpus @0 :List(UInt32);
  # One vCPU per entry: vCPU i runs on physical CPU cpus[i].
  ramSize @1 :UInt64;
  ramAddress @2 :UInt64 = 0x40000000;
  # Guest RAM: size (multiple of 2 MiB) and guest-physical base.
  kernel @3 :Text;
  # Guest kernel (arm64 Linux `Image` or a bare-metal ELF), relative to the
  # policy file.
  initrd @4 :Text;
  deviceTree @5 :Text;
  # Optional extra device-tree nodes (.dts or .dtb) merged into the
  # generated one.
  bootargs @6 :Text;
  priority @7 :UInt8 = 100;
  # Priority of the vCPU threads.
  vmm @8 :Text;
  # Partition that handles this VM's exits (emulated MMIO, PSCI, HVC).
  emulated @9 :List(EmulatedDevice);
  # Devices the VMM emulates; guest accesses to them trap to the VMM.
  vmmRamAddress @10 :UInt64;
  # Where the VMM partition sees this VM's whole RAM (all ramSize bytes,
  # the same physical pages the guest runs in), for virtio queues, loading
  # images and reading guest buffers: mapped read-write, normal write-back
  # memory, never executable. 2 MiB aligned (as guest RAM is, so the kernel
  # maps it with 2 MiB blocks); clear of the VMM's other mappings and below
  # 2^40. 0 (the default): the VMM does not see the guest's RAM.
  restartable @11 :Bool = true;
  # Its VMM may restart it from the image (vm_restart, for PSCI
  # SYSTEM_RESET): the image keeps a copy of what it loads into guest RAM
  # (the guest kernel, initrd and device tree) in RAM no partition maps.
  # false saves that RAM; vm_restart then refuses.
}

enum EmulatedKind {
  virtioConsole @0;
  virtioBlock @1;
  virtioNet @2;
  pl011 @3;
}

struct EmulatedDevice {
  name @0 :Text;
  kind @1 :EmulatedKind;
  address @2 :UInt64;
  # Guest-physical base; 4 KiB aligned.
  size @3 :UInt64 = 0x1000;
  interrupt @4 :UInt32;
  # SPI (32-1019) the VMM injects for this device.
  backend @5 :Text;
  # What serves a virtioBlock or virtioNet device: the name of a block
  # device (virtioBlock) or of a network (virtioNet) that lists this VM
  # among its clients or ports; its VMM then holds the VM's queue. Required
  # for those two kinds, empty for the others.
}

struct Client {
  partition @0 :Text;
  badge @1 :UInt64;
  # Delivered to the receiver with each message, so it can tell clients
  # apart. Each client of one endpoint needs its own badge.
}

struct Endpoint {
  name @0 :Text;
  server @1 :Text;
  # Partition that receives calls.
  serverThread @2 :Text;
  # Thread of the server that receives; empty: its first thread.
  clients @3 :List(Client);
  # Partitions that may call.
}

struct Notification {
  name @0 :Text;
  owner @1 :Text;
  # Partition that waits on it.
  signallers @2 :List(Client);
  # Partitions that may signal it; `badge` is the bits each one sets.
}

struct ChannelEnd {
  partition @0 :Text;
  address @1 :UInt64;
  # Where this partition sees the channel's memory.
}

struct Channel {
  name @0 :Text;
  size @1 :UInt64;
  # Bytes; a multiple of 4 KiB.
  writer @2 :ChannelEnd;
  # Maps it read-write.
  readers @3 :List(ChannelEnd);
  # Map it read-only.
  doorbell @4 :Bool;
  # If true, each reader gets a notification of its own, named
  # "<channel>.doorbell.<reader>", that the writer can signal (badge 1).
}

struct Window {
  partition @0 :Text;
  durationUs @1 :UInt64;
}

struct CpuSchedule {
  cpu @0 :UInt32;
  majorFrameUs @1 :UInt64;
  # Length of the cyclic plan; the windows must fill it exactly.
  windows @2 :List(Window);
  # Minor frames, in order: during each, only that partition's threads run.
  exclusive @3 :Text;
  # Instead of windows: the partition that owns this CPU alone, with no
  # timer tick (majorFrameUs and windows stay empty).
  sharedWith @4 :List(Text);
  # With `exclusive` only: partitions whose threads run on this CPU beside
  # the owner's, all by priority, as if one partition owned it. For the
  # partitions a VM depends on anyway (its driver, its VMM's device
  # thread): on the VM's CPU, a request and its answer need no other CPU.
  # Each may keep the others from running by priority: list only
  # partitions the owner trusts with its time.
}

enum TunnelAccess {
  # Who may write a tunnel's memory. Both ends always read it.
  bothWays @0;
  # Both ends map it read-write.
  firstWrites @1;
  # `ends[0]` maps it read-write, `ends[1]` read-only.
  secondWrites @2;
  # `ends[1]` maps it read-write, `ends[0]` read-only.
}

struct Tunnel {
  name @0 :Text;
  # Shares one namespace with endpoints, notifications and channels.

  ends @1 :List(Text);
  # Exactly two different partitions, each with a tunnelWindow. Either may
  # open the tunnel; the other accepts. Each must be a client of the
  # IPCM's endpoint (its badge there is how the IPCM knows it).

  size @2 :UInt64;
  # Bytes; a non-zero multiple of 4 KiB.

  access @3 :TunnelAccess = bothWays;

  doorbell @4 :Bool;
  # If true, each end gets a notification of its own, named
  # "<tunnel>.doorbell.<end>", which the other end may signal (badge 1)
  # and the IPCM signals (badge 2) when the tunnel opens or closes. Each
  # end must have a thread to wait on it; a VM's VMM waits on it for the VM
  # and raises an SPI in the guest (docs/ipcm.md, "The VM end of a tunnel").

  maxOpen @5 :UInt32 = 1;
  # How many instances of this tunnel may be open at once (1 or more).
  # The IPCM refuses one more; windows and the pool are sized for them all.
}

struct Ipcm {
  partition @0 :Text;
  # The partition that is the IPCM. Its thread that serves `endpoint` must
  # be passive: it runs on its callers' time, so a request costs the
  # caller, never another partition.

  endpoint @1 :Text;
  # The endpoint (served by `partition`) that tunnel ends call with
  # open, accept and close.

  pool @2 :Text;
  # A memory region of `partition` (readWrite, write-back): the pages the
  # IPCM gives to tunnels. At least the sum of size x maxOpen over all
  # tunnels.

  maxOpenPerEnd @3 :UInt32 = 8;
  # How many tunnels (asked for or open) one partition may hold at once;
  # the IPCM refuses one more to that partition and no other.

  watcher @4 :Text;
  # A thread of `partition`, not passive and not the one that serves
  # `endpoint`, that closes the tunnels of an end that stops or restarts:
  # the kernel signals the notification "<partition>.ends-stopped" (one
  # bit per tunnel end, so at most 64 ends) and the watcher then calls
  # the IPCM's endpoint, of which the IPCM must be a client itself. It
  # needs time of its own (a window). Without a watcher a stopped end's
  # tunnels stay open until the other end closes them (warning KP0907).
}

struct BlockDevice {
  # A disk that a driver partition owns and serves to its clients, each
  # through its own queue region and doorbells (docs/devices.md). Shares
  # one namespace with endpoints, notifications, channels, tunnels and
  # networks.

  name @0 :Text;

  driver @1 :Text;
  # The native partition that runs the driver (drivers-untrusted/virtio-blk).
  # It needs a thread: it waits on the notification "<name>.driver".

  device @2 :Text;
  # The platform device (a virtio-mmio transport, e.g. "virtio31") the
  # compiler grants to the driver: its registers mapped at their physical
  # address, its interrupt delivered to "<name>.driver" with badge 1
  # (device_queue::device_interrupt_bit). The driver must not also list it
  # in its own `devices`.

  dmaRegion @3 :Text;
  # A readWrite memory region of the driver: its own DMA memory (virtqueues,
  # request headers). The driver learns its physical address from its
  # kestrel/slots.hpp.

  queuesAddress @4 :UInt64;
  # Where the driver sees its clients' queue regions, one after another in
  # the order of `clients`, each device_queue::block_queue_bytes rounded up
  # to 4 KiB. 4 KiB aligned, clear of the driver's other mappings.

  sectors @5 :UInt64;
  # The disk's size in 512-byte sectors; every slice lies inside it.

  clients @6 :List(BlockClient);
  # At most 32. Client i rings the driver with badge 2 << i.
}

struct BlockClient {
  partition @0 :Text;
  # A native partition, or a VM partition: then its VMM holds the queue
  # and the VM needs a virtioBlock emulated device whose backend is this
  # block device.

  firstSector @1 :UInt64;
  sectorCount @2 :UInt64;
  # The client's slice: sectors [firstSector, firstSector + sectorCount)
  # of the disk. The client counts its sectors from 0; the driver refuses a
  # request outside the slice. Two slices may overlap only if neither
  # client writes.

  readOnly @3 :Bool;
  # The driver refuses the client's writes.

  address @4 :UInt64;
  # Where the client (for a VM, its VMM) sees its queue region: 4 KiB
  # aligned, clear of its other mappings. The region starts zeroed.
}

struct Network {
  # A virtual switch that a driver partition runs, with the NIC (if any) as
  # its way out (docs/devices.md). Shares one namespace with block devices,
  # endpoints, notifications, channels and tunnels.

  name @0 :Text;

  driver @1 :Text;
  # The native partition that runs the switch (drivers-untrusted/virtio-net).

  device @2 :Text;
  # The NIC, a virtio-mmio platform device granted to the driver as a block
  # device's is. Empty: a switch between the ports only, without outside.

  dmaRegion @3 :Text;
  # A readWrite memory region of the driver, as a block device's.

  queuesAddress @4 :UInt64;
  # Where the driver sees its ports' queue regions, one after another,
  # each device_queue::net_queue_bytes rounded up to 4 KiB.

  ports @5 :List(NetworkPort);
  # At most 32. Port i rings the driver with badge 2 << i.
}

struct NetworkPort {
  partition @0 :Text;
  # A native partition, or a VM partition (whose VMM then holds the queue;
  # the VM needs a virtioNet emulated device whose backend is this network).

  mac @1 :Text;
  # The port's MAC address, "52:54:00:12:34:56": six two-digit hexadecimal
  # bytes separated by ':', unicast (first byte even), not all zero, and
  # unique in the network. The switch drops frames from the port with any
  # other source address.

  reaches @2 :List(Text);
  # The ports (by partition name) this port may exchange frames with, and
  # "outside" for the NIC (only on a network with a device). The relation
  # is symmetric: naming a port on either side connects both ways, so
  # writing it once is enough. Frames between ports that do not reach each
  # other are dropped.

  address @3 :UInt64;
  # Where the partition (for a VM, its VMM) sees its queue region.
}
