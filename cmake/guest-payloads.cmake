# SPDX-License-Identifier: Apache-2.0
# The Linux guest's payloads: Debian's arm64 cloud kernel and a busybox
# initramfs, made by scripts/guest-payloads (apt-get download, cached in
# <build>/guest/debs). See docs/vmm.md.
#
# Not part of the default build: `cmake --build` never needs the network.
# The ctest fixture guest_payloads (tests/target/linux.cmake) makes them
# before any test that boots Linux, so scripts/test still does all the
# set-up; `cmake --build build --target guest_payloads` makes them by hand.
# Once the .deb files are cached, a run that has nothing to do takes a
# fraction of a second.
set(KESTREL_GUEST_DIR ${CMAKE_BINARY_DIR}/guest)
set(KESTREL_GUEST_IMAGE ${KESTREL_GUEST_DIR}/Image)
set(KESTREL_GUEST_INITRAMFS ${KESTREL_GUEST_DIR}/initramfs.cpio.gz)
set(KESTREL_GUEST_PAYLOADS_SCRIPT ${CMAKE_SOURCE_DIR}/scripts/guest-payloads)

file(GLOB guest_scenarios CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/target/linux/scenarios/*.sh)
add_custom_command(OUTPUT ${KESTREL_GUEST_IMAGE} ${KESTREL_GUEST_INITRAMFS}
  COMMAND ${KESTREL_GUEST_PAYLOADS_SCRIPT} ${KESTREL_GUEST_DIR}
  DEPENDS ${KESTREL_GUEST_PAYLOADS_SCRIPT} ${CMAKE_SOURCE_DIR}/tests/target/linux/init ${guest_scenarios}
  COMMENT "Linux guest payloads in ${KESTREL_GUEST_DIR} (apt-get download, cached)"
  VERBATIM)
add_custom_target(guest_payloads DEPENDS ${KESTREL_GUEST_IMAGE} ${KESTREL_GUEST_INITRAMFS})
