// SPDX-License-Identifier: Apache-2.0
// The VM's virtio block and net devices, for the VMM program (vmm.cpp): one
// kestrel::vmm::Virtio_block per emulated device of kind virtio_block, one
// kestrel::vmm::Virtio_net per virtio_net, each backed by the queue region
// its `backend` names in the generated kestrel::devices::block_clients /
// net_clients (docs/devices.md). The VMM hands them the MMIO exits in their
// frames; its devices thread ("devices-<vm>") waits on the VM's device
// doorbells (<vm>.device-doorbells: the VM's k-th backed device has bit 2k
// for responses, 2k + 1 for its driver's stop and 32 + k for the guest's
// QueueNotify) and hands each model what its bits say. A device's SPI is
// raised when its interrupt line rises (edge-triggered in the guest's
// device tree). Used under the VMM's models lock, like the other models.
//
// Guest doorbells (docs/vmm.md, "Doorbells"): the kernel takes the guest's
// writes of QueueNotify and InterruptACK without an exit, so the guest
// leaves its CPU only to wait. QueueNotify comes here as the device's
// notify bit, and every queue of the device is looked at (the value, the
// queue's index, is not passed on); InterruptACK never arrives, so a read
// of InterruptStatus acknowledges what it returns, as the guest's ACK of
// that value would have.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <kestrel/device_description.hpp>
#include <kestrel/slots.hpp>
#include <kestrel/syscall.hpp>
#include <kestrel/vm_description.hpp>
#include <kestrel/vmm/device_queues.hpp>
#include <kestrel/vmm/guest_memory.hpp>
#include <kestrel/vmm/mmio.hpp>
#include <kestrel/vmm/virtio_block.hpp>
#include <kestrel/vmm/virtio_net.hpp>

namespace vmm_server {

// The generated client tables (kestrel/slots.hpp, docs/devices.md): every
// partition's header has them, with at least one entry and a count.
namespace client_devices {
inline constexpr const kestrel::Block_client_description* block_table = kestrel::devices::block_clients;
inline constexpr uint32_t block_count = kestrel::devices::block_client_count;
inline constexpr const kestrel::Net_client_description* net_table = kestrel::devices::net_clients;
inline constexpr uint32_t net_count = kestrel::devices::net_client_count;
}  // namespace client_devices

inline constexpr uint32_t no_backend = ~uint32_t{0};

// devices[i] of `vm` as a backed block (or net) device: its client entry's
// index, or no_backend.
constexpr uint32_t block_backend(const kestrel::Vm_description& vm, uint32_t i) {
  const uint32_t backend = vm.devices[i].backend;
  return vm.devices[i].kind == kestrel::Emulated_kind::virtio_block && backend < client_devices::block_count
             ? backend
             : no_backend;
}
constexpr uint32_t net_backend(const kestrel::Vm_description& vm, uint32_t i) {
  const uint32_t backend = vm.devices[i].backend;
  return vm.devices[i].kind == kestrel::Emulated_kind::virtio_net && backend < client_devices::net_count ? backend
                                                                                                         : no_backend;
}

constexpr uint32_t backed_blocks(const kestrel::Vm_description& vm) {
  uint32_t count = 0;
  for (uint32_t i = 0; i < vm.device_count; ++i) count += block_backend(vm, i) != no_backend ? 1 : 0;
  return count;
}
constexpr uint32_t backed_nets(const kestrel::Vm_description& vm) {
  uint32_t count = 0;
  for (uint32_t i = 0; i < vm.device_count; ++i) count += net_backend(vm, i) != no_backend ? 1 : 0;
  return count;
}

// A device has a backend the header does not hold: the generated names are
// not the ones this file expects.
constexpr bool backends_resolve(const kestrel::Vm_description& vm) {
  for (uint32_t i = 0; i < vm.device_count; ++i) {
    const uint32_t backend = vm.devices[i].backend;
    if (backend == no_backend) continue;
    if (vm.devices[i].kind == kestrel::Emulated_kind::virtio_block && backend >= client_devices::block_count)
      return false;
    if (vm.devices[i].kind == kestrel::Emulated_kind::virtio_net && backend >= client_devices::net_count) return false;
  }
  return true;
}

// Rings the driver partition's notification with this client's badge.
struct Driver_doorbell {
  uint64_t slot = 0;
  void ring() const { kestrel::signal(slot); }
};

// N models in a fixed array; none at all (not even one unused model of
// some 18 KiB) for N = 0.
template <typename T, uint32_t N>
struct Models {
  T items[N]{};
  constexpr T& operator[](uint32_t i) { return items[i]; }
  constexpr const T& operator[](uint32_t i) const { return items[i]; }
};
template <typename T>
struct Models<T, 0> {
  T& operator[](uint32_t) const { __builtin_trap(); }  // never called: every loop is bounded by N
};

using Block_model = kestrel::vmm::Virtio_block<kestrel::vmm::Block_queue<Driver_doorbell>>;
using Net_model = kestrel::vmm::Virtio_net<kestrel::vmm::Net_queue<Driver_doorbell>>;

// BlockCount, NetCount: backed_blocks(vm), backed_nets(vm).
template <uint32_t BlockCount, uint32_t NetCount>
class Virtio_devices {
 public:
  static constexpr uint32_t none = ~uint32_t{0};
  static constexpr uint32_t count = BlockCount + NetCount;

