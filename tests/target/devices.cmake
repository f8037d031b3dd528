# SPDX-License-Identifier: Apache-2.0
# Shared devices through untrusted drivers (docs/devices.md), included from
# tests/target/CMakeLists.txt: the system of tests/target/images/
# devices.capnp.in (two Linux VMs, a native block reader and a native net
# responder sharing one virtio disk and one virtio NIC through the
# virtio-blk and virtio-net driver partitions), built by `kestrel build`.
#
# Under -icount: TCG then runs the four CPUs in one host thread, in turn.
# With a thread per CPU on this 2-core machine, a CPU holding the kernel
# lock was often descheduled by the host while the other three spun for it,
# and the guests printed a line every two seconds.
#
# The disk is made fresh for each run (disk-slices make: every sector the
# pattern). QEMU virt's transports are legacy (version 1) unless told
# otherwise, and the drivers speak virtio 1 only: force-legacy=false. QEMU's first virtio device on transport 31 (virtio31), the NIC
# on transport 23 (virtio23, another page: KP0316), QEMU's user network
# behind it. After the run the host checks the disk: both VMs' slices were
# written, every other sector (the reader's read-only slice, the gaps, the
# rest) still holds the pattern, and each VM's slice holds its file system
# with the note its first boot wrote.
# kestrel_devices_system(NAME BLK_DRIVER VM1_ARGS VM2_ARGS): the system of
# devices.capnp.in under NAME, its image (fixture NAME_image) and a fresh
# disk (fixture NAME_disk, NAME/disk.img).
function(kestrel_devices_system name blk_driver vm1_args vm2_args)
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/${name})
  set(SYSTEM_NAME ${name})
  set(BLK_DRIVER ${blk_driver})
  set(VM1_ARGS ${vm1_args})
  set(VM2_ARGS ${vm2_args})
  configure_file(${CMAKE_SOURCE_DIR}/tests/target/images/devices.capnp.in ${dir}/${name}.capnp @ONLY)
  add_test(NAME target.image_build_${name}
    COMMAND kestrel build ${dir}/${name}.capnp -P ${KESTREL_GUEST_DIR} -o ${dir}/${name}.elf)
  set_tests_properties(target.image_build_${name} PROPERTIES LABELS target FIXTURES_SETUP ${name}_image
    FIXTURES_REQUIRED guest_payloads TIMEOUT 300)
  add_test(NAME target.${name}_disk_make COMMAND disk-slices make ${dir}/disk.img 131072)
  set_tests_properties(target.${name}_disk_make PROPERTIES LABELS target FIXTURES_SETUP ${name}_disk)
endfunction()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/target/images/devices.capnp.in)

kestrel_devices_system(devices ${CMAKE_SOURCE_DIR}/drivers-untrusted/virtio-blk/blk_driver.cpp
  "kestrel.run=devices kestrel.name=vm1 kestrel.ip=10.0.2.15 kestrel.peer=10.0.2.16 kestrel.native=10.0.2.17 kestrel.native_reach=yes kestrel.outside=yes"
  "kestrel.run=devices kestrel.name=vm2 kestrel.ip=10.0.2.16 kestrel.peer=10.0.2.15 kestrel.native=10.0.2.17 kestrel.native_reach=no kestrel.outside=no kestrel.last=yes")
kestrel_devices_system(devices-fault ${CMAKE_SOURCE_DIR}/tests/target/devices/faulting_blk_driver.cpp
  "kestrel.run=diskfail kestrel.name=vm1 kestrel.ip=10.0.2.15 kestrel.ping=10.0.2.17 kestrel.await_ping=yes"
  "kestrel.run=diskfail kestrel.name=vm2 kestrel.ip=10.0.2.16 kestrel.ping=10.0.2.15")
set(devices_dir ${CMAKE_CURRENT_BINARY_DIR}/devices)
set(devices_disk ${devices_dir}/disk.img)

set(devices_qemu_args
  -global virtio-mmio.force-legacy=false
  -drive file=${devices_disk},if=none,format=raw,id=disk0
  -device virtio-blk-device,drive=disk0,bus=virtio-mmio-bus.31
  -netdev user,id=net0 -device virtio-net-device,netdev=net0,bus=virtio-mmio-bus.23)
