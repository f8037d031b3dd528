# SPDX-License-Identifier: Apache-2.0
# Target tests of the partition runtime (runtime/include/kestrel: serve,
# Console, channels), included from tests/target/CMakeLists.txt. Programs:
# tests/target/runtime; policies: tests/target/images/runtime-*.capnp.

# kestrel_runtime_image(NAME): builds runtime-NAME.elf from
# runtime-NAME.capnp as the fixture runtime_NAME_image.
function(kestrel_runtime_image name)
  set(image ${CMAKE_CURRENT_BINARY_DIR}/runtime-${name}.elf)
  add_test(NAME target.image_build_runtime_${name}
    COMMAND kestrel-image build ${CMAKE_SOURCE_DIR}/tests/target/images/runtime-${name}.capnp
            --kernel ${KESTREL_KERNEL_ELF} -P ${KESTREL_TARGET_BINARY_DIR}/tests/target/runtime
            -P ${KESTREL_TARGET_BINARY_DIR}/tests/target/partitions
            -P ${KESTREL_TARGET_BINARY_DIR}/tests/target/guest -o ${image})
  set_tests_properties(target.image_build_runtime_${name} PROPERTIES LABELS target
    FIXTURES_SETUP runtime_${name}_image)
endfunction()

# A server written with kestrel::serve answers calls (short, long, a long
# reply to a short call), counts one-way notes, takes its bell in the same
# loop and stops a faulting thread; a second partition serves only a
# notification.
kestrel_runtime_image(serve)
kestrel_add_qemu_test(NAME runtime_serve IMAGE ${CMAKE_CURRENT_BINARY_DIR}/runtime-serve.elf
  FIXTURES runtime_serve_image
  EXPECT "server: serving on slot 0, bell on slot 1"
         "server: note 1 from badge 7: 1 words, first 0xabc"
         "server: note 2 from badge 7: 8 words, first 0"
         "server: bell rung, bits 0x4"
         "server: client with badge 7 is done after 2 notes"
         "client: every serve check passed"
         "listener: chime rung, bits 0x20"
         "server: a thread faulted on address 0x0000000001000000 at pc 0x0000000000200"
         "partition app: thread main stopped by its fault handler"
         "no thread is left to run"
  FORBID "FAILED")

# A VMM written with serve's fault handler: the vCPU test's guest writes to
# its emulated UART, reads the scratch register (resume with a value) and
# asks to be switched off (stop).
kestrel_runtime_image(vmm)
kestrel_add_qemu_test(NAME runtime_serve_vmm IMAGE ${CMAKE_CURRENT_BINARY_DIR}/runtime-vmm.elf
  FIXTURES runtime_vmm_image
  EXPECT "vmm: guest says: hello from a guest at EL1"
         "vmm: read of the scratch register answered with 0xffff1234"
         "vmm: guest says: the register read back 0xffff1234"
         "vmm: guest says: byte and halfword reads gave 0x00000034 and 0x00001234"
         "vmm: guest says: SMCCC VERSION answered 0x00010001"
         "vmm: the guest asked for PSCI SYSTEM_OFF, stopping its vCPU"
         "partition guest: vcpu0 stopped by its VMM"
  FORBID "FAILED" "not at EL1")

# Console::printf through the kernel console: each conversion's exact text;
# then its main returns and runtime/start.S ends the thread.
string(REPEAT "0123456789" 59 digits)
kestrel_runtime_image(printf)
kestrel_add_qemu_test(NAME runtime_console_printf IMAGE ${CMAKE_CURRENT_BINARY_DIR}/runtime-printf.elf
  FIXTURES runtime_printf_image
  EXPECT "printer: [-42|7|4000000000|0]"
         "printer: [beef|BEEF|0000beef|123456789abcdef|0xff|10]"
         "printer: [18446744073709551615|-9223372036854775808|8|-1]"
         "printer: [kestrel|     right|left      |abc|ok]"
         "printer: [0x0000000000400010|0x0000000000000000]"
         "printer: [   42|42   |-0042|+42| 42|   7]"
         "printer: [100%|%]"
         "printer: count=12345"
         "printer: [printf returned 12]"
         "printer: [partial line 2]"
         "printer: long: ${digits} end"
         "printer: [dropped 0]"
         "partition printer: thread main exited"
  FORBID "FAILED")

# Console clients through a console driver written with kestrel::serve
# (console_test_driver.cpp), which takes at most 200 bytes a write: names,
# a refused name, a line longer than a message, a flushed partial line, input.
kestrel_runtime_image(console)
kestrel_add_qemu_test(NAME runtime_console_driver IMAGE ${CMAKE_CURRENT_BINARY_DIR}/runtime-console.elf
  FIXTURES runtime_console_image
  EXPECT "driver: alpha: hello from alpha, 2 + 3 = 5"
         "driver: alpha: hex 00c0ffee, pointer 0x0000000000400000"
         "driver: alpha: long: ${digits} end"
         "driver: alpha: no newline yet, now one"
         "driver: alpha: input: typed, then 0 more"
         "driver: alpha: name refused: no, dropped 0"
         "driver: client-0002: pretending to be alpha"
         "beta: the driver refused the name alpha"
         "driver: beta: hello from beta"
         "no thread is left to run"
  FORBID "FAILED")

# A channel writer and reader on two CPUs: in order with the doorbell, the
# newest kept and the rest counted lost after an overrun, and a race in which
# no message is torn and every one is read or counted lost.
kestrel_runtime_image(channel)
kestrel_add_qemu_test(NAME runtime_channel IMAGE ${CMAKE_CURRENT_BINARY_DIR}/runtime-channel.elf SMP 2
  FIXTURES runtime_channel_image
  EXPECT "reader: phase 1: 10 messages in order, 0 lost"
         "reader: phase 2: kept the newest 99 of 304, counted 205 lost"
         "reader: phase 3: read "
         "reader: every channel check passed"
         "writer: wrote 200314 messages through 99 slots"
         "no thread is left to run"
  FORBID "FAILED")