  constexpr explicit Virtio_devices(const kestrel::Vm_description& vm) {
    const kestrel::vmm::Guest_memory memory{vm.ram_address, vm.ram_size, vm.vmm_ram_address};
    for (uint32_t i = 0; i < vm.device_count; ++i) {
      const auto& device = vm.devices[i];
      if (const uint32_t b = block_backend(vm, i); b != no_backend && blocks_ < BlockCount) {
        const kestrel::Block_client_description& client = client_devices::block_table[b];
        frames_[blocks_] = {
            device.name,          device.address,           device.size, device.interrupt, client.responses_badge,
            client.stopped_badge, client.guest_notify_badge};
        wait_ = client.wait;
        blocks_models_[blocks_++] =
            Block_model(memory, {.sectors = client.sectors, .read_only = client.read_only, .serial = device.name},
                        {client.queue_address, Driver_doorbell{client.ring_driver}});
      } else if (const uint32_t n = net_backend(vm, i); n != no_backend && nets_ < NetCount) {
        const kestrel::Net_client_description& client = client_devices::net_table[n];
        frames_[BlockCount + nets_] = {
            device.name,          device.address,           device.size, device.interrupt, client.responses_badge,
            client.stopped_badge, client.guest_notify_badge};
        wait_ = client.wait;
        net_models_[nets_++] =
            Net_model(memory, client.mac, {client.queue_address, Driver_doorbell{client.ring_driver}});
      }
    }
  }

  // The notification the devices thread waits on (the same for every
  // device of the VM), or kestrel::no_notification without devices.
  constexpr uint64_t wait_slot() const { return count > 0 ? wait_ : kestrel::no_notification; }

  // The device whose frame holds guest-physical `address`, or none.
  constexpr uint32_t at(uint64_t address) const {
    for (uint32_t d = 0; d < count; ++d) {
      uint64_t offset = 0;
      if (kestrel::vmm::offset_in_frame(address, frames_[d].address, frames_[d].size, offset)) return d;
    }
    return none;
  }

  // An MMIO exit in device d's frame: the value a read gives (0 for a write).
  template <typename Raise>
  uint64_t access(uint32_t d, uint64_t address, bool write, unsigned size, uint64_t value, Raise&& raise) {
    const uint64_t offset = address - frames_[d].address;
    if (write && offset == kestrel::vmm::virtio::queue_notify) ++frames_[d].notify_exits;
    uint64_t result = 0;
    with_model(d, [&](auto& model) {
      if (write) {
        model.write(offset, size, value);
        return;
      }
      result = model.read(offset, size);
      // The guest's InterruptACK is a dropped doorbell: reading is acknowledging.
      if (offset == kestrel::vmm::virtio::interrupt_status && result != 0)
        model.write(kestrel::vmm::virtio::interrupt_ack, 4, result);
    });
    update_interrupt(d, raise);
    return result;
  }

