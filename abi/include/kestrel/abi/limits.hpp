// SPDX-License-Identifier: Apache-2.0
// Limits: the most objects of each kind one kernel binary accepts. The policy
// compiler refuses systems beyond them; the kernel's boot-info reader
// re-checks them; the kernel's static pools are sized by them.
#pragma once

#include <cstdint>

namespace kestrel::abi {

inline constexpr uint32_t max_cpus = 8;
inline constexpr uint32_t max_partitions = 1024;
inline constexpr uint32_t max_regions_per_partition = 64;
inline constexpr uint32_t max_threads_per_partition = 32;
inline constexpr uint32_t max_threads = 2048;
inline constexpr uint32_t max_capabilities_per_partition = 256;
inline constexpr uint32_t max_endpoints = 1024;
inline constexpr uint32_t max_notifications = 1024;
inline constexpr uint32_t max_irqs = 256;
inline constexpr uint32_t max_windows_per_cpu = 64;
inline constexpr uint32_t max_ram_ranges = 8;
inline constexpr uint32_t max_measurements_per_partition = 64;
inline constexpr uint32_t max_guest_seeds_per_partition = 4;
// Notifications told when one partition stops (a tunnel end's watcher, a
// driver's clients).
inline constexpr uint32_t max_stop_signals_per_partition = 64;
// Guest doorbells of one VM (two per backed virtio device, at most 32 of
// them: the devices' bits in the VMM's notification word).
inline constexpr uint32_t max_guest_doorbells_per_partition = 64;
inline constexpr uint32_t max_string_bytes = 1U << 20;
inline constexpr uint32_t max_name_length = 63;  // bytes, without the NUL

}  // namespace kestrel::abi
