# SPDX-License-Identifier: Apache-2.0
# Debian's arm64 Linux with 2 vCPUs beside a real-time partition:
#   console - the console driver: owns the PL011, prints every partition's
#             lines with its name in front, routes typed input
#   vmm     - the VMM (vmm-server/vmm.cpp): the VM's GIC, PL011 and PSCI
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
      threads = [(name = "main", stack = "stack", priority = 200, passive = true, cpu = 0)],
      devices = [(device = "uart0", notification = "console-irq")],
    ),
    ( name = "vmm",
      program = "../../vmm-server/vmm.cpp",
      mayPowerOff = true,
      memory = [
        (name = "code", size = 0x20000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x40000, address = 0x400000),
        (name = "stack", size = 0x8000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 150, passive = true, cpu = 0)],
    ),
    ( name = "linux",
      vm = (
        cpus = [0, 1],
        ramSize = 0x10000000,  # 256 MiB at guest-physical 0x40000000
        kernel = "Image",
        initrd = "initramfs.cpio.gz",
        bootargs = "console=ttyAMA0 earlycon",
        vmm = "vmm",
        priority = 100,
        emulated = [
          (name = "pl011", kind = pl011, address = 0x09000000, interrupt = 33),
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
  ],

  schedule = [
    (cpu = 0, majorFrameUs = 10000, windows = [(partition = "linux", durationUs = 10000)]),
    (cpu = 1, majorFrameUs = 10000, windows = [(partition = "linux", durationUs = 10000)]),
    # The control loop has CPU 2 to itself.
    (cpu = 2, majorFrameUs = 1000, windows = [(partition = "control", durationUs = 1000)]),
  ],
);
