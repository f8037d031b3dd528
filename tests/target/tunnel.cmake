# SPDX-License-Identifier: Apache-2.0
# Tunnels (docs/ipcm.md): examples/tunnel exactly as a user builds it with
# `kestrel build` (the IPCM's program ipcm/ipcm.cpp with its compiled tunnel
# table, alpha and beta with the tunnel client), then booted: alpha opens
# the tunnel, beta accepts it, each reads what the other wrote after its
# doorbell rang, alpha closes it and finds it zeroed when it opens it again
# (and a repeated request refused); beta's read of its old view faults.
# It needs the kernel's memory_map and memory_unmap calls (issue 16's kernel
# step); without them the IPCM's maps are refused and alpha's open FAILs.
add_test(NAME target.image_build_example_tunnel
  COMMAND $<TARGET_FILE:kestrel> build ${CMAKE_SOURCE_DIR}/examples/tunnel/tunnel.capnp
          -o ${CMAKE_CURRENT_BINARY_DIR}/example-tunnel/tunnel.elf)
set_tests_properties(target.image_build_example_tunnel PROPERTIES LABELS target TIMEOUT 300
  FIXTURES_SETUP example_tunnel_image)
kestrel_add_qemu_test(NAME example_tunnel IMAGE ${CMAKE_CURRENT_BINARY_DIR}/example-tunnel/tunnel.elf
  FIXTURES example_tunnel_image
  EXPECT "ipcm: serving 1 tunnels to 2 clients from a pool of 2 pages"
         "alpha: opened tunnel data (instance 0) at 0x0000000010000000, 8192 bytes"
         "beta: accepted tunnel data (instance 0) at 0x0000000020000000"
         "beta: alpha says \"hello from alpha\""
         "alpha: beta answers \"hello from beta\""
         "alpha: closed tunnel data"
         "alpha: reopened tunnel data: every byte is zero"
         "alpha: another open while it is open: refused (ipcm status 5)" "alpha: done"
         # After the close, beta's old view is gone from its address space:
         # reading it is a fault the kernel contains to beta's thread.
         "beta: alpha closed tunnel data"
         "beta: alpha is done; reading the old address now stops this thread"
         "partition beta: thread main stopped: data abort" "address 0x20000000"
  FORBID "FAILED" "WRONG")

# The IPCM's limits and its watcher (tests/target/tunnel-limits/limits.capnp):
# maxOpen and a tunnel the caller is no end of are refused; a client of the
# IPCM's endpoint that is no tunnel's end is refused; the flooder's fourth
# tunnel is refused (maxOpenPerEnd), and while it floods the IPCM, each of
# alpha's opens waits for at most one of its requests; beta stops holding
# two tunnels, the kernel tells the IPCM's watcher, which closes them (alpha
# hears it, its close finds them closed and its read of the old view is a
# contained fault). Without the kernel's stop signal nothing closes them
# and alpha waits for ever (the test times out, FAILED).
add_test(NAME target.image_build_tunnel_limits
  COMMAND $<TARGET_FILE:kestrel> build ${CMAKE_CURRENT_SOURCE_DIR}/tunnel-limits/limits.capnp
          -o ${CMAKE_CURRENT_BINARY_DIR}/tunnel-limits/limits.elf)
set_tests_properties(target.image_build_tunnel_limits PROPERTIES LABELS target TIMEOUT 300
  FIXTURES_SETUP tunnel_limits_image)
kestrel_add_qemu_test(NAME tunnel_limits IMAGE ${CMAKE_CURRENT_BINARY_DIR}/tunnel-limits/limits.elf ICOUNT
  FIXTURES tunnel_limits_image
  EXPECT "ipcm: serving 6 tunnels to 3 clients from a pool of 7 pages"
         "alpha: pair instance 0 open, beta accepted it"
         "alpha: pair instance 1 open, beta accepted it"
         "alpha: a third open of pair (maxOpen 2): refused (ipcm status 6)"
         "alpha: an open of f1, which names no end alpha: refused (ipcm status 4)"
         "outsider: operation 1 on pair: refused (ipcm status 2)"
         "outsider: operation 2 on pair: refused (ipcm status 2)"
         "flooder: a fourth open beyond maxOpenPerEnd: refused (ipcm status 7)"
         "alpha: 32 opens while the flooder called: each waited for at most"
         "flooder: flooding done; its 3 tunnels closed"
         "beta: stopping with both instances of pair open"
         "stopped or restarted: closed 2 tunnel instances"
         "alpha: after beta stopped, closing pair instance 0: already closed (ipcm status 10)"
         "partition alpha: thread main stopped: data abort" "address 0x10000000"
  FORBID "FAILED" "WRONG")

# The tunnel benchmark's images (benchmarks/tunnel/*.capnp, run by
# scripts/bench-tunnel): a benchmark is no test and nothing here looks at
# its figures, but its four systems must keep compiling and building on the
# benchmark kernel, so that a change that breaks them is seen.
add_test(NAME target.image_build_tunnel_benchmark
  COMMAND sh -c "for system in tunnel tunnel-4cpus map map-4cpus; do \
                   \"$0\" build \"$1/$system.capnp\" --kernel \"$2\" -o \"$3/$system.elf\" || exit 1; done"
          $<TARGET_FILE:kestrel> ${CMAKE_SOURCE_DIR}/benchmarks/tunnel ${KESTREL_KERNEL_BENCH_ELF}
          ${CMAKE_CURRENT_BINARY_DIR}/tunnel-benchmark)
set_tests_properties(target.image_build_tunnel_benchmark PROPERTIES LABELS target TIMEOUT 600)
