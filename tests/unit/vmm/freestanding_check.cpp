// SPDX-License-Identifier: Apache-2.0
// Compile-only check that the VMM's device models build as the VMM partition
// builds them: AArch64, freestanding, no exceptions, RTTI or FP registers.
// Not linked or run: the ctest unit.vmm_models_freestanding_aarch64 compiles
// it with the cross compiler and refuses any undefined symbol but the
// memory functions every partition links (no heap, no C++ runtime, no libgcc
// helpers).
// Every model is instantiated and every entry point called, so code is
// generated for all of it.
#include <kestrel/vmm/device_queues.hpp>
#include <kestrel/vmm/gic.hpp>
#include <kestrel/vmm/mmio.hpp>
#include <kestrel/vmm/pl011.hpp>
#include <kestrel/vmm/psci.hpp>
#include <kestrel/vmm/tunnel_control.hpp>
#include <kestrel/vmm/virtio_block.hpp>
#include <kestrel/vmm/virtio_console.hpp>
#include <kestrel/vmm/virtio_net.hpp>

namespace {

struct Discard {
  void put(char) {}
};

struct Doorbell {
  uint64_t* rung;
  void ring() { ++*rung; }
};
uint64_t rung = 0;

// constinit: the models must be built at compile time, since the partition
// runtime runs no constructors of static objects.
constinit kestrel::vmm::Gic gic{{.vcpu_count = 2, .highest_spi = 79}};
constinit kestrel::vmm::Psci psci{2};
constinit kestrel::vmm::Pl011<Discard> uart;
constexpr kestrel::vmm::Tunnel_place places[] = {{0, 0x6000'0000, 0x1000, 1}};
constinit kestrel::vmm::Tunnel_control<1> tunnels{places, 1};
constinit kestrel::vmm::Virtio_console<Discard> hvc{kestrel::vmm::Guest_memory{0x4000'0000, 0x1000'0000, 0x8000'0000}};
constinit kestrel::vmm::Virtio_block<kestrel::vmm::Block_queue<Doorbell>> disk{
    kestrel::vmm::Guest_memory{0x4000'0000, 0x1000'0000, 0x8000'0000},
    {.sectors = 0x10000, .read_only = false, .serial = "disk"},
    {0x9000'0000, Doorbell{&rung}}};
constexpr uint8_t port_mac[6] = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
constinit kestrel::vmm::Virtio_net<kestrel::vmm::Net_queue<Doorbell>> port{
    kestrel::vmm::Guest_memory{0x4000'0000, 0x1000'0000, 0x8000'0000}, port_mac, {0x9100'0000, Doorbell{&rung}}};

}  // namespace

// What a VMM does with one exit: each model's entry points, results combined
// so none is optimised away.
extern "C" uint64_t vmm_models_exit(uint32_t vcpu, uint64_t address, uint64_t value, unsigned size, uint64_t extra) {
  uint64_t result = gic.read(address, size);
  for (const auto& delivery : gic.write(address, size, value)) result += delivery.vcpu + delivery.intid;
  result += gic.raise_spi(static_cast<uint32_t>(value)).size();
  gic.lower_spi(static_cast<uint32_t>(value));
  result += gic.take_deliveries().more() ? 1 : 0;
  if (value == 0) gic.reset();

  const auto call = psci.call(vcpu, address, value, size, extra);
  result += call.x0 + call.entry + call.context + static_cast<uint64_t>(call.action);
  if (call.action == kestrel::vmm::Psci_action::start_vcpu) {
    result += value != 0 ? psci.started(call.target) : psci.start_failed(call.target, kestrel::vmm::psci::denied);
  }

  result += uart.read(address & 0xfff, size);
  uart.write(address & 0xfff, size, value);
  result += uart.receive(static_cast<uint8_t>(value)) ? 1 : 0;
  result += static_cast<uint64_t>(uart.take_level_change());
  if (extra == 0) uart.reset();

  result += hvc.read(address & 0xfff, size);
  hvc.write(address & 0xfff, size, value);
  const auto byte = static_cast<uint8_t>(value);
  result += hvc.receive(&byte, 1);
  result += static_cast<uint64_t>(hvc.take_level_change());
  if (extra == 1) hvc.reset();

  result += disk.read(address & 0xfff, size);
  disk.write(address & 0xfff, size, value);
  if (extra == 3) disk.responses();
  if (extra == 4) disk.driver_stopped();
  if (extra == 5) disk.reset();
  result += static_cast<uint64_t>(disk.take_level_change()) + disk.counts().entries;

  result += port.read(address & 0xfff, size);
  port.write(address & 0xfff, size, value);
  if (extra == 6) port.receive();
  if (extra == 7) port.driver_stopped();
  if (extra == 8) port.reset();
  result += static_cast<uint64_t>(port.take_level_change()) + port.counts().transmitted + rung;

  result += tunnels.read(address & 0xfff, size);
  const auto request = tunnels.write(address & 0xfff, size, value);
  result += static_cast<uint64_t>(request.kind) + request.tunnel + request.operation + request.instance;
  tunnels.complete(static_cast<uint32_t>(value), address, extra, size);
  tunnels.rang(vcpu, value);
  if (extra == 2) tunnels.reset();
  return result;
}