kestrel_add_qemu_test(NAME devices_shared_disk_and_network IMAGE ${devices_dir}/devices.elf
  SMP 4 MEMORY 1G ICOUNT TIMEOUT 600 FIXTURES devices_image devices_disk QEMU_ARGS ${devices_qemu_args}
  END_AFTER "kestrel-guest: vm2 finished, after the peer"
  EXPECT
    # The native reader: its read-only slice is the host's pattern; the
    # library and the driver each refuse what lies outside it.
    "reader: read all 2048 sectors of its slice: the host's pattern"
    "reader: library: write read_only, read past the slice outside_slice"
    "reader: driver: read past the slice outside_slice"
    "reader: driver: read across the slice's end outside_slice"
    "reader: driver: write read_only"
    # Each VM: a file system on its slice, kept across a reboot.
    "vm1: kestrel-guest: vm1 disk 30720 sectors, read-only 0"
    "vm1: kestrel-guest: vm1 disk written, rebooting"
    "vm1: kestrel-guest: vm1 disk kept its file system across the reboot"
    "vm2: kestrel-guest: vm2 disk 30720 sectors, read-only 0"
    "vm2: kestrel-guest: vm2 disk written, rebooting"
    "vm2: kestrel-guest: vm2 disk kept its file system across the reboot"
    # The switch: the VMs reach each other; vm1 the native responder and
    # the outside (a DHCP lease from QEMU's user network); vm2 neither.
    "vm1: kestrel-guest: vm1 pinged the other VM 10.0.2.16"
    "vm2: kestrel-guest: vm2 pinged the other VM 10.0.2.15"
    "responder: answered its first frame"
    "vm1: kestrel-guest: vm1 native partition answered yes, as the policy says"
    "vm2: kestrel-guest: vm2 native partition answered no, as the policy says"
    "vm1: kestrel-guest: vm1 outside reachable yes, as the policy says"
    "vm2: kestrel-guest: vm2 outside reachable no, as the policy says"
    "vm1: kestrel-guest: vm1 finished"
    # vm1's VMM at its power-off: the guest's QueueNotify writes were guest
    # doorbells, taken by the kernel without an exit (docs/vmm.md).
    "vmm: vda: QueueNotify: 0 exits,"
    "vmm: eth0: QueueNotify: 0 exits,"
  FORBID "FAILED" "Kernel panic" "Oops" "I/O error" "cannot emulate")
set_tests_properties(target.devices_shared_disk_and_network PROPERTIES FIXTURES_SETUP devices_run)

add_test(NAME target.devices_disk_after_the_run
  COMMAND bash ${CMAKE_SOURCE_DIR}/tests/target/devices/check-disk.sh $<TARGET_FILE:disk-slices> ${devices_disk})
set_tests_properties(target.devices_disk_after_the_run PROPERTIES LABELS target FIXTURES_REQUIRED "devices_run;devices_disk")

# The block driver faults at its 100th write (faulting_blk_driver.cpp),
# with both VMs writing: their writes end in I/O errors instead of hanging,
# later reads fail at once, the native reader is told, and everything else
# runs on: the network carries vm1's ping of the native responder and
# vm2's of vm1. vm1 stays up until it has answered a ping (await_ping), so
# that vm2's does not find it powered off (the two VMs' progress differs:
# the driver shares vm1's CPU); vm2 ends the run once it has pinged.
string(REPLACE "${devices_disk}" "${CMAKE_CURRENT_BINARY_DIR}/devices-fault/disk.img" fault_qemu_args "${devices_qemu_args}")
kestrel_add_qemu_test(NAME devices_block_driver_fault IMAGE ${CMAKE_CURRENT_BINARY_DIR}/devices-fault/devices-fault.elf
  SMP 4 MEMORY 1G ICOUNT TIMEOUT 600 FIXTURES devices-fault_image devices-fault_disk QEMU_ARGS ${fault_qemu_args}
  END_AFTER "kestrel-guest: vm2 still pings 10.0.2.15"
  EXPECT
    "reader: read all 2048 sectors of its slice: the host's pattern"
    "blk: virtio-blk: test hook: faulting after 100 writes"
    "partition blk: thread main stopped: data abort"
    "reader: told that the driver stopped; a read now ends in driver_stopped"
    "vm1: kestrel-guest: vm1 writes ended in an error"
    "vm2: kestrel-guest: vm2 writes ended in an error"
    "vm1: kestrel-guest: vm1 a read after the driver's stop fails too"
    "vm2: kestrel-guest: vm2 a read after the driver's stop fails too"
    "responder: answered its first frame"
    "vm2: kestrel-guest: vm2 still pings 10.0.2.15"
  FORBID "FAILED" "Kernel panic" "Oops" "cannot emulate" "hung_task")
