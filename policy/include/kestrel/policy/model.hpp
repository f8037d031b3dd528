// SPDX-License-Identifier: Apache-2.0
// Model: the policy after name resolution; what validators and the
// allocator work on. References are indices (or `none`), every element keeps
// its Source_ref for diagnostics.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <kestrel/policy/source_map.hpp>

namespace kestrel::policy {

inline constexpr uint32_t none = UINT32_MAX;
inline constexpr uint64_t page_size = 0x1000;

struct Address_range {
  uint64_t base = 0;
  uint64_t size = 0;
  Source_ref src;
  // One past the end; only valid if !wraps().
  uint64_t end() const { return base + size; }
  bool wraps() const { return size != 0 && base + size < base; }
  bool overlaps(const Address_range& other) const {
    return size != 0 && other.size != 0 && base < other.end() && other.base < end();
  }
};

struct Device {
  std::string name;
  std::vector<Address_range> mmio;
  std::vector<uint32_t> interrupts;
  std::string compatible;
  Source_ref src;
};

struct Platform {
  std::string name;
  uint32_t cpus = 0;
  uint32_t vmid_bits = 0;
  std::vector<Address_range> ram;
  Address_range kernel_reserved;
  Address_range gic_distributor;
  Address_range gic_redistributors;
  uint32_t hypervisor_timer_intid = 0;
  uint32_t virtual_timer_intid = 0;
  uint32_t console = none;  // device index
  std::vector<Device> devices;
  std::map<std::string, uint32_t, std::less<>> device_index;
  Source_ref src;
};

enum class Access : uint8_t { read_write, read_only, read_execute, read_write_execute };
enum class Memory_type : uint8_t { write_back, non_cacheable, device };

// One mapping in a partition's address space.
struct Region {
  // guest_ram is a VM's own RAM; guest_ram_view is that RAM again, mapped
  // into the VM's VMM (VirtualMachine.vmmRamAddress).
  // device_queue is a client's queue region of a block device or network,
  // mapped into the client (or its VMM) and into the driver.
  enum class Kind : uint8_t { memory, device, channel, guest_ram, guest_ram_view, device_queue };
  Kind kind = Kind::memory;
  std::string name;
  uint64_t ipa = 0;
  uint64_t size = 0;
  uint64_t pa = 0;  // fixed (fixed_pa) or placed by the allocator
  bool fixed_pa = false;
  Access access = Access::read_write;
  Memory_type type = Memory_type::write_back;
  // device index (device), channel index (channel), VM partition
  // (guest_ram_view) or Device_service::queue_number (device_queue)
  uint32_t owner = none;
  bool shared = false;     // another partition maps the same physical pages (a channel, a VMM's view)
  bool in_driver = false;  // a device_queue region as its driver sees it (at the service's queuesAddress)
  Source_ref src;          // the value that created it (region, grant, channel end, vm)
};

struct Thread {
  std::string name;
  uint64_t entry = 0;
  uint32_t stack_region = none;
  uint32_t priority = 0;
  uint64_t budget_us = 0;
  uint64_t period_us = 0;
  uint32_t cpu = 0;
  bool passive = false;
  bool vcpu = false;
  uint64_t boot_argument = 0;  // a vCPU's x0 at start: its device tree (set by the image builder)
  uint32_t fault_endpoint = none;
  Source_ref src;
};

struct Device_grant {
  uint32_t device = none;
  uint64_t ipa = 0;
  uint32_t notification = none;
  bool notification_named = false;  // even if the name did not resolve
  uint64_t badge = 0;
  Source_ref src;
};

struct Emulated_device {
  std::string name;
  uint32_t kind = 0;  // schema::EmulatedKind
  uint64_t address = 0;
  uint64_t size = 0;
  uint32_t interrupt = 0;
  std::string backend;  // a block device or network (virtioBlock, virtioNet)
  Source_ref src;
};

struct Virtual_machine {
  std::vector<uint32_t> cpus;
  uint64_t ram_size = 0;
  uint64_t ram_address = 0;
  uint64_t vmm_ram_address = 0;  // where the VMM sees the guest's RAM; 0: it does not
  std::string kernel, initrd, device_tree, bootargs;
  uint32_t priority = 0;
  uint32_t vmm = none;  // partition index
  // The implicit endpoints its exits arrive on, one per CPU its vCPUs run
  // on (<vm>.exits-cpuN), in the order of its vCPUs: so no exit crosses CPUs.
  struct Exit_endpoint {
    uint32_t cpu = 0;
    uint32_t endpoint = none;
  };
  std::vector<Exit_endpoint> exit_endpoints;
  std::vector<Emulated_device> emulated;
  bool restartable = true;  // the image keeps a pristine copy for vm_restart
  Source_ref src;
};

struct Capability {
  uint32_t kind = 0;  // abi::Capability_kind
  uint32_t object = 0;
  uint32_t rights = 0;
  uint64_t badge = 0;
  std::string description;  // for the summary, e.g. "call endpoint db"
  // The VM a VMM holds it for (a VM's vCPUs make no system calls: its VMM
  // calls for it, docs/ipcm.md "The VM end of a tunnel"); none: its own.
  uint32_t for_vm = none;
};

// A notification the kernel signals when a partition stops or restarts.
struct Stop_signal {
  uint32_t notification;  // index into Model::notifications
  uint32_t bit;           // below 64
};

// A VM's write the kernel takes without an exit (abi::Guest_doorbell_entry).
struct Guest_doorbell {
  uint64_t ipa = 0;
  uint32_t notification = none;  // none: the write is dropped
  uint64_t badge = 0;
};

struct Partition {
  std::string name;
  std::string program;
  std::vector<Region> regions;
  std::vector<Thread> threads;
  std::vector<Device_grant> grants;
  std::optional<Virtual_machine> vm;
  bool kernel_console = false;
  bool may_power_off = false;
  // Where the IPCM may map its tunnels (Partition.tunnelWindow); size 0:
  // the partition cannot be a tunnel end. Never a Region: nothing is mapped
  // there at boot.
  Address_range tunnel_window;
  // Who the kernel tells when its last thread stops or it restarts
  // (abi::Stop_signal_entry): the IPCM's watcher, for a tunnel end; the
  // clients, for a device driver.
  std::vector<Stop_signal> stop_signals;
  // A VM's: QueueNotify and InterruptACK of each backed virtio device,
  // ascending by address (add_vm_device_doorbells).
  std::vector<Guest_doorbell> guest_doorbells;
  Source_ref src;
  // Its name is invalid or taken, so nothing can refer to it: checks that
  // look partitions up by name skip it rather than report follow-on errors.
  bool unnamed = false;
  // Set by the allocator.
  uint32_t vmid = 0;
  std::vector<Capability> capabilities;
  uint32_t first_thread = 0;  // index of its first thread in boot-info
};

struct Client {
  uint32_t partition = none;
  uint64_t badge = 0;
  Source_ref src;
};

struct Endpoint {
  std::string name;
  uint32_t server = none;
  uint32_t server_thread = none;
  std::vector<Client> clients;
  bool implicit = false;  // made by the compiler (VM exits), not written
  // A VM's exit endpoint: the VM partition, and the CPU whose vCPUs' exits
  // arrive on it (the VMM's thread on that CPU receives them).
  uint32_t exits_of_vm = none;
  uint32_t exits_cpu = 0;
  Source_ref src;
};

struct Notification {
  std::string name;
  uint32_t owner = none;
  std::vector<Client> signallers;
  bool implicit = false;  // a channel's doorbell
  Source_ref src;
};

struct Channel_end {
  uint32_t partition = none;
  uint64_t address = 0;
  Source_ref src;
};

struct Channel {
  std::string name;
  uint64_t size = 0;
  Channel_end writer;
  std::vector<Channel_end> readers;
  bool doorbell = false;
  uint64_t pa = 0;  // placed by the allocator
  Source_ref src;
};

// ---- Devices served by driver partitions (docs/devices.md) ----------------

// A client of a block device or a port of a network.
struct Device_client {
  uint32_t partition = none;  // the client: a native partition or a VM
  uint64_t address = 0;       // where the client (a VM's VMM) sees its queue region
  // Block: the slice.
  uint64_t first_sector = 0;
  uint64_t sector_count = 0;
  bool read_only = false;
  // Net: the port.
  std::string mac_text;
  uint8_t mac[6] = {};
  bool mac_valid = false;
  std::vector<uint32_t> reaches;  // other ports (indices in the network's clients), both ways
  bool reaches_outside = false;
  // Made by the compiler: the notification the client (a VM's VMM) waits
  // on for this device, and the bits the driver and the kernel set there.
  uint32_t doorbell = none;
  uint64_t responses_badge = 0;
  uint64_t stopped_badge = 0;
  // A VM client's: the bit the kernel sets when the guest writes the
  // device's QueueNotify (a guest doorbell); 0 for a native client.
  uint64_t guest_notify_badge = 0;
  Source_ref src;
};

// A block device (System.blockDevices) or a network (System.networks).
struct Device_service {
  enum class Kind : uint8_t { block, net };
  Kind kind = Kind::block;
  std::string name;
  uint32_t driver = none;      // partition index
  uint32_t device = none;      // platform device; none for a network without NIC
  bool device_named = false;   // even if the name did not resolve
  uint32_t dma_region = none;  // region index in the driver
  bool dma_named = false;      // even if the name did not resolve
  uint64_t queues_address = 0;
  uint64_t sectors = 0;  // block only
  std::vector<Device_client> clients;
  uint32_t driver_notification = none;  // <name>.driver, owned by the driver
  // The first of its queue regions in the Model's global numbering (a
  // queue region's Region::owner): client i's is first_queue + i.
  uint32_t first_queue = 0;
  Source_ref src;
  // One client's queue region, rounded up to 4 KiB.
  uint64_t queue_bytes() const;
  // The client that is `partition`, or none.
  uint32_t client_of(uint32_t partition) const;
};

// Who may write a tunnel (schema::TunnelAccess, in its order).
enum class Tunnel_access : uint8_t { both_ways, first_writes, second_writes };

struct Tunnel_end {
  uint32_t partition = none;
  uint32_t doorbell = none;  // notification the end waits on (Tunnel.doorbell), or none
  Location at;               // the end's name in `ends`
};

// A tunnel the IPCM may open at run time; nothing of it is mapped at boot.
struct Tunnel {
  std::string name;
  std::vector<Tunnel_end> ends;  // two when written correctly (KP1001)
  uint64_t size = 0;
  Tunnel_access access = Tunnel_access::both_ways;
  bool doorbell = false;
  uint32_t max_open = 1;
  Source_ref src;
  // Bytes every instance that may be open at once takes, in a window and
  // in the pool; 0 if that does not fit 64 bits (KP1002 reports it).
  uint64_t footprint() const { return max_open != 0 && size > UINT64_MAX / max_open ? 0 : size * max_open; }
};

// The IPCM (System.ipcm); `declared` is false without one.
struct Ipcm {
  bool declared = false;
  uint32_t partition = none;
  uint32_t endpoint = none;
  uint32_t pool_region = none;  // index into the IPCM partition's regions
  uint32_t max_open_per_end = 0;
  // Ipcm.watcher: a thread index in the IPCM partition, and the
  // notification the kernel signals when a tunnel end stops or restarts
  // (added by the compiler, owned by the IPCM); none without a watcher.
  uint32_t watcher = none;
  uint32_t ends_stopped = none;
  Source_ref src;
};

struct Window {
  uint32_t partition = none;
  uint64_t duration_us = 0;
  Source_ref src;
};

struct Cpu_plan {
  uint32_t cpu = 0;
  uint64_t major_frame_us = 0;
  std::vector<Window> windows;
  uint32_t exclusive = none;
  bool exclusive_named = false;  // even if the name did not resolve
  // `sharedWith`: partitions that run beside the exclusive owner (none
  // where a name did not resolve), each with where it is named.
  std::vector<uint32_t> shared_with;
  std::vector<Source_ref> shared_with_src;
  Source_ref src;

