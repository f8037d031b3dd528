// SPDX-License-Identifier: Apache-2.0
// The virtual switch's decision: where an Ethernet frame goes, from the
// port (or the NIC) it came from, its addresses, and the ports' MACs and
// reach masks from the policy (kestrel::Net_driver_port). Pure, no svc: the
// host tests check the table (tests/unit/drivers/switch_test.cpp); the
// virtio-net driver does the moving.
//
// A port's frames must carry the port's own MAC as source (else dropped as
// spoofed). A unicast frame to another port's MAC goes there if the two
// ports may reach each other; broadcast and multicast go to every port the
// source may reach, and out of the NIC if the source reaches outside; any
// other unicast goes out of the NIC if the source reaches outside. From the
// NIC, a frame goes to the port with its destination MAC if that port
// reaches outside, broadcast and multicast to every port that reaches
// outside. The policy makes reach masks symmetric; the switch requires
// both ends' bits anyway, so a one-sided mask passes nothing.
#pragma once

#include <cstdint>

#include <kestrel/device_description.hpp>
#include <kestrel/device_queue.hpp>

namespace virtual_switch {

namespace dq = kestrel::device_queue;

enum class Drop : uint32_t {
  none = 0,
  bad_length = 1,           // shorter than an Ethernet header or longer than net_max_frame_bytes
  spoofed_source = 2,       // a port's frame with another source MAC
  multicast_source = 3,     // a group address as source
  not_reachable = 4,        // to a port (or outside) the policy does not connect it with
  unknown_destination = 5,  // unicast to no port, from a port that does not reach outside
  to_itself = 6,            // a port's frame to its own MAC
  count = 7,
};

inline constexpr const char* drop_names[] = {
    "none", "bad length", "spoofed source", "multicast source", "not reachable", "unknown destination", "to itself"};
static_assert(sizeof(drop_names) / sizeof(drop_names[0]) == static_cast<uint32_t>(Drop::count));

struct Decision {
  uint64_t ports;  // bit j: deliver to port j
  bool outside;    // send out of the NIC
  Drop drop;       // why nothing goes anywhere (none when delivered, or a
                   // broadcast that no port may receive)
};

struct Port {
  uint8_t mac[6];
  uint64_t reaches;  // bit j: port j; bit kestrel::net_outside_port: the NIC
};

inline constexpr uint64_t outside_bit = uint64_t{1} << kestrel::net_outside_port;
inline constexpr uint32_t max_ports = dq::max_clients;
static_assert(max_ports <= kestrel::net_outside_port, "port bits below the outside bit");

inline bool is_group(const uint8_t* mac) { return (mac[0] & 1) != 0; }  // broadcast or multicast

inline bool same_mac(const uint8_t* a, const uint8_t* b) {
  for (int i = 0; i < 6; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

class Switch {
 public:
  // `has_nic`: the network has a NIC (else "outside" leads nowhere).
  Switch(const Port* ports, uint32_t count, bool has_nic)
      : ports_(ports), count_(count > max_ports ? max_ports : count), has_nic_(has_nic) {}

  uint32_t port_count() const { return count_; }

  Decision from_port(uint32_t source, const uint8_t* frame, uint32_t length) const {
    if (source >= count_) return dropped(Drop::not_reachable);
    if (length < dq::net_min_frame_bytes || length > dq::net_max_frame_bytes) return dropped(Drop::bad_length);
    const uint8_t* destination = frame;
    const uint8_t* sender = frame + 6;
    if (!same_mac(sender, ports_[source].mac)) return dropped(Drop::spoofed_source);
    const bool may_go_out = has_nic_ && reaches_outside(source);
    if (is_group(destination)) {
      uint64_t ports = 0;
      for (uint32_t j = 0; j < count_; ++j) {
        if (j != source && connected(source, j)) ports |= uint64_t{1} << j;
      }
      return {ports, may_go_out, Drop::none};
    }
    if (same_mac(destination, ports_[source].mac)) return dropped(Drop::to_itself);
    const uint32_t target = port_with(destination);
    if (target != no_port) {
      return connected(source, target) ? Decision{uint64_t{1} << target, false, Drop::none}
                                       : dropped(Drop::not_reachable);
    }
    return may_go_out ? Decision{0, true, Drop::none} : dropped(Drop::unknown_destination);
  }

  // A frame the NIC received (without its virtio-net header).
  Decision from_outside(const uint8_t* frame, uint32_t length) const {
    if (length < dq::net_min_frame_bytes || length > dq::net_max_frame_bytes) return dropped(Drop::bad_length);
    const uint8_t* destination = frame;
    const uint8_t* sender = frame + 6;
    if (is_group(sender)) return dropped(Drop::multicast_source);
    // A port's address coming in from outside is someone else using it.
    if (port_with(sender) != no_port) return dropped(Drop::spoofed_source);
    if (is_group(destination)) {
      uint64_t ports = 0;
      for (uint32_t j = 0; j < count_; ++j) {
        if (reaches_outside(j)) ports |= uint64_t{1} << j;
      }
      return {ports, false, Drop::none};
    }
    const uint32_t target = port_with(destination);
    if (target == no_port) return dropped(Drop::unknown_destination);
    return reaches_outside(target) ? Decision{uint64_t{1} << target, false, Drop::none} : dropped(Drop::not_reachable);
  }

 private:
  static constexpr uint32_t no_port = ~0U;

  static Decision dropped(Drop why) { return {0, false, why}; }

  bool connected(uint32_t a, uint32_t b) const {
    return (ports_[a].reaches >> b & 1) != 0 && (ports_[b].reaches >> a & 1) != 0;
  }
  bool reaches_outside(uint32_t port) const { return (ports_[port].reaches & outside_bit) != 0; }

  uint32_t port_with(const uint8_t* mac) const {
    for (uint32_t j = 0; j < count_; ++j) {
      if (same_mac(ports_[j].mac, mac)) return j;
    }
    return no_port;
  }

  const Port* ports_;
  uint32_t count_;
  bool has_nic_;
};

}  // namespace virtual_switch
