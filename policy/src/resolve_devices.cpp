// SPDX-License-Identifier: Apache-2.0
// Resolve devices: block devices and networks (System.blockDevices,
// System.networks) into the Model's device services, names resolved, MACs
// parsed and reaches made symmetric. What the compiler makes of them
// (grants, notifications, queue regions) is resolve_device_wiring.cpp's.
#include <algorithm>
#include <cctype>

#include <kestrel/policy/suggest.hpp>

#include "resolver.hpp"

namespace kestrel::policy {
namespace {

// "52:54:00:12:34:56": six pairs of hex digits separated by ':'. Whether it
// is unicast and non-zero is a validator's question (KP1107).
bool parse_mac(std::string_view text, uint8_t (&mac)[6]) {
  if (text.size() != 17) return false;
  for (size_t byte = 0; byte < 6; ++byte) {
    const size_t at = byte * 3;
    if (byte != 0 && text[at - 1] != ':') return false;
    unsigned value = 0;
    for (size_t k = 0; k < 2; ++k) {
      const char c = text[at + k];
      if (std::isxdigit(static_cast<unsigned char>(c)) == 0) return false;
      value = value * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(c)) != 0
                                                     ? c - '0'
                                                     : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
    }
    mac[byte] = static_cast<uint8_t>(value);
  }
  return true;
}

}  // namespace

void Resolver::resolve_services(schema::System::Reader system, const Source_ref& root) {
  const auto block_devices = system.getBlockDevices();
  for (uint32_t i = 0; i < block_devices.size(); ++i) {
    const auto reader = block_devices[i];
    const Source_ref src = root.field("blockDevices").item(i);
    Device_service disk =
        resolve_service_common(Device_service::Kind::block, reader.getName(), text(reader.getDriver()),
                               text(reader.getDevice()), text(reader.getDmaRegion()), reader.getQueuesAddress(), src);
    disk.sectors = reader.getSectors();
    const auto clients = reader.getClients();
    for (uint32_t c = 0; c < clients.size(); ++c)
      disk.clients.push_back(resolve_block_client(clients[c], src.field("clients").item(c)));
    model_.services.push_back(std::move(disk));
  }
  const auto networks = system.getNetworks();
  for (uint32_t i = 0; i < networks.size(); ++i) {
    const auto reader = networks[i];
    const Source_ref src = root.field("networks").item(i);
    Device_service network =
        resolve_service_common(Device_service::Kind::net, reader.getName(), text(reader.getDriver()),
                               text(reader.getDevice()), text(reader.getDmaRegion()), reader.getQueuesAddress(), src);
    const auto ports = reader.getPorts();
    for (uint32_t p = 0; p < ports.size(); ++p)
      network.clients.push_back(resolve_port(ports[p], src.field("ports").item(p)));
    resolve_reaches(network, ports, src.field("ports"));
    model_.services.push_back(std::move(network));
  }
  wire_services();
}

Device_service Resolver::resolve_service_common(Device_service::Kind kind, const std::string& name,
                                                std::string_view driver, std::string_view device,
                                                std::string_view dma_region, uint64_t queues_address,
                                                const Source_ref& src) {
  Device_service service;
  service.kind = kind;
  service.name = name;
  service.src = src;
  service.queues_address = queues_address;
  const std::string what = kind == Device_service::Kind::block ? "block device" : "network";
  service.driver = find_partition(driver, src.at("driver"), "the driver of " + what + " " + quoted(name));
  // A block device always has one; a network without one is a switch
  // between its ports only. KP1102 reports a block device without.
  if (!device.empty()) {
    service.device_named = true;
    service.device =
        find_in(model_.platform.device_index, device, src.at("device"), Code::unknown_device, "platform device");
  }
  service.dma_named = !dma_region.empty();
  if (service.driver == none || model_.partitions[service.driver].vm || dma_region.empty()) return service;
  const auto& regions = model_.partitions[service.driver].regions;
  for (uint32_t r = 0; r < regions.size(); ++r) {
    if (regions[r].kind == Region::Kind::memory && regions[r].name == dma_region) service.dma_region = r;
  }
  if (service.dma_region == none) {
    diagnostics_.report(Code::unknown_region, src.at("dmaRegion"),
                        "the DMA region " + quoted(dma_region) + " is not a memory region of driver " +
                            quoted(model_.partitions[service.driver].name),
                        "name a readWrite memory region of the driver");
  }
  return service;
}

Device_client Resolver::resolve_block_client(schema::BlockClient::Reader reader, const Source_ref& src) {
  Device_client client;
  client.src = src;
  client.partition = find_partition(text(reader.getPartition()), src.at("partition"), "block client");
  client.first_sector = reader.getFirstSector();
  client.sector_count = reader.getSectorCount();
  client.read_only = reader.getReadOnly();
  client.address = reader.getAddress();
  return client;
}

Device_client Resolver::resolve_port(schema::NetworkPort::Reader reader, const Source_ref& src) {
  Device_client port;
  port.src = src;
  port.partition = find_partition(text(reader.getPartition()), src.at("partition"), "network port");
  port.mac_text = reader.getMac();
  port.mac_valid = parse_mac(port.mac_text, port.mac);
  port.address = reader.getAddress();
  return port;
}

// Each name in a port's `reaches`: another port by its partition, or
// "outside". Listing on either side connects both ways, so the lists end
// up symmetric; KP1109 reports a name that is neither.
void Resolver::resolve_reaches(Device_service& network, capnp::List<schema::NetworkPort>::Reader ports,
                               const Source_ref& src) {
  auto& clients = network.clients;
  auto connect = [&](uint32_t a, uint32_t b) {
    auto add = [&](uint32_t from, uint32_t to) {
      auto& list = clients[from].reaches;
      if (std::find(list.begin(), list.end(), to) == list.end()) list.push_back(to);
    };
    add(a, b);
    add(b, a);
  };
  for (uint32_t p = 0; p < ports.size(); ++p) {
    const auto reaches = ports[p].getReaches();
    for (uint32_t r = 0; r < reaches.size(); ++r) {
      const std::string_view name = text(reaches[r]);
      const Location at = src.item(p).field("reaches").item(r).at();
      if (name == "outside") {
        clients[p].reaches_outside = true;
        if (!network.device_named) {
          diagnostics_.report(Code::reach_unknown, at,
                              "port " + quoted(partition_name_of(clients[p].partition)) + " of network " +
                                  quoted(network.name) + " reaches \"outside\", but the network has no device",
                              "give the network a NIC (device = \"virtioN\"), or drop \"outside\"");
        }
        continue;
      }
      uint32_t other = none;
      std::vector<std::string> port_names;
      for (uint32_t q = 0; q < clients.size(); ++q) {
        const std::string& port_name = partition_name_of(clients[q].partition);
        port_names.push_back(port_name);
        if (clients[q].partition != none && port_name == name) other = q;
      }
      if (other == none || other == p) {
        diagnostics_.report(
            Code::reach_unknown, at,
            "port " + quoted(partition_name_of(clients[p].partition)) + " of network " + quoted(network.name) +
                " reaches " + quoted(name) + (other == p ? ", itself" : ", which is no port of the network"),
            hint_or_suggestion(name, port_names, "name another port's partition, or \"outside\" for the NIC"));
        continue;
      }
      connect(p, other);
    }
  }
}

}  // namespace kestrel::policy
