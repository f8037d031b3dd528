# SPDX-License-Identifier: Apache-2.0
# The system-call fuzzer test (tests/target/partitions/sysfuzz_*.cpp):
# "fuzzer" makes thousands of random system calls from a fixed seed, on two
# CPUs, with every capability it holds, slots outside its table, and
# buffers in its own memory, the victim's, the kernel's, devices and
# nowhere; it checks every answer against docs/abi.md. "victim" fills its
# memory with a pattern and keeps two threads checking their registers
# (one on each CPU) while it serves the fuzzer's calls; afterwards it checks
# every word and serves "client", which checks the victim's answers.
# "client" is also the partner of the fuzzer's calls that block (see
# sysfuzz_fuzzer.cpp). "stopper" powers the machine off once victim and
# client are done, so the test never relies on running out of threads.
@0xb7d3e1a95c2f6840;

using K = import "/kestrel/policy.capnp";
using Virt = import "/kestrel/qemu-virt.capnp";

const system :K.System = (
  name = "sysfuzz",
  platform = Virt.platform,
  partitions = [
    ( name = "fuzzer",
      program = "sysfuzz-fuzzer.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        # What its console writes print (dots), alone so that a buffer that
        # runs past its end is refused.
        (name = "text", size = 0x1000, address = 0x500000),
        # Its IPC buffers, 4 KiB per fuzzing thread.
        (name = "buffers", size = 0x4000, address = 0x600000),
        # Readable but not writable: no IPC buffer.
        (name = "readonly", size = 0x1000, address = 0x700000, access = readOnly),
        (name = "stack0", size = 0x4000, address = 0x800000),
        (name = "stack1", size = 0x4000, address = 0x810000),
        (name = "stack2", size = 0x4000, address = 0x820000),
        (name = "stack3", size = 0x4000, address = 0x830000),
      ],
      # Thread n's stack is at 0x800000 + n * 0x10000, which is how it
      # knows its number.
      threads = [
        (name = "fuzz0", stack = "stack0", priority = 20, cpu = 0),
        (name = "fuzz1", stack = "stack1", priority = 20, cpu = 0),
        (name = "fuzz2", stack = "stack2", priority = 20, cpu = 1),
        (name = "fuzz3", stack = "stack3", priority = 20, cpu = 1),
      ],
      # A device of its own: device memory it may not name as a buffer, and
      # an IRQ capability to acknowledge. The RTC is never programmed here.
      devices = [(device = "rtc", notification = "fuzz-bell", badge = 0x10)],
    ),
    ( name = "victim",
      program = "sysfuzz-victim.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        # The pattern, at a physical address the fuzzer names as a buffer
        # (and at another address in the victim's own space).
        (name = "pattern", size = 0x10000, address = 0x1000000, physicalAddress = 0x48000000),
        (name = "stack0", size = 0x4000, address = 0x800000),
        (name = "stack1", size = 0x4000, address = 0x810000),
        (name = "stack2", size = 0x4000, address = 0x820000),
      ],
      threads = [
        (name = "server", stack = "stack0", priority = 20, cpu = 0),
        (name = "spin0", stack = "stack1", priority = 10, cpu = 0),
        (name = "spin1", stack = "stack2", priority = 10, cpu = 1),
      ],
    ),
    ( name = "client",
      program = "sysfuzz-client.elf",
      kernelConsole = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack0", size = 0x4000, address = 0x800000),
        (name = "stack1", size = 0x4000, address = 0x810000),
        (name = "stack2", size = 0x4000, address = 0x820000),
      ],
      threads = [
        (name = "main", stack = "stack0", priority = 20, cpu = 0),
        (name = "feed-send", stack = "stack1", priority = 10, cpu = 0),
        (name = "feed-signal", stack = "stack2", priority = 10, cpu = 0),
      ],
    ),
    ( name = "stopper",
      program = "stopper-3.elf",
      mayPowerOff = true,
      memory = [
        (name = "code", size = 0x10000, address = 0x200000, access = readExecute),
        (name = "data", size = 0x10000, address = 0x400000),
        (name = "stack", size = 0x4000, address = 0x800000),
      ],
      threads = [(name = "main", stack = "stack", priority = 1, cpu = 1)],
    ),
  ],
  endpoints = [
    ( name = "service", server = "victim",
      clients = [(partition = "fuzzer", badge = 1), (partition = "client", badge = 2)] ),
    (name = "fuzz-inbox", server = "fuzzer", clients = [(partition = "client", badge = 7)]),
  ],
  notifications = [
    ( name = "victim-bell", owner = "victim",
      signallers = [(partition = "fuzzer", badge = 1), (partition = "client", badge = 2),
                    (partition = "victim", badge = 4)] ),
    ( name = "fuzz-bell", owner = "fuzzer",
      signallers = [(partition = "client", badge = 1), (partition = "fuzzer", badge = 2)] ),
    (name = "client-go", owner = "client", signallers = [(partition = "victim", badge = 1)]),
    ( name = "done", owner = "stopper",
      signallers = [(partition = "victim", badge = 1), (partition = "client", badge = 2)] ),
  ],
  # The fuzzer and the victim run at once, on different CPUs, for most of
  # each frame.
  schedule = [
    (cpu = 0, majorFrameUs = 3000, windows = [
      (partition = "fuzzer", durationUs = 1000),
      (partition = "victim", durationUs = 1000),
      (partition = "client", durationUs = 1000),
    ]),
    (cpu = 1, majorFrameUs = 3000, windows = [
      (partition = "victim", durationUs = 1000),
      (partition = "fuzzer", durationUs = 1000),
      (partition = "stopper", durationUs = 1000),
    ]),
  ],
);
