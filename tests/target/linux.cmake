# SPDX-License-Identifier: Apache-2.0
# Linux guest tests, included from tests/target/CMakeLists.txt. The fixture
# guest_payloads runs scripts/guest-payloads (cmake/guest-payloads.cmake);
# every test that boots Linux requires it.
add_test(NAME target.guest_payloads COMMAND ${KESTREL_GUEST_PAYLOADS_SCRIPT} ${KESTREL_GUEST_DIR})
set_tests_properties(target.guest_payloads PROPERTIES LABELS target FIXTURES_SETUP guest_payloads TIMEOUT 600)

# kestrel_add_bare_linux_test(NAME name APPEND cmdline [SMP n] [EXPECT text...] [FORBID text...]):
# boots the payloads under plain QEMU (tests/target/linux/boot-bare-qemu.sh),
# a check of the payloads themselves before Kestrel runs them.
function(kestrel_add_bare_linux_test)
  cmake_parse_arguments(PARSE_ARGV 0 TEST "" "NAME;APPEND;SMP" "EXPECT;FORBID")
  if(NOT TEST_SMP)
    set(TEST_SMP 2)
  endif()
  set(arguments --qemu ${KESTREL_QEMU} --image ${KESTREL_GUEST_IMAGE} --initrd ${KESTREL_GUEST_INITRAMFS}
                --smp ${TEST_SMP} --timeout 300 --append "${TEST_APPEND}"
                --log ${CMAKE_CURRENT_BINARY_DIR}/linux_bare_${TEST_NAME}.log)
  kestrel_append_line_checks(arguments TEST_EXPECT TEST_FORBID)
  add_test(NAME target.linux_bare_${TEST_NAME}
    COMMAND bash ${CMAKE_SOURCE_DIR}/tests/target/linux/boot-bare-qemu.sh ${arguments})
  set_tests_properties(target.linux_bare_${TEST_NAME} PROPERTIES LABELS target TIMEOUT 330
    FIXTURES_REQUIRED guest_payloads)
endfunction()

# Every module /init loads (scripts/guest-payloads, in this order).
set(guest_modules virtio_ring virtio virtio_mmio virtio_blk failover net_failover virtio_net virtio_console)
set(modules_loaded "")
foreach(module IN LISTS guest_modules)
  list(APPEND modules_loaded "kestrel-guest: loaded ${module}")
endforeach()

kestrel_add_bare_linux_test(NAME qemu_boot APPEND "console=ttyAMA0 kestrel.run=smp"
  EXPECT ${modules_loaded} "kestrel-guest: init reached" "kestrel-guest: running scenario smp"
         "kestrel-guest: cpus 2" "kestrel-guest: ipis on every cpu yes" "reboot: Power down"
  FORBID "FAILED" "ipis on every cpu no" "Kernel panic")
# The sum of 1/k^2 for k = 1..200000 in IEEE-754 doubles, four processes on
# two CPUs (tests/target/linux/scenarios/fp.sh says how the value was found).
kestrel_add_bare_linux_test(NAME qemu_fp APPEND "console=ttyAMA0 kestrel.run=fp"
  EXPECT "kestrel-guest: fp result 1.6449290668607415" "reboot: Power down"
  FORBID "FAILED" "differ" "Kernel panic")
kestrel_add_bare_linux_test(NAME qemu_poweroff APPEND "console=ttyAMA0 kestrel.run=poweroff"
  EXPECT "kestrel-guest: powering off" "reboot: Power down" FORBID "FAILED" "Kernel panic")
# Under -no-reboot the reset ends QEMU.
kestrel_add_bare_linux_test(NAME qemu_reboot APPEND "console=ttyAMA0 kestrel.run=reboot"
  EXPECT "kestrel-guest: rebooting" "reboot: Restarting system" FORBID "FAILED" "Kernel panic")
kestrel_add_bare_linux_test(NAME qemu_panic APPEND "console=ttyAMA0 panic=-1 kestrel.run=panic"
  EXPECT "kestrel-guest: panicking" "Kernel panic - not syncing: sysrq triggered crash" FORBID "FAILED")
