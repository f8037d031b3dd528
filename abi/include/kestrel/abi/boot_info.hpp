// SPDX-License-Identifier: Apache-2.0
// Boot-info: the compiled policy, as the kernel reads it at boot.
//
// The host's policy compiler writes it; the kernel re-checks it (boot_info
// reader) before creating any object, and never needs Cap'n Proto. The format
// is flat and little-endian: a header with a table of sections, each an array
// of fixed-size entries, then the entries, then a string table. Objects refer
// to each other by index into their section; names are offsets into the
// string table. Everything the kernel creates at boot is in here; nothing is
// allocated after boot.
//
// Compatibility: any change to an entry's layout or meaning bumps
// boot_info_version; the reader refuses other versions.
#pragma once

#include <cstddef>
#include <cstdint>

#include <kestrel/abi/syscall.hpp>

namespace kestrel::abi {

inline constexpr uint64_t boot_info_magic = 0x544f'4f42'4c54'534bULL;  // "KSTLBOOT" in memory
inline constexpr uint32_t boot_info_version = 11;                      // 11: guest doorbells
inline constexpr uint32_t boot_info_max_size = 16U << 20;              // the kernel maps at most this much
inline constexpr uint32_t no_index = 0xffff'ffffU;                     // "none" for an optional index

// Where the kernel finds boot-info: the image builder puts it at the first
// boot_info_alignment boundary at or after the end of the kernel image
// (its last segment's memory, .bss included), and the kernel computes the
// same address from its own end.
inline constexpr uint64_t boot_info_alignment = 0x10000;

// Sections, in the order they appear in the header's table.
enum class Section : uint32_t {
  ram_ranges,       // Memory_range: the platform's RAM
  partitions,       // Partition_entry
  regions,          // Region_entry: memory mappings of all partitions
  threads,          // Thread_entry: native threads and vCPUs
  endpoints,        // Endpoint_entry
  notifications,    // Notification_entry
  irqs,             // Irq_entry: interrupts bound to notifications
  capabilities,     // Capability_entry: all partitions' capability tables
  windows,          // Window_entry: time windows of all CPU plans
  cpu_plans,        // Cpu_plan_entry: one per CPU
  measurements,     // Measurement_entry: what the image loaded, by partition
  digests,          // Digest_entry: one per partition, or none at all
  pristine,         // Pristine_entry: restartable VMs' copies of what the image loaded
  guest_seeds,      // Guest_seed_entry: random-seed placeholders in VMs' device trees
  kernel_memory,    // Kernel_memory_entry: where the kernel carves its objects
  memory_pools,     // Memory_pool_entry: memory a partition may map into others (the IPCM's pool)
  map_windows,      // Map_window_entry: where in a partition others may map it (tunnel windows)
  stop_signals,     // Stop_signal_entry: who hears that a partition stopped (Partition_entry)
  guest_doorbells,  // Guest_doorbell_entry: VM writes the kernel takes without an exit
  strings,          // char: NUL-terminated names
  count
};
inline constexpr uint32_t section_count = static_cast<uint32_t>(Section::count);

struct Section_header {
  uint32_t offset;      // from the start of boot-info; 8-byte aligned
  uint32_t count;       // number of entries
  uint32_t entry_size;  // size of one entry (1 for strings)
  uint32_t reserved;
};
static_assert(sizeof(Section_header) == 16);

struct Platform_entry {
  uint32_t cpu_count;
  uint32_t vmid_bits;  // 8 or 16
  uint64_t gic_distributor;
  uint64_t gic_redistributor;
  uint64_t uart;                    // the kernel log's PL011
  uint32_t hypervisor_timer_intid;  // EL2 physical timer PPI
  uint32_t virtual_timer_intid;     // EL1 virtual timer PPI (for vCPUs)
};
static_assert(sizeof(Platform_entry) == 40);

// Boot_info_header::system_flags: when no thread is left that can ever run
// again, power the machine off (set) or idle until an interrupt (clear: the
// kernel never powers off unless the policy says so).
inline constexpr uint32_t system_power_off_when_no_thread_left = 1U << 0;
inline constexpr uint32_t known_system_flags = system_power_off_when_no_thread_left;

struct Boot_info_header {
  uint64_t magic;
  uint32_t version;
  uint32_t header_size;   // sizeof(Boot_info_header)
  uint32_t total_size;    // the whole blob, header included
  uint32_t checksum;      // CRC-32 (IEEE) of the whole blob with this field zero
  uint32_t system_name;   // string offset
  uint32_t system_flags;  // system_* flags below; other bits zero
  Platform_entry platform;
  Section_header sections[section_count];
};
static_assert(offsetof(Boot_info_header, checksum) == 20);
static_assert(sizeof(Boot_info_header) == 32 + sizeof(Platform_entry) + 16 * section_count);

struct Memory_range {
  uint64_t base;
  uint64_t size;
};
static_assert(sizeof(Memory_range) == 16);

struct Partition_entry {
  uint32_t name;
  uint32_t vmid;
  uint32_t first_region;
  uint32_t region_count;
  uint32_t first_thread;
  uint32_t thread_count;
  uint32_t first_capability;
  uint32_t capability_count;
  uint32_t flags;  // Partition_flags
  // Stage-2 table pages its regions need below its root (the image builder
  // counts them with the kernel's own page-table code; 0 from the policy
  // compiler alone). The kernel gives the partition exactly these.
  uint32_t table_pages;
  // Who hears that the partition stopped: stop_signal_count entries of the
  // stop_signals section from first_stop_signal, each a notification the
  // kernel signals when the partition's last thread stops and when its VMM
  // restarts it. That is how the IPCM's watcher learns that a tunnel end is
  // gone (docs/ipcm.md) and a driver's clients that their driver is
  // (docs/devices.md). Count 0: nobody.
  uint32_t first_stop_signal;
  uint32_t stop_signal_count;
  // A VM's writes the kernel takes without an exit: guest_doorbell_count
  // entries of the guest_doorbells section from first_guest_doorbell.
  uint32_t first_guest_doorbell;
  uint32_t guest_doorbell_count;
};
static_assert(sizeof(Partition_entry) == 56);

// One notification signalled when a partition stops or restarts.
struct Stop_signal_entry {
  uint32_t notification;  // index into the notifications
  uint32_t bit;           // below 64: the badge is 1 << bit
};
static_assert(sizeof(Stop_signal_entry) == 8);

enum Partition_flags : uint32_t {
  partition_is_vm = 1U << 0,  // its threads are vCPUs running a guest at EL1
  // A VM its VMM may restart from its image (vm_restart): an image keeps a
  // pristine copy of what it loaded into the VM's RAM (Pristine_entry).
  partition_restartable = 1U << 1,
};

// Region_entry::attributes
enum Region_attributes : uint32_t {
  region_read = 1U << 0,
  region_write = 1U << 1,
  region_execute = 1U << 2,
  region_device = 1U << 3,          // Device-nGnRE (MMIO); else Normal memory
  region_non_cacheable = 1U << 4,   // Normal non-cacheable; else write-back
  region_shared_channel = 1U << 5,  // also mapped by another partition (a channel; a VM's RAM its VMM sees)
  // The policy asked for this region of a native partition to be writable
  // and executable (access = readWriteExecute). Without it the kernel
  // refuses a native partition's region that is both: native partitions
  // are W^X. A VM's guest RAM is always both (its guest's own stage 1
  // decides what it executes).
  region_write_execute = 1U << 6,
  // A VM's own RAM (region_shared_channel too if its VMM maps it): what a
  // VM restart zeroes and reloads from the image.
  region_guest_ram = 1U << 7,
};

struct Region_entry {
  uint64_t ipa;   // address in the partition (guest-physical; VA for native threads)
  uint64_t pa;    // physical address
  uint64_t size;  // multiple of 4 KiB
  uint32_t attributes;
  uint32_t name;
};
static_assert(sizeof(Region_entry) == 32);

enum Thread_flags : uint32_t {
  thread_passive = 1U << 0,  // runs only on time donated by its callers
  thread_vcpu = 1U << 1,     // a vCPU: starts at EL1 with the guest's boot registers
};

struct Thread_entry {
  uint32_t name;
  uint32_t partition;
  uint64_t entry;      // initial PC (IPA); for vCPUs other than the first: 0, off until PSCI CPU_ON
  uint64_t stack_top;  // initial SP (IPA); for vCPUs: initial x0 (the device tree's IPA)
  uint64_t budget_ns;  // execution time per period; 0 with period 0: no budget
  uint64_t period_ns;
  uint32_t priority;  // 0 (lowest) .. 255
  uint32_t cpu;
  uint32_t flags;           // Thread_flags
  uint32_t fault_endpoint;  // endpoint index receiving its faults, or no_index
};
static_assert(sizeof(Thread_entry) == 56);

struct Endpoint_entry {
  uint32_t name;
  uint32_t server_partition;
};
static_assert(sizeof(Endpoint_entry) == 8);

struct Notification_entry {
  uint32_t name;
  uint32_t owner_partition;  // the partition that waits on it
};
static_assert(sizeof(Notification_entry) == 8);

struct Irq_entry {
  uint32_t intid;         // GIC interrupt ID (SPI 32..1019)
  uint32_t notification;  // signalled when the interrupt fires
  uint64_t badge;         // bits OR-ed into the notification word
  uint32_t partition;     // owner, which acknowledges it
  uint32_t reserved;
};
static_assert(sizeof(Irq_entry) == 24);

enum class Capability_kind : uint32_t {
  endpoint = 1,
  notification = 2,
  irq = 3,
  vcpu = 4,     // object: a thread with thread_vcpu (held by the VMM)
  console = 5,  // object 0: write to the kernel's console (bring-up and
                // tests; systems have a console driver partition)
  power = 6,    // object 0: power the machine off (system_off)
  // object: a Memory_pool_entry: its pages may be mapped into map_into
  // windows (memory_map; control right). The IPCM's pool.
  memory_pool = 7,
  // object: a Map_window_entry: pool pages may be mapped into that window of
  // its partition, with at most its rights (memory_map, memory_unmap;
  // control right). One per tunnel end, held by the IPCM.
  map_into = 8,
};

enum Capability_rights : uint32_t {
  right_send = 1U << 0,     // call / send / signal
  right_receive = 1U << 1,  // receive / wait
  right_grant = 1U << 2,    // pass capabilities in messages (reserved)
  right_control = 1U << 3,  // vCPU control / IRQ acknowledge
};

struct Capability_entry {
  uint32_t kind;  // Capability_kind
  uint32_t object;
  uint32_t rights;  // Capability_rights
  uint32_t reserved;
  uint64_t badge;  // delivered with sends through this capability
};
static_assert(sizeof(Capability_entry) == 24);

struct Window_entry {
  uint32_t partition;
  uint32_t reserved;
  uint64_t duration_ns;
};
static_assert(sizeof(Window_entry) == 16);

enum Cpu_plan_flags : uint32_t {
  cpu_exclusive = 1U << 0,  // one partition owns the CPU; no timer tick
};

struct Cpu_plan_entry {
  uint32_t cpu;
  uint32_t flags;  // Cpu_plan_flags
  uint32_t first_window;
  uint32_t window_count;
  uint64_t major_frame_ns;  // sum of the windows' durations
};
static_assert(sizeof(Cpu_plan_entry) == 24);

// A physical range the image builder loaded for a partition (a program
// segment, a guest kernel, initrd or device tree). Sorted by partition. The
// kernel hashes a partition's ranges in this order before starting it and
// compares the result with the partition's Digest_entry.
struct Measurement_entry {
  uint32_t partition;
  uint32_t reserved;
  uint64_t pa;
  uint64_t size;  // bytes; non-zero, inside one of the partition's regions
};
static_assert(sizeof(Measurement_entry) == 24);

// SHA-256 of the partition's measured ranges, concatenated in order. Boot-info
// from the policy compiler alone has no digests (nothing is loaded yet); an
// image always has one per partition.
struct Digest_entry {
  uint8_t sha256[32];
};
static_assert(sizeof(Digest_entry) == 32);

// A pristine copy of bytes the image loaded into a restartable VM's RAM, for
// vm_restart to put back: `size` bytes at `pa` go to `guest_pa` (a physical
// address in the VM's RAM, inside one of its Measurement_entry ranges). The
// copies lie in RAM that no partition maps, outside the kernel's image, each
// starting on a 4 KiB boundary; the kernel maps them read-only. Sorted by
// partition and, across all entries, by ascending, disjoint `pa` (with each
// copy's last page its own). Only the bytes a file holds are copied: the
// rest of the VM's RAM (a segment's .bss included) is zeroed. Boot-info
// from the policy compiler alone has none; in an image every restartable VM
// has at least one.
struct Pristine_entry {
  uint32_t partition;
  uint32_t reserved;
  uint64_t pa;        // the copy
  uint64_t guest_pa;  // where it goes: physical address in the VM's RAM
  uint64_t size;      // bytes, non-zero
};
static_assert(sizeof(Pristine_entry) == 32);

// A placeholder in a VM's device tree that the kernel fills with fresh
// random bytes each time the VM starts (at boot and after vm_restart),
// after measuring the VM: /chosen/rng-seed and /chosen/kaslr-seed. The
// image holds (and measures) zeros, because a seed built into a signed,
// reproducible image would be the same for every boot. `pa` is where the
// whole FDT property starts: its FDT_PROP token, then its length (`size`,
// both big-endian 32-bit), its name offset and `size` zero bytes, padded to
// 4 bytes. With no entropy the kernel overwrites all of that with FDT_NOP
// tokens, so the guest sees no seed rather than a predictable one. Sorted by
// partition and ascending, disjoint `pa`; inside one of the VM's measured
// ranges. Boot-info from the policy compiler alone has none.
struct Guest_seed_entry {
  uint32_t partition;  // a VM
  uint32_t size;       // bytes of the property's value: 1..max_guest_seed_size
  uint64_t pa;         // physical address of the property's FDT_PROP token; 4-byte aligned
};
static_assert(sizeof(Guest_seed_entry) == 16);

// The FDT property header before a seed's value: token, length, name offset.
inline constexpr uint64_t guest_seed_header_size = 12;
inline constexpr uint32_t max_guest_seed_size = 512;

// The bytes of the whole property: its header and its value padded to 4 bytes.
constexpr uint64_t guest_seed_property_size(const Guest_seed_entry& seed) {
  return guest_seed_header_size + ((uint64_t{seed.size} + 3) & ~uint64_t{3});
}

// A guest-physical address where a VM's write does not exit to its VMM:
// the kernel signals `notification` with `badge` (or, with notification
// no_index, drops the write) and the vCPU goes on at the next instruction.
// The signal is posted: a thread it wakes runs when the vCPU next enters
// the kernel's scheduler (a WFI, an exit, an interrupt), so a request and
// the wait for its answer cost the VM one switch, not two. Only writes with
// a valid syndrome (single loads and stores, as readl/writel are) are
// taken; reads and other writes there are exits as before. The compiler
// makes two per backed virtio-mmio device: QueueNotify, signalling the
// VMM's devices thread, and InterruptACK, dropped because that VMM clears
// InterruptStatus when the guest reads it (docs/vmm.md, "Doorbells").
// A VM's (Partition_entry::first_guest_doorbell) are sorted by ipa, one per
// address, at most max_guest_doorbells_per_partition; ipa outside the VM's
// regions (else the write never faults) and 4-byte aligned (the compiler's
// checks).
struct Guest_doorbell_entry {
  uint64_t ipa;
  uint64_t badge;         // non-zero with a notification, 0 without
  uint32_t notification;  // index, or no_index: the write is dropped
  uint32_t reserved;
};
static_assert(sizeof(Guest_doorbell_entry) == 24);

// The kernel objects area (abi/kernel_memory.hpp): `size` bytes at `base`,
// which the image builder reserved after boot-info (and its signature) inside
// the platform's kernelReserved range, sized by layout_kernel_objects() for
// this system's counts and the kernel's object sizes. The kernel zeroes it
// and carves every pool from it at boot; nothing else uses it. Boot-info
// from the policy compiler alone has none; an image exactly one.
struct Kernel_memory_entry {
  uint64_t base;                // physical; aligned to kernel_objects_alignment
  uint64_t size;                // bytes; what the kernel's layout gives, exactly
  uint32_t table_pages;         // every partition's table_pages together
  uint32_t kernel_table_pages;  // the kernel's own EL2 map, as the builder counted it
  uint32_t stage2_input_bits;   // every partition's IPA size (VTCR_EL2): 39 (one root table) or 40 (two)
  uint32_t reserved;
};
static_assert(sizeof(Kernel_memory_entry) == 32);

// Memory a partition may map into other partitions' map windows (the
// IPCM's pool, docs/ipcm.md): `pages` pages at `pa`, inside one of its
// owner's own read-write, cacheable regions that no other partition maps
// (region_shared_channel clear). Only its owner may hold a memory_pool
// capability to it.
struct Memory_pool_entry {
  uint32_t partition;  // the owner
  uint32_t reserved;
  uint64_t pa;     // 4 KiB aligned
  uint64_t pages;  // non-zero
};
static_assert(sizeof(Memory_pool_entry) == 24);

// Addresses of a partition where pool pages may be mapped at run time (a
// tunnel window): `pages` pages at `ipa`, 4 KiB aligned, overlapping none of
// its regions and none of its other windows, inside its IPA size. Nothing
// is mapped there at boot; the kernel builds the stage-2 tables that cover
// it (Partition_entry::table_pages counts them), so memory_map only writes
// last-level entries. `max_rights`: Map_rights (syscall.hpp), map_read or
// map_read | map_write; never executable.
struct Map_window_entry {
  uint32_t partition;  // the target
  uint32_t max_rights;
  uint64_t ipa;
  uint32_t pages;  // 1 .. max_map_window_pages
  // Where its bits start in the kernel's map bitmap: the sum of
  // map_bitmap_words over the windows before it (the kernel checks it), so
  // that finding them costs the same whatever the window's index.
  uint32_t first_bitmap_word;
};
static_assert(sizeof(Map_window_entry) == 24);

// The kernel's words of "mapped by memory_map" bits for a window, one bit per
// page (carved from the kernel objects area, abi/kernel_memory.hpp).
constexpr uint32_t map_bitmap_words(const Map_window_entry& window) {
  return static_cast<uint32_t>((window.pages + 63) / 64);
}

// An Ed25519 signature of the whole boot-info blob (total_size bytes, as
// loaded), placed right after it at the next 8-byte boundary. Optional: a
// kernel built with a public key refuses boot-info without a valid one; a
// kernel built without one ignores it.
inline constexpr uint64_t signature_magic = 0x3147'4953'4c54'534bULL;  // "KSTLSIG1" in memory
struct Boot_info_signature {
  uint64_t magic;
  uint32_t signed_size;  // the boot-info's total_size
  uint32_t reserved;
  uint8_t ed25519[64];
};
static_assert(sizeof(Boot_info_signature) == 80);

}  // namespace kestrel::abi
