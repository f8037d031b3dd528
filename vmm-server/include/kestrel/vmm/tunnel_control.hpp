// SPDX-License-Identifier: Apache-2.0
// Tunnel control: the 4 KiB MMIO page through which a guest uses the tunnels
// its VM is an end of (docs/ipcm.md, "The VM end of a tunnel"). The guest
// selects a tunnel by its id, asks for open, accept or close, reads the
// IPCM's answer, rings the other end's doorbell and reads (and so clears)
// the doorbell bits that arrived for it. The model keeps the registers; the
// VMM does what a write asks for (a call to the IPCM, a signal) and hands
// back the answer, so the model needs no system call and is tested on the
// host.
//
// Pure: no heap, no kernel or runtime headers. Every register is 32 bits,
// aligned; any other access reads 0 and is ignored, as in every model here.
//
// The VMM drives it:
//   Tunnel_control<8> control{places, count};
//   read:  value = control.read(offset, size);
//   write: Tunnel_request r = control.write(offset, size, value);
//          r.kind == call: ask the IPCM (r.operation, tunnel r.tunnel,
//          r.instance), then control.complete(status, address, size, instance);
//          r.kind == ring: signal the other end's doorbell of tunnel r.tunnel.
//   a doorbell word `bits` for tunnel i: control.rang(i, bits), then raise
//   its SPI.
#pragma once

#include <cstdint>

#include <kestrel/vmm/mmio.hpp>

namespace kestrel::vmm {

namespace tunnel_register {
inline constexpr uint64_t id = 0x00;            // RO: "KTUN"
inline constexpr uint64_t tunnel = 0x04;        // RW: the selected tunnel's id (the device tree's kestrel,tunnel-id)
inline constexpr uint64_t instance = 0x08;      // RW: the instance close acts on; an ok open or accept sets it
inline constexpr uint64_t operation = 0x0c;     // WO: 1 open, 2 accept, 3 close (the IPCM protocol's numbers)
inline constexpr uint64_t status = 0x10;        // RO: the last operation's status (docs/ipcm.md); no_status before any
inline constexpr uint64_t address_low = 0x14;   // RO: an ok open or accept: where the instance is (guest-physical)
inline constexpr uint64_t address_high = 0x18;  // RO
inline constexpr uint64_t size = 0x1c;          // RO: its size in bytes
inline constexpr uint64_t ring = 0x20;          // WO: any value rings the other end's doorbell
inline constexpr uint64_t pending = 0x24;  // RO, read clears: doorbell bits (1 other end, 2 IPCM) since the last read
}  // namespace tunnel_register

inline constexpr uint32_t tunnel_control_id = 0x4e55544b;  // "KTUN" in memory order
inline constexpr uint32_t no_status = 0xffffffffU;
// The IPCM protocol's statuses the VMM answers without asking it.
inline constexpr uint32_t tunnel_status_bad_operation = 1;
inline constexpr uint32_t tunnel_status_not_an_end = 4;

// A tunnel of the VM, as its Vm_description states it.
struct Tunnel_place {
  uint32_t id;
  uint64_t address;  // instance 0, guest-physical
  uint64_t size;
  uint32_t max_open;
};

enum class Tunnel_request_kind : uint8_t { none, call, ring };

struct Tunnel_request {
  Tunnel_request_kind kind = Tunnel_request_kind::none;
  uint32_t tunnel = 0;  // index into the places
  uint32_t operation = 0;
  uint64_t instance = 0;
};

template <uint32_t max_tunnels>
class Tunnel_control {
 public:
  constexpr Tunnel_control(const Tunnel_place* places, uint32_t count)
      : places_{places}, count_{count < max_tunnels ? count : max_tunnels} {}

  uint64_t read(uint64_t offset, unsigned access_size) {
    if (access_size != 4 || offset % 4 != 0) return 0;
    switch (offset) {
      case tunnel_register::id:
        return tunnel_control_id;
      case tunnel_register::tunnel:
        return selected_id_;
      case tunnel_register::instance:
        return instance_;
      case tunnel_register::status:
        return status_;
      case tunnel_register::address_low:
        return address_ & 0xffffffffU;
      case tunnel_register::address_high:
        return address_ >> 32;
      case tunnel_register::size:
        return size_;
      case tunnel_register::pending: {
        const uint32_t index = selected();
        if (index == count_) return 0;
        const uint64_t bits = pending_[index];
        pending_[index] = 0;
        return bits;
      }
      default:
        return 0;
    }
  }

  Tunnel_request write(uint64_t offset, unsigned access_size, uint64_t value) {
    if (access_size != 4 || offset % 4 != 0) return {};
    const auto word = static_cast<uint32_t>(value);
    switch (offset) {
      case tunnel_register::tunnel:
        selected_id_ = word;
        return {};
      case tunnel_register::instance:
        instance_ = word;
        return {};
      case tunnel_register::operation: {
        const uint32_t index = selected();
        if (word < 1 || word > 3) {
          fail(tunnel_status_bad_operation);
          return {};
        }
        if (index == count_) {
          fail(tunnel_status_not_an_end);  // not a tunnel of this VM: the IPCM is not asked
          return {};
        }
        return {Tunnel_request_kind::call, index, word, instance_};
      }
      case tunnel_register::ring: {
        const uint32_t index = selected();
        if (index == count_) return {};
        return {Tunnel_request_kind::ring, index, 0, 0};
      }
      default:
        return {};
    }
  }

  // The IPCM's answer to the last call (status as the protocol numbers it).
  void complete(uint32_t status, uint64_t address, uint64_t size, uint64_t instance) {
    status_ = status;
    address_ = status == 0 ? address : 0;
    size_ = status == 0 ? static_cast<uint32_t>(size) : 0;
    if (status == 0) instance_ = static_cast<uint32_t>(instance);
  }

  // A doorbell word arrived for tunnel `index`.
  void rang(uint32_t index, uint64_t bits) {
    if (index < count_) pending_[index] |= static_cast<uint32_t>(bits);
  }

  void reset() {
    selected_id_ = 0;
    instance_ = 0;
    status_ = no_status;
    address_ = 0;
    size_ = 0;
    for (auto& bits : pending_) bits = 0;
  }

 private:
  // The selected tunnel's index, or count_ if the VM is no end of it.
  uint32_t selected() const {
    for (uint32_t i = 0; i < count_; ++i) {
      if (places_[i].id == selected_id_) return i;
    }
    return count_;
  }
  void fail(uint32_t status) { complete(status, 0, 0, 0); }

  const Tunnel_place* places_;
  uint32_t count_;
  uint32_t selected_id_ = 0;
  uint32_t instance_ = 0;
  uint32_t status_ = no_status;
  uint64_t address_ = 0;
  uint32_t size_ = 0;
  uint32_t pending_[max_tunnels] = {};
};

}  // namespace kestrel::vmm