# An unknown scenario is reported, and the guest still powers off.
kestrel_add_bare_linux_test(NAME qemu_unknown_scenario APPEND "console=ttyAMA0 kestrel.run=nonesuch"
  EXPECT "kestrel-guest: FAILED: no scenario 'nonesuch'" "reboot: Power down" FORBID "Kernel panic")

# Linux under Kestrel: examples/linux's partitions in the system
# tests/target/images/linux.capnp.in describes, one image per command line,
# each built by `kestrel build` (which compiles the VMM, the console driver
# and the control partition from source).
# kestrel_linux_image(NAME BOOTARGS VCPU_CPUS CONTROL_CPU CONSOLE_CPU SCHEDULE [CONTROL_BUDGET] [VIRTIO_CONSOLE])
# VIRTIO_CONSOLE gives the VM a virtio console (hvc0) at 0x0a000000, SPI
# INTID 80, and the VMM the view of its RAM the device needs (KP0619).
function(kestrel_linux_image name bootargs vcpu_cpus control_cpu console_cpu schedule)
  cmake_parse_arguments(PARSE_ARGV 6 LINUX "VIRTIO_CONSOLE" "" "")
  set(LINUX_CONTROL_BUDGET "${LINUX_UNPARSED_ARGUMENTS}")
  set(LINUX_VMM_RAM "")
  set(LINUX_EXTRA_DEVICES "")
  if(LINUX_VIRTIO_CONSOLE)
    set(LINUX_VMM_RAM "\n        vmmRamAddress = 0x80000000,")
    set(LINUX_EXTRA_DEVICES ",\n                    (name = \"hvc\", kind = virtioConsole, address = 0x0a000000, interrupt = 80)")
  endif()
  set(LINUX_CONSOLE_CPU ${console_cpu})
  set(LINUX_NAME ${name})
  set(LINUX_BOOTARGS ${bootargs})
  set(LINUX_VCPU_CPUS ${vcpu_cpus})
  set(LINUX_CONTROL_CPU ${control_cpu})
  set(LINUX_SCHEDULE ${schedule})
  set(policy ${CMAKE_CURRENT_BINARY_DIR}/${name}/${name}.capnp)
  configure_file(${CMAKE_SOURCE_DIR}/tests/target/images/linux.capnp.in ${policy} @ONLY)
  add_test(NAME target.image_build_${name}
    COMMAND kestrel build ${policy} -P ${KESTREL_GUEST_DIR} -o ${CMAKE_CURRENT_BINARY_DIR}/${name}/${name}.elf)
  set_tests_properties(target.image_build_${name} PROPERTIES LABELS target FIXTURES_SETUP ${name}_image
    FIXTURES_REQUIRED guest_payloads TIMEOUT 300)
endfunction()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/target/images/linux.capnp.in)

