// SPDX-License-Identifier: Apache-2.0
// The virtio-blk driver with the device tests' hook: it takes writes as
// always and, at the 100th, makes a data abort (a store to address 8)
// with requests in flight. The kernel stops it and rings each client's
// doorbell with its stopped bit (docs/devices.md, "When a driver stops"):
// the guests' writes end in I/O errors, the native client hears it, and
// every other partition keeps running (tests/target/devices.cmake).
#define KESTREL_TEST_FAULT_AFTER_WRITES 100
#include "../../../drivers-untrusted/virtio-blk/blk_driver.cpp"
