// SPDX-License-Identifier: Apache-2.0
// Codes: every diagnostic the policy compiler can give, with its stable code.
//
// A code never changes meaning once released; retired codes are not reused.
// docs/policy.md lists them all (a unit test keeps the two in step), and
// every code has a case under tests/unit/policy/cases/ that triggers it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace kestrel::policy {

enum class Severity : uint8_t { error, warning };

// X(identifier, number, severity, summary)
#define KESTREL_POLICY_CODES(X)                                                                                    \
  /* 00xx: reading the file */                                                                                     \
  X(file_unreadable, 1, error, "the policy file cannot be read")                                                   \
  X(capnp_error, 2, error, "Cap'n Proto rejected the file (syntax or type error)")                                 \
  X(no_system_constant, 3, error, "the file defines no constant of type System")                                   \
  X(several_system_constants, 4, error, "the file defines more than one System constant")                          \
  X(json_syntax, 5, error, "the JSON is malformed")                                                                \
  X(json_unknown_key, 6, error, "a JSON key names no field of the schema")                                         \
  X(json_value, 7, error, "a JSON value does not fit its field")                                                   \
  X(unknown_format, 8, error, "the file is neither .capnp nor .json")                                              \
  X(not_text, 9, error, "the file is not text")                                                                    \
  X(constant_not_found, 10, error, "the constant named with --constant is not a System constant")                  \
  X(number_too_large, 11, error, "an integer is larger than 64 bits can hold")                                     \
  X(text_control_character, 12, error, "a text value contains a NUL or another control character")                 \
  X(duplicate_field, 13, error, "a field is given twice in one structure (a JSON key or a Cap'n Proto field)")     \
  X(nesting_too_deep, 14, error, "brackets are nested more than 64 levels deep")                                   \
  /* 01xx: names */                                                                                                \
  X(name_empty, 101, error, "a name is missing")                                                                   \
  X(name_invalid, 102, error, "a name has characters other than letters, digits, '_' and '-'")                     \
  X(name_too_long, 103, error, "a name is longer than 63 characters")                                              \
  X(duplicate_partition, 104, error, "two partitions have the same name")                                          \
  X(duplicate_region, 105, error, "two memory regions of one partition have the same name")                        \
  X(duplicate_thread, 106, error, "two threads of one partition have the same name")                               \
  X(duplicate_object, 107, error, "two endpoints, notifications, channels, tunnels or devices have the same name") \
  X(duplicate_device, 108, error, "two platform devices have the same name")                                       \
  X(duplicate_emulated_device, 109, error, "two emulated devices of one VM have the same name")                    \
  X(unknown_partition, 110, error, "a partition name refers to no partition")                                      \
  X(unknown_thread, 111, error, "a thread name refers to no thread of that partition")                             \
  X(unknown_endpoint, 112, error, "an endpoint name refers to no endpoint")                                        \
  X(unknown_device, 113, error, "a device name refers to no platform device")                                      \
  X(unknown_notification, 114, error, "a notification name refers to no notification")                             \
  X(unknown_region, 115, error, "a region name refers to no memory region of that partition")                      \
  X(generated_name_too_long, 116, error,                                                                           \
    "a name the compiler makes (<vm>.exits-cpuN, a doorbell) is longer than 63 characters")                        \
  /* 02xx: the platform */                                                                                         \
  X(platform_no_cpus, 201, error, "the platform has no CPUs")                                                      \
  X(platform_too_many_cpus, 202, error, "the platform has more CPUs than the kernel supports")                     \
  X(platform_vmid_bits, 203, error, "vmidBits is neither 8 nor 16")                                                \
  X(platform_no_ram, 204, error, "the platform has no RAM")                                                        \
  X(platform_ram_overlap, 205, error, "two RAM ranges overlap")                                                    \
  X(platform_device_in_ram, 206, error, "a device's registers overlap RAM")                                        \
  X(platform_device_overlap, 207, error, "two devices' registers overlap")                                         \
  X(platform_interrupt_range, 208, error, "a device interrupt is not an SPI (32-1019)")                            \
  X(platform_interrupt_shared, 209, error, "two devices raise the same interrupt")                                 \
  X(platform_range_invalid, 210, error, "a platform address range is empty or wraps around")                       \
  X(platform_console, 211, error, "kernelConsole names no platform device")                                        \
  X(platform_kernel_reserved, 212, error, "kernelReserved is not inside RAM")                                      \
  X(platform_missing, 213, error, "the system has no platform")                                                    \
  X(platform_timer_intid, 214, error, "a timer interrupt is not a PPI (16-31)")                                    \
  X(platform_gic_overlap, 215, error, "the GIC's registers overlap RAM or a device")                               \
  X(platform_too_many_ram_ranges, 216, error, "the platform has more RAM ranges than the kernel supports")         \
  X(platform_ram_unaligned, 217, error, "a RAM range's base or size is not 4 KiB aligned")                         \
  X(platform_device_last_page, 218, error, "a device's registers reach the last 4 KiB page below 2^64")            \
  /* 03xx: memory */                                                                                               \
  X(region_size_zero, 301, error, "a memory region has size 0")                                                    \
  X(region_size_unaligned, 302, error, "a size is not a multiple of 4 KiB")                                        \
  X(region_address_unaligned, 303, error, "an address is not 4 KiB aligned")                                       \
  X(region_physical_unaligned, 304, error, "a fixed physical address is not 4 KiB aligned")                        \
  X(region_overlap, 305, error, "two mappings of one partition overlap")                                           \
  X(region_outside_ram, 306, error, "a fixed physical region is not inside RAM")                                   \
  X(physical_overlap, 307, error, "two fixed physical regions overlap")                                            \
  X(physical_kernel_reserved, 308, error, "a fixed physical region overlaps the kernel's memory")                  \
  X(region_address_overflow, 309, error, "address plus size wraps around")                                         \
  X(region_ipa_range, 310, error, "a mapping lies beyond the 40-bit guest-physical address space")                 \
  X(region_write_execute, 311, warning, "a region is both writable and executable (W^X is the default)")           \
  X(region_device_execute, 312, error, "device memory is executable")                                              \
  X(out_of_ram, 313, error, "the regions do not fit in the platform's RAM")                                        \
  X(physical_device_overlap, 314, error, "a fixed physical region overlaps a device's registers")                  \
  X(channel_size, 315, error, "a channel's size is 0 or not a multiple of 4 KiB")                                  \
  X(device_page_shared, 316, error, "devices in one 4 KiB page are granted to different partitions")               \
  /* 04xx: threads and programs */                                                                                 \
  X(stack_missing, 401, error, "a thread names no stack region")                                                   \
  X(stack_not_writable, 402, error, "a stack region is not readWrite, write-back memory")                          \
  X(budget_exceeds_period, 403, error, "a thread's budget is longer than its period")                              \
  X(budget_without_period, 404, error, "a thread has a budget without a period, or a period without a budget")     \
  X(thread_cpu_range, 405, error, "a thread is pinned to a CPU the platform does not have")                        \
  X(entry_not_executable, 406, error, "a thread's entry point is not in an executable region")                     \
  X(fault_handler_own_partition, 407, error, "a thread's fault handler is served by its own partition")            \
  X(passive_with_budget, 408, error, "a passive thread has a budget")                                              \
  X(passive_not_server, 409, error, "a passive thread serves no endpoint")                                         \
  X(native_without_program, 410, error, "a partition has threads but no program")                                  \
  X(vm_with_threads, 411, error, "a VM partition has native threads or a program")                                 \
  X(stack_shared, 412, error, "two threads use the same stack region")                                             \
  X(program_source_missing, 413, error, "a program named as C++ source does not exist")                            \
  X(program_elf_name_clash, 414, error, "two programs named as C++ source would compile to one ELF name")          \
  /* 05xx: IPC */                                                                                                  \
  X(endpoint_self_call, 501, error, "a partition calls its own endpoint with no second thread")                    \
  X(duplicate_client, 502, error, "a partition is listed twice as client or signaller of one object")              \
  X(duplicate_badge, 503, error, "two clients of one endpoint have the same badge")                                \
  X(call_cycle, 504, error, "endpoint calls form a cycle, which can deadlock")                                     \
  X(passive_priority, 505, error, "a passive server's priority is below a client's")                               \
  X(server_without_threads, 506, error, "an endpoint's server partition has no thread to receive")                 \
  X(notification_zero_badge, 507, error, "a badge that signals a notification is 0, so it sets no bit")            \
  X(channel_writer_reads, 508, error, "a channel's writer is also one of its readers")                             \
  X(server_is_vm, 509, error, "a VM partition serves an endpoint or owns a notification")                          \
  X(too_many_capabilities, 510, error, "a partition needs more capabilities than the kernel allows")               \
  X(passive_server_unreachable, 511, error, "a passive server's caller has no window on the server's CPU")         \
  X(vmm_without_thread_on_cpu, 512, error, "a VMM has no thread on a CPU its VM's vCPUs run on")                   \
  /* 06xx: devices and virtual machines */                                                                         \
  X(device_granted_twice, 601, error, "a device is granted to two partitions, or twice to one")                    \
  X(irq_notification_foreign, 602, error, "a device's interrupts go to a notification another partition owns")     \
  X(vm_no_vcpus, 603, error, "a VM has no vCPUs")                                                                  \
  X(vm_cpu_range, 604, error, "a vCPU is pinned to a CPU the platform does not have")                              \
  X(vm_ram_size, 605, error, "a VM's RAM size is 0 or not a multiple of 2 MiB")                                    \
  X(vm_ram_address, 606, error, "a VM's RAM address is not 2 MiB aligned")                                         \
  X(vm_kernel_missing, 607, error, "a VM has no guest kernel")                                                     \
  X(vmm_missing, 608, error, "a VM names no VMM partition")                                                        \
  X(vmm_self, 609, error, "a VM is its own VMM")                                                                   \
  X(vmm_is_vm, 610, error, "a VM's VMM is itself a VM")                                                            \
  X(emulated_overlap, 611, error, "an emulated device overlaps guest RAM or another device")                       \
  X(emulated_interrupt, 612, error, "an emulated device's interrupt is not a free SPI")                            \
  X(emulated_unaligned, 613, error, "an emulated device's address or size is not 4 KiB aligned")                   \
  X(vm_grant_notification, 614, error, "a device granted to a VM names a notification")                            \
  X(vm_gic_overlap, 615, error, "a VM's RAM or a device it sees overlaps the GIC's registers")                     \
  X(vm_too_many_vcpus, 616, error, "a VM has more vCPUs than the platform has CPUs or GIC redistributors")         \
  X(vm_device_not_describable, 617, error, "a device a VM sees cannot be described in its device tree")            \
  X(vmm_ram_address, 618, error, "the address where a VMM sees its VM's RAM is not 2 MiB aligned")                 \
  X(virtio_without_vmm_ram, 619, error, "a VM has a virtio device but its VMM does not map the VM's RAM")          \
  /* 07xx: the schedule */                                                                                         \
  X(schedule_cpu_range, 701, error, "a schedule names a CPU the platform does not have")                           \
  X(schedule_cpu_twice, 702, error, "a CPU has two schedules")                                                     \
  X(window_fill, 703, error, "the windows do not fill the major frame exactly")                                    \
  X(window_zero, 704, error, "a window lasts 0 microseconds")                                                      \
  X(major_frame_zero, 705, error, "a CPU schedule has no major frame and is not exclusive")                        \
  X(partition_without_window, 706, error, "a partition has threads on a CPU but no window there")                  \
  X(exclusive_with_windows, 707, error, "an exclusive CPU also has windows")                                       \
  X(exclusive_cpu_shared, 708, error, "another partition runs on a CPU given exclusively to one")                  \
  X(shared_without_exclusive, 709, error, "a CPU with windows lists partitions in sharedWith")                     \
  X(cpu_without_schedule, 710, error, "threads are pinned to a CPU that has no schedule")                          \
  X(time_too_long, 711, error, "a time is longer than the kernel can count (2^62 ns, about 146 years)")            \
  X(shared_with_repeated, 712, error, "sharedWith names the CPU's owner or a partition twice")                     \
  X(vmm_priorities_differ, 713, error, "a VMM's threads on one exclusive CPU have different priorities")           \
  /* 08xx: kernel limits */                                                                                        \
  X(too_many_partitions, 801, error, "more partitions than the kernel supports")                                   \
  X(too_many_vmids, 802, error, "more partitions than the platform has VMIDs")                                     \
  X(too_many_endpoints, 803, error, "more endpoints than the kernel supports")                                     \
  X(too_many_notifications, 804, error, "more notifications than the kernel supports")                             \
  X(too_many_irqs, 805, error, "more delivered interrupts than the kernel supports")                               \
  X(too_many_threads, 806, error, "more threads than the kernel supports")                                         \
  X(too_many_regions, 807, error, "a partition has more mappings than the kernel supports")                        \
  X(too_many_windows, 808, error, "a CPU has more windows than the kernel supports")                               \
  X(too_many_name_bytes, 809, error, "the names take more than the kernel's 1 MiB string table")                   \
  /* 09xx: warnings */                                                                                             \
  X(partition_idle, 901, warning, "a partition has no threads and is not a VM")                                    \
  X(endpoint_no_clients, 902, warning, "an endpoint has no clients")                                               \
  X(notification_no_signallers, 903, warning, "a notification has no signallers")                                  \
  X(irq_not_delivered, 904, warning, "a granted device's interrupts are not delivered anywhere")                   \
  X(channel_no_readers, 905, warning, "a channel has no readers")                                                  \
  X(window_idle, 906, warning, "a window gives time to a partition with no threads on that CPU")                   \
  X(ipcm_no_watcher, 907, warning, "the IPCM has no watcher, so a stopped end's tunnels stay open")                \
  /* 10xx: tunnels and the IPCM */                                                                                 \
  X(tunnel_ends, 1001, error, "a tunnel does not name exactly two ends")                                           \
  X(tunnel_size, 1002, error, "a tunnel's size is 0 or not a multiple of 4 KiB")                                   \
  X(tunnel_same_ends, 1003, error, "a tunnel's two ends are the same partition")                                   \
  X(tunnel_end_without_window, 1004, error, "a tunnel end has no tunnelWindow, so it cannot be a tunnel end")      \
  X(tunnel_window_invalid, 1005, error, "a tunnel window is not 4 KiB aligned or lies beyond 40 bits")             \
  X(tunnel_window_overlap, 1006, error, "a tunnel window overlaps another mapping of its partition")               \
  X(tunnel_window_too_small, 1007, error, "a tunnel window is smaller than the tunnels that may be open there")    \
  X(tunnel_max_open_zero, 1008, error, "a tunnel's maxOpen is 0, so it can never open")                            \
  X(tunnel_doorbell_unreachable, 1009, error, "a tunnel has a doorbell but an end cannot wait on one")             \
  X(tunnel_end_not_client, 1010, error, "a tunnel end is not a client of the IPCM's endpoint")                     \
  X(tunnel_end_is_ipcm, 1011, error, "the IPCM is an end of a tunnel")                                             \
  X(ipcm_missing, 1012, error, "there are tunnels but no IPCM")                                                    \
  X(ipcm_not_passive, 1013, error, "the IPCM's thread that serves its endpoint is not passive")                    \
  X(ipcm_endpoint_foreign, 1014, error, "the IPCM's endpoint is served by another partition")                      \
  X(ipcm_pool_invalid, 1015, error, "the IPCM's pool is not a readWrite, write-back memory region")                \
  X(ipcm_pool_too_small, 1016, error, "the IPCM's pool is smaller than the tunnels that may be open at once")      \
  X(ipcm_is_vm, 1017, error, "the IPCM partition is a VM")                                                         \
  X(ipcm_max_open_per_end_zero, 1018, error, "the IPCM's maxOpenPerEnd is 0, so no tunnel can open")               \
  X(vm_tunnel_place, 1019, error, "a VM's tunnel window or control page overlaps what it sees, or lacks SPIs")     \
  X(vm_too_many_tunnels, 1020, error, "a VM is an end of more than 8 tunnels")                                     \
  X(vm_doorbell_unserved, 1021, error, "a VM's tunnel has a doorbell but its VMM has no thread to wait on it")     \
  X(too_many_tunnels, 1022, error, "more tunnels than the IPCM's table holds (4096)")                              \
  /* 103x: the IPCM's watcher (Ipcm.watcher) */                                                                    \
  X(ipcm_watcher_no_time, 1030, error, "the IPCM's watcher is passive or is the thread that serves its endpoint")  \
  X(ipcm_watcher_cannot_call, 1031, error, "the IPCM's watcher cannot call the IPCM: it is not its own client")    \
  X(ipcm_too_many_ends, 1032, error, "more than 64 tunnel ends: the watcher hears each by one bit")                \
  /* 11xx: devices served by driver partitions (blockDevices, networks) */                                         \
  X(device_driver_invalid, 1101, error, "a block device's or network's driver is a VM or has no thread")           \
  X(device_not_virtio, 1102, error, "a block device or network names no platform device or not a virtio-mmio one") \
  X(device_dma_region, 1103, error, "a driver's dmaRegion is missing or not readWrite memory")                     \
  X(slice_empty, 1104, error, "a block client's sectorCount is 0")                                                 \
  X(slice_outside_disk, 1105, error, "a block client's slice does not lie inside the disk")                        \
  X(slices_overlap, 1106, error, "two block clients' slices overlap and at least one of them writes")              \
  X(mac_invalid, 1107, error, "a port's MAC is malformed, multicast or all zero")                                  \
  X(mac_duplicate, 1108, error, "two ports of one network have the same MAC")                                      \
  X(reach_unknown, 1109, error, "a port reaches no port of its network, or the outside of a network without NIC")  \
  X(device_client_twice, 1110, error, "a partition is listed twice as a client of one device, or is its driver")   \
  X(too_many_device_clients, 1111, error, "a block device or network has more than 32 clients")                    \
  X(emulated_backend, 1112, error, "a VM's virtioBlock or virtioNet device has no backend of its kind serving it") \
  X(vm_client_not_emulated, 1113, error, "a VM is a device's client but has no emulated device backed by it")      \
  X(vm_devices_unserved, 1114, error, "a VM uses served devices but its VMM has no thread devices-<vm>")           \
  X(too_many_stop_signals, 1115, error, "a driver has more than 64 clients in all to tell when it stops")

enum class Code : uint16_t {
#define KESTREL_POLICY_CODE_ENUM(identifier, number, severity, summary) identifier = number,
  KESTREL_POLICY_CODES(KESTREL_POLICY_CODE_ENUM)
#undef KESTREL_POLICY_CODE_ENUM
};

struct Code_info {
  Code code;
  Severity severity;
  std::string_view identifier;  // e.g. "duplicate_partition"
  std::string_view summary;
};

std::span<const Code_info> all_codes();
const Code_info& code_info(Code code);
std::string code_text(Code code);  // "KP0104"

}  // namespace kestrel::policy