# Two vCPUs on CPUs 0 and 1, the control loop released every 1 ms on CPU 2
# (200 us of budget per 1 ms period, in a window it shares with the console
# driver's).
# One boot checks SMP, IPIs, floating point in the guest's user space and
# in the native partition at the same time, and the guest's power-off,
# which the VMM (mayPowerOff) turns into the machine's; the VMM's report
# shows each vCPU's exits served by its thread on the vCPU's own CPU (none
# on another).
set(linux_two_cpus "(cpu = 0, majorFrameUs = 10000, windows = [(partition = \"linux\", durationUs = 10000)]),
    (cpu = 1, majorFrameUs = 10000, windows = [(partition = \"linux\", durationUs = 10000)]),
    (cpu = 2, majorFrameUs = 1000, windows = [(partition = \"control\", durationUs = 400), (partition = \"console\", durationUs = 400), (partition = \"vmm\", durationUs = 200)])")
kestrel_linux_image(linux-checks "console=ttyAMA0 kestrel.run=checks" "0, 1" 2 2 "${linux_two_cpus}"
  ", budgetUs = 200, periodUs = 1000")
kestrel_add_qemu_test(NAME linux_smp_fp_and_poweroff IMAGE ${CMAKE_CURRENT_BINARY_DIR}/linux-checks/linux-checks.elf
  SMP 3 ICOUNT TIMEOUT 300 FIXTURES linux-checks_image
  EXPECT ${modules_loaded} "linux: kestrel-guest: init reached" "linux: kestrel-guest: cpus 2"
         "linux: kestrel-guest: ipis on every cpu yes" "linux: kestrel-guest: fp result 1.6449290668607415"
         "control: position after 250 steps 0x3fb8c9d888e84f69"
         "linux: vmm: the guest powered off (PSCI SYSTEM_OFF)" "linux: vmm: exits on CPU 0: "
         "linux: vmm: exits on CPU 1: " "partition vmm: thread main powers the machine off" "KASLR enabled"
  FORBID "FAILED" "differ" "Kernel panic" "Oops" "cannot emulate" "ipis on every cpu no" "exits on CPU 0: none"
         "exits on CPU 1: none" "were of vCPUs on other CPUs" "lack of seed")

# The control loop shares CPU 0 with vCPU 0: the first 200 us of every
# 1 ms frame are its window, the rest Linux's (vCPU 1 has CPU 1). The guest
# boots, panics (sysrq c) and spins in its panic loop with interrupts
# masked; the loop keeps running, on time, with its floating point exact.
# Under -icount QEMU runs one emulated CPU at a time, so while both CPUs are
# busy (the boot) CPU 0 waits whole slices for CPU 1 and the loop's early
# reports show misses that are the emulator's; from 2 s on the guest is
# down and every period must be kept. (Both vCPUs on one CPU would make it
# deterministic throughout, but one spinning vCPU then starves the other:
# threads of equal priority are not time-sliced yet.)
set(linux_shared_cpu "(cpu = 0, majorFrameUs = 1000, windows = [(partition = \"control\", durationUs = 200), (partition = \"linux\", durationUs = 800)]),
    (cpu = 1, majorFrameUs = 1000, windows = [(partition = \"linux\", durationUs = 700), (partition = \"console\", durationUs = 200), (partition = \"vmm\", durationUs = 100)])")
kestrel_linux_image(linux-panic "console=ttyAMA0 kestrel.run=panic" "0, 1" 0 1 "${linux_shared_cpu}")
kestrel_add_qemu_test(NAME linux_panic_leaves_the_control_loop_on_time
  IMAGE ${CMAKE_CURRENT_BINARY_DIR}/linux-panic/linux-panic.elf
  SMP 2 ICOUNT TIMEOUT 300 FIXTURES linux-panic_image END_AFTER "control: periods 4001-5000"
  EXPECT "linux: kestrel-guest: panicking" "Kernel panic - not syncing: sysrq triggered crash"
         "control: position after 4000 steps 0x3fefcc55fc91a09e"
         "control: periods 3001-4000: every one kept" "control: periods 4001-5000: every one kept"
  FORBID "FAILED")

# PSCI SYSTEM_RESET: the guest reboots; the VMM has the kernel restart the
# VM from the image (vm_restart), which boots and reboots again. The second
# restart proves the first one brought the guest back up. With a virtio
# console, so the VMM maps the guest's RAM, which the restart reloads all
# the same.
kestrel_linux_image(linux-reboot "console=ttyAMA0 kestrel.run=reboot" "0, 1" 2 2 "${linux_two_cpus}"
  ", budgetUs = 200, periodUs = 1000" VIRTIO_CONSOLE)
kestrel_add_qemu_test(NAME linux_reboot_restarts_the_vm IMAGE ${CMAKE_CURRENT_BINARY_DIR}/linux-reboot/linux-reboot.elf
  SMP 3 ICOUNT TIMEOUT 300 FIXTURES linux-reboot_image END_AFTER "(restart 2)"
  EXPECT "linux: kestrel-guest: rebooting" "linux: vmm: the guest asked for a reset (PSCI SYSTEM_RESET); restarting it from the image (restart 1)"
         "linux: kestrel-guest: init reached"
  FORBID "FAILED" "could not be restarted" "Kernel panic" "MISMATCH" "lack of seed")

# The shell: what is typed on the console reaches it (the console driver
# rings the VMM's input doorbell; the VMM feeds its emulated PL011), and
# busybox's poweroff ends the VM and, through the VMM's mayPowerOff, the run.
kestrel_linux_image(linux-shell "console=ttyAMA0" "0, 1" 2 2 "${linux_two_cpus}" ", budgetUs = 200, periodUs = 1000")
kestrel_add_qemu_test(NAME linux_shell_takes_typed_commands IMAGE ${CMAKE_CURRENT_BINARY_DIR}/linux-shell/linux-shell.elf
  SMP 3 ICOUNT TIMEOUT 300 FIXTURES linux-shell_image
  INPUT_AFTER "Enter 'help' for a list of built-in commands." "echo typed-$((6 * 7))\n"
              "typed-42" "poweroff\n"
  EXPECT "linux: typed-42" "linux: kestrel-guest: powering off" "linux: vmm: the guest powered off (PSCI SYSTEM_OFF)"
         "partition vmm: thread main powers the machine off"
  FORBID "FAILED" "Kernel panic")

# The virtio console: with "console=ttyAMA0 console=hvc0" the guest's
# /dev/console is hvc0 (the last console=), so the VMM routes typed input to
# the virtio console. One boot checks both ways: the scenario writes a line
# to /dev/hvc0 and starts a shell on /dev/console (cttyhack opens hvc0);
# the typed command runs there, says which tty it has, and its exit ends
# the scenario and, through the VMM's mayPowerOff, the run.
kestrel_linux_image(linux-virtio "console=ttyAMA0 console=hvc0 kestrel.run=hvc" "0, 1" 2 2 "${linux_two_cpus}"
  ", budgetUs = 200, periodUs = 1000" VIRTIO_CONSOLE)
kestrel_add_qemu_test(NAME linux_virtio_console IMAGE ${CMAKE_CURRENT_BINARY_DIR}/linux-virtio/linux-virtio.elf
  SMP 3 ICOUNT TIMEOUT 300 FIXTURES linux-virtio_image
  INPUT_AFTER "Enter 'help' for a list of built-in commands." "echo typed-$((6 * 7)) on $(tty)\n"
              "typed-42 on /dev/hvc0" "exit\n"
  EXPECT "linux: kestrel-guest: loaded virtio_console" "linux: kestrel-guest: hvc0 says hello"
         "linux: typed-42 on /dev/hvc0" "linux: kestrel-guest: the shell on hvc0 exited"
         "linux: vmm: the guest powered off (PSCI SYSTEM_OFF)" "partition vmm: thread main powers the machine off"
  FORBID "FAILED" "Kernel panic" "Oops" "cannot emulate" "no device there")

# The guest as a tunnel end (docs/ipcm.md, "The VM end of a tunnel"): the
# scenario tunnel opens the tunnel "door" through the VMM's control page
# (the VMM calls the IPCM with the guest's badge); the native peer accepts,
# writes a pattern and rings; the VMM's doorbell thread sets the control
# page's pending bit and raises the tunnel's SPI, which stays pending in the
# guest's GIC; the guest reads the pattern through /dev/mem, answers, rings;
# the peer checks the answer and closes; the guest hears the IPCM's ring,
# its old view reads 0 (unmapped: the VMM answers), its own close finds
# nothing open (status 10); the peer's read of its old view is a fault.
configure_file(${CMAKE_SOURCE_DIR}/tests/target/images/linux-tunnel.capnp.in
  ${CMAKE_CURRENT_BINARY_DIR}/linux-tunnel/linux-tunnel.capnp @ONLY)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/target/images/linux-tunnel.capnp.in)
add_test(NAME target.image_build_linux-tunnel
  COMMAND kestrel build ${CMAKE_CURRENT_BINARY_DIR}/linux-tunnel/linux-tunnel.capnp -P ${KESTREL_GUEST_DIR}
          -o ${CMAKE_CURRENT_BINARY_DIR}/linux-tunnel/linux-tunnel.elf)
set_tests_properties(target.image_build_linux-tunnel PROPERTIES LABELS target FIXTURES_SETUP linux-tunnel_image
  FIXTURES_REQUIRED guest_payloads TIMEOUT 300)
kestrel_add_qemu_test(NAME linux_tunnel_end IMAGE ${CMAKE_CURRENT_BINARY_DIR}/linux-tunnel/linux-tunnel.elf
  SMP 2 ICOUNT TIMEOUT 300 FIXTURES linux-tunnel_image
  EXPECT "ipcm: serving 1 tunnels to 2 clients from a pool of 1 pages"
         "linux: vmm: tunnel door (id 0) at 0x60000000, SPI 34; control page at 0x60001000"
         "linux: kestrel-guest: tunnel node tunnel@60000000: kestrel,tunnel name door"
         "linux: kestrel-guest: tunnel id 0, SPI 34, control page 0x60001000 (kestrel,tunnel-control)"
         "linux: kestrel-guest: control id 0x4E55544B"
         "linux: kestrel-guest: open: status 0x00000000, instance 0x00000000, at 0x60000000, 4096 bytes"
         "peer: accepted tunnel door (instance 0) at 0x0000000010000000"
         "peer: wrote 0x4b455354 and rang the guest"
         "linux: kestrel-guest: pending bits 3"
         "linux: kestrel-guest: GICD_ISPENDR1 0x00000004: SPI 34 pending"
         "linux: kestrel-guest: the peer wrote 0x4B455354"
         "peer: the guest answers 0x600dcafe"
         # The first boot reboots with the tunnel open: the VM's restart is its
         # stop signal, and the IPCM's watcher closes the tunnel.
         "linux: kestrel-guest: rebooting with the tunnel open"
         "partition linux: restarted from its image (measurement ok)"
         "stopped or restarted: closed 1 tunnel instances"
         "peer: after the guest's restart, closing tunnel door: the IPCM closed it (ipcm status 10)"
         # The second boot's open is granted (maxOpen 1: the old one is gone).
         "peer: wrote 0x444f4e45 and rang the guest"
         "linux: kestrel-guest: the peer wrote 0x444F4E45"
         "peer: closed tunnel door; reading its old address now stops this thread"
         "partition peer: thread main stopped: data abort" "address 0x10000000"
         "linux: kestrel-guest: pending bits after the answer 2"
         "linux: vmm: guest read 0x60000000: no device there"
         "linux: kestrel-guest: the old view now reads 0x00000000"
         "linux: kestrel-guest: close: status 10"
         "linux: vmm: the guest powered off (PSCI SYSTEM_OFF)"
  FORBID "FAILED" "WRONG" "Kernel panic" "Oops" "cannot emulate" "never rings")

# examples/linux exactly as a user boots it: `kestrel build` of the example's
# own policy (not a test template), then the shell: a line written to
# /dev/hvc0 reaches the console through the virtio console, the control
# loop reports, and busybox's poweroff ends the run.
add_test(NAME target.image_build_example_linux
  COMMAND $<TARGET_FILE:kestrel> build ${CMAKE_SOURCE_DIR}/examples/linux/linux.capnp
          -o ${CMAKE_CURRENT_BINARY_DIR}/example-linux/linux.elf)
set_tests_properties(target.image_build_example_linux PROPERTIES LABELS target TIMEOUT 300
  FIXTURES_REQUIRED guest_payloads FIXTURES_SETUP example_linux_image)
kestrel_add_qemu_test(NAME example_linux IMAGE ${CMAKE_CURRENT_BINARY_DIR}/example-linux/linux.elf
  SMP 3 ICOUNT TIMEOUT 300 FIXTURES example_linux_image
  INPUT_AFTER "Enter 'help' for a list of built-in commands." "echo typed-$((6 * 7)) > /dev/hvc0\n"
              "linux: typed-42" "poweroff\n"
  # The control loop reaches 250 steps about when the shell starts (under
  # -icount its CPU runs a third of the time): how soon the input comes
  # decides which is first, so nothing is typed before its line.
  HOLD_INPUT_UNTIL "control: position after 250 steps"
  EXPECT "control: position after 250 steps" "linux: typed-42" "linux: vmm: the guest powered off (PSCI SYSTEM_OFF)"
         "partition vmm: thread main powers the machine off"
  FORBID "FAILED" "Kernel panic" "Oops" "cannot emulate" "no device there")