  // The devices thread's doorbell word: responses, stops and the guest's
  // queue notifications, per device.
  template <typename Raise>
  void rang(uint64_t bits, Raise&& raise) {
    for (uint32_t d = 0; d < count; ++d) {
      const Frame& frame = frames_[d];
      if ((bits & frame.notify_badge) != 0) {
        ++frames_[d].notify_doorbells;
        notified(d);
      }
      if ((bits & frame.stopped_badge) != 0) with_model(d, [](auto& model) { model.driver_stopped(); });
      if ((bits & frame.responses_badge) != 0) {
        if (d < BlockCount) {
          blocks_models_[d].responses();
        } else {
          net_models_[d - BlockCount].receive();
        }
      }
      update_interrupt(d, raise);
    }
  }

  // The VM restarts: every device back to its reset state (queue indices
  // and a stopped driver's state go on).
  void reset() {
    for (uint32_t b = 0; b < BlockCount; ++b) blocks_models_[b].reset();
    for (uint32_t n = 0; n < NetCount; ++n) net_models_[n].reset();
  }

  // What each device did, for the VMM's report: log(format, ...).
  template <typename Log>
  void report(Log&& log) const {
    for (uint32_t b = 0; b < BlockCount; ++b) {
      const auto& c = blocks_models_[b].counts();
      log("%s: %lu requests (%lu errors), %lu queue entries, %lu copies of %lu bytes, %lu answers ignored\n",
          frames_[b].name, c.requests, c.errors, c.entries, c.copies, c.bytes_copied, c.ignored);
      report_notifications(frames_[b], log);
    }
    for (uint32_t n = 0; n < NetCount; ++n) {
      const auto& c = net_models_[n].counts();
      log("%s: %lu frames sent, %lu received, dropped: %lu ring full, %lu bad length, %lu driver stopped, %lu small "
          "buffer\n",
          frames_[BlockCount + n].name, c.transmitted, c.received, c.dropped_full, c.dropped_malformed,
          c.dropped_stopped, c.dropped_small_buffer);
      report_notifications(frames_[BlockCount + n], log);
    }
  }

 private:
  struct Frame {
    const char* name;
    uint64_t address;
    uint64_t size;
    uint32_t interrupt;
    uint64_t responses_badge;
    uint64_t stopped_badge;
    uint64_t notify_badge;  // the guest wrote QueueNotify (a guest doorbell)
    // How the guest's QueueNotify writes came: rung doorbells (wake-ups of
    // the devices thread, so at most one per write), and exits, which a
    // write with a valid syndrome never is (docs/vmm.md, "Doorbells").
    uint64_t notify_doorbells = 0;
    uint64_t notify_exits = 0;
  };

  template <typename Log>
  static void report_notifications(const Frame& frame, Log& log) {
    log("%s: QueueNotify: %lu exits, %lu doorbell wake-ups\n", frame.name, frame.notify_exits, frame.notify_doorbells);
  }

  // The guest notified device d of a queue it did not name: each queue, as
  // an exit's QueueNotify would have (one a model cannot serve now ignores
  // it).
  void notified(uint32_t d) {
    with_model(d, [](auto& model) {
      using Model = std::remove_reference_t<decltype(model)>;
      for (uint32_t q = 0; q < Model::Transport::queue_count; ++q)
        model.write(kestrel::vmm::virtio::queue_notify, 4, q);
    });
  }

  template <typename Raise>
  void update_interrupt(uint32_t d, Raise& raise) {
    const kestrel::vmm::Level_change change = with_model(d, [](auto& model) { return model.take_level_change(); });
    if (change == kestrel::vmm::Level_change::rose) raise(frames_[d].interrupt);
  }

  // Device d's model, block or net, handed to `use` (a generic lambda):
  // the one place that tells the two arrays apart by index.
  template <typename Use>
  decltype(auto) with_model(uint32_t d, Use&& use) {
    return d < BlockCount ? use(blocks_models_[d]) : use(net_models_[d - BlockCount]);
  }

  Frame frames_[count > 0 ? count : 1]{};
  Models<Block_model, BlockCount> blocks_models_{};
  Models<Net_model, NetCount> net_models_{};
  uint32_t blocks_ = 0;
  uint32_t nets_ = 0;
  uint64_t wait_ = kestrel::no_notification;
};

}  // namespace vmm_server
