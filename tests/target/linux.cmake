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
  foreach(text IN LISTS TEST_EXPECT)
    string(REPLACE ";" "\\;" text "${text}")
    list(APPEND arguments --expect "${text}")
  endforeach()
  foreach(text IN LISTS TEST_FORBID)
    string(REPLACE ";" "\\;" text "${text}")
    list(APPEND arguments --forbid "${text}")
  endforeach()
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