  // Whether `partition` is in `sharedWith`.
  bool shared_with_partition(uint32_t partition) const {
    return std::find(shared_with.begin(), shared_with.end(), partition) != shared_with.end();
  }
};

// Kinds of reference the resolver could not follow (KP0110-KP0115). A
// validator that would report something as unused or unreachable stays
// silent when an unresolved reference of that kind may have meant it: the
// misspelt name is the mistake, reported once, where it is.
struct Unresolved_references {
  bool partition = false;
  bool thread = false;
  bool endpoint = false;
  bool notification = false;
};

struct Model {
  std::string name;
  bool power_off_when_no_thread_left = false;  // System.noThreadLeft = powerOff
  bool has_platform = false;
  Platform platform;
  std::vector<Partition> partitions;
  std::vector<Endpoint> endpoints;
  std::vector<Notification> notifications;
  std::vector<Channel> channels;
  std::vector<Cpu_plan> schedule;
  std::vector<Tunnel> tunnels;
  Ipcm ipcm;
  // Block devices and networks (System.blockDevices, then System.networks),
  // with their index by name.
  std::vector<Device_service> services;
  std::map<std::string, uint32_t, std::less<>> service_index;
  // Physical address of each queue region (Device_service::first_queue + i),
  // set by the allocator.
  std::vector<uint64_t> queue_physical;
  std::map<std::string, uint32_t, std::less<>> partition_index;
  Unresolved_references unresolved;
  Source_ref src;
};

// The partition that holds a device client's queue and doorbells: the
// client, or for a VM its VMM; none for a VM without a VMM.
uint32_t queue_holder(const Model& model, uint32_t client);

}  // namespace kestrel::policy
