// SPDX-License-Identifier: Apache-2.0
// The second VM's VMM in the device tests: vmm-server/vmm.cpp itself, under
// another file name, since `kestrel build` compiles each partition's program
// with its own kestrel/slots.hpp and two programs may not share a name
// (KP0414).
#include "../../../vmm-server/vmm.cpp"
