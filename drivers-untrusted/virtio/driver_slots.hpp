// SPDX-License-Identifier: Apache-2.0
// Driver slots: what the virtio-blk and virtio-net driver partitions take
// from the generated <kestrel/slots.hpp> of `kestrel build`: their device
// descriptions (kestrel::devices::block_drivers[] or net_drivers[], of
// runtime/include/kestrel/device_description.hpp, which carry every slot a
// driver uses) and where they print (the console driver's endpoint
// "console" if the policy lets them call it, else the kernel console).
//
// Each of these names is looked up so that a missing one falls back to a
// stand-in instead of failing the build: a program built without a policy
// (the CMake build's freestanding check), or for a policy that does not
// make the partition a driver, compiles and says at start that it has no
// device. The lookup: from a namespace inside kestrel::devices (or
// kestrel::slots), unqualified lookup reaches the generated name there
// first, and only then kestrel, where the using-directive below makes the
// fallbacks appear.
#pragma once

#include <cstdint>

#include <kestrel/device_description.hpp>

#if __has_include(<kestrel/slots.hpp>)
#include <kestrel/slots.hpp>
#endif

namespace kestrel {
namespace driver_fallback {
inline constexpr Block_driver_description block_drivers[1] = {};
inline constexpr uint32_t block_driver_count = 0;
inline constexpr Net_driver_description net_drivers[1] = {};
inline constexpr uint32_t net_driver_count = 0;
inline constexpr uint64_t call_console = no_slot;
inline constexpr uint64_t kernel_console = no_slot;
inline constexpr const char* partition_name = nullptr;
}  // namespace driver_fallback

// The generator writes every array with at least one entry and says how
// many count (block_driver_count, net_driver_count); a partition that
// drives nothing has a count of 0.
namespace devices::driver_lookup {
using namespace kestrel::driver_fallback;
// A generated kestrel::devices::block_drivers hides the fallback's.
inline constexpr const auto& block = block_drivers;
inline constexpr const auto& net = net_drivers;
inline constexpr uint32_t block_count = block_driver_count;
inline constexpr uint32_t net_count = net_driver_count;
}  // namespace devices::driver_lookup

namespace slots::driver_lookup {
using namespace kestrel::driver_fallback;
inline constexpr uint64_t console_driver = call_console;
inline constexpr uint64_t kernel = kernel_console;
inline constexpr const char* name = partition_name;
}  // namespace slots::driver_lookup
}  // namespace kestrel

namespace driver_slots {
inline constexpr const auto& block_drivers = kestrel::devices::driver_lookup::block;
inline constexpr uint32_t block_driver_count = kestrel::devices::driver_lookup::block_count;
inline constexpr const auto& net_drivers = kestrel::devices::driver_lookup::net;
inline constexpr uint32_t net_driver_count = kestrel::devices::driver_lookup::net_count;
inline constexpr uint64_t console_driver = kestrel::slots::driver_lookup::console_driver;
inline constexpr uint64_t kernel_console = kestrel::slots::driver_lookup::kernel;
inline constexpr const char* partition_name = kestrel::slots::driver_lookup::name;
}  // namespace driver_slots
