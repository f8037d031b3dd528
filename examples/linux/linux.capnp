# SPDX-License-Identifier: Apache-2.0
# Debian's arm64 Linux with 2 vCPUs beside a real-time partition:
#   console - the console driver: owns the PL011, prints every partition's
#             lines with its name in front, routes typed input (Ctrl-] n
#             switches it between the partitions that take input)
#   vmm     - the VMM (vmm-server/vmm.cpp): the VM's GIC, PL011, virtio
#             console (/dev/hvc0 in the guest) and PSCI,
#             serving each vCPU's exits on the vCPU's own CPU
#   linux   - the guest: Debian's cloud kernel and a busybox initramfs
#             (scripts/guest-payloads fetches both into <build>/guest)
#   control - a native real-time partition with a periodic control loop on
#             a CPU of its own, reporting its worst lateness
# `kestrel run examples/linux/linux.capnp` boots it to a shell in the VM;
# `poweroff` there ends the VM and the run.
@0xc0a3e8d1f2b4a697;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "linux",
  platform = Virt.platform,
  noThreadLeft = powerOff,

  partitions = [
    ( name = "console",
      program = "../../drivers-untrusted/console/console_driver.cpp",
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      # Not passive: typed input arrives as an interrupt, which must find the
      # driver with time of its own (its window on CPU 2).
      threads = [(name = "main", stack = "stack", priority = 200, cpu = 2)],
      devices = [(device = "uart0", notification = "console-irq")],
    ),
    ( name = "vmm",
      program = "../../vmm-server/vmm.cpp",
      mayPowerOff = true,
      memory = [
        (name = "code", size = 0x20000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x40000, address = 0x400000),
        (name = "stack", size = 0x8000, address = 0x800000),
        (name = "input-stack", size = 0x4000, address = 0x900000),
        (name = "stack-cpu1", size = 0x8000, address = 0xa00000),
      ],
      # Each vCPU's exits are served on its own CPU, by the VMM's passive
      # thread there, on the vCPU's time; typed input by a thread with time
      # of its own (the stack named input-stack tells it).
      threads = [
        (name = "main", stack = "stack", priority = 150, passive = true, cpu = 0),
        (name = "exits-cpu1", stack = "stack-cpu1", priority = 150, passive = true, cpu = 1),
        (name = "input", stack = "input-stack", priority = 150, cpu = 2),
      ],
    ),
    ( name = "linux",
      vm = (
        cpus = [0, 1],
        ramSize = 0x10000000,  # 256 MiB at guest-physical 0x40000000
        kernel = "Image",
        initrd = "initramfs.cpio.gz",
        bootargs = "console=ttyAMA0 earlycon",
        vmm = "vmm",
        vmmRamAddress = 0x80000000,  # the VMM sees the guest's RAM: the virtio queues are there
        priority = 100,
        emulated = [
          (name = "pl011", kind = pl011, address = 0x09000000, interrupt = 33),
          # Output to /dev/hvc0 reaches the console like the PL011's; typed
          # input goes to the guest's /dev/console, the last console= of
          # bootargs (console=hvc0 would move the shell there).
          (name = "hvc", kind = virtioConsole, address = 0x0a000000, interrupt = 80),
        ],
      ),
    ),
    ( name = "control",
      program = "control.cpp",
      kernelConsole = true,  # its own lines, even while the console driver is busy
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      # Released every 1 ms with 200 us to do its step (control.cpp).
      threads = [(name = "loop", stack = "stack", priority = 250, cpu = 2, budgetUs = 200, periodUs = 1000)],
    ),
  ],

  endpoints = [
    ( name = "console", server = "console",
      clients = [(partition = "vmm", badge = 1)] ),
  ],

  notifications = [
    (name = "console-irq", owner = "console"),
    # Typed input for the VM: the console driver rings the VMM's doorbell
    # (console-input-<badge>: the VMM's badge on "console") when input waits.
    (name = "console-input-1", owner = "vmm", signallers = [(partition = "console", badge = 1)]),
  ],

  schedule = [
    (cpu = 0, majorFrameUs = 10000, windows = [(partition = "linux", durationUs = 10000)]),
    (cpu = 1, majorFrameUs = 10000, windows = [(partition = "linux", durationUs = 10000)]),
    # CPU 2: the control loop (released every 1 ms, 200 us of budget), the
    # console driver and the VMM's input thread share every millisecond.
    (cpu = 2, majorFrameUs = 1000, windows = [
      (partition = "control", durationUs = 400),
      (partition = "console", durationUs = 400),
      (partition = "vmm", durationUs = 200),
    ]),
  ],
);
