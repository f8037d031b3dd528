// SPDX-License-Identifier: Apache-2.0
// Resolve IPC: endpoints, notifications and channels, with the regions
// channels map and their doorbells.
#include "resolver.hpp"

namespace kestrel::policy {

std::vector<Client> Resolver::resolve_clients(capnp::List<schema::Client>::Reader clients, const Source_ref& src,
                                              std::string_view role) {
  std::vector<Client> resolved;
  for (uint32_t i = 0; i < clients.size(); ++i) {
    const Source_ref client_src = src.item(i);
    Client client{find_partition(text(clients[i].getPartition()), client_src.at("partition"), role),
                  clients[i].getBadge(), client_src};
    resolved.push_back(client);
  }
  return resolved;
}

void Resolver::resolve_endpoints(capnp::List<schema::Endpoint>::Reader endpoints, const Source_ref& src) {
  for (uint32_t i = 0; i < endpoints.size(); ++i) {
    const Source_ref endpoint_src = src.item(i);
    Endpoint endpoint;
    endpoint.name = endpoints[i].getName();
    endpoint.src = endpoint_src;
    endpoint.server = find_partition(text(endpoints[i].getServer()), endpoint_src.at("server"), "server");
    const std::string thread = endpoints[i].getServerThread();
    if (endpoint.server != none) {
      if (thread.empty()) {
        endpoint.server_thread = model_.partitions[endpoint.server].threads.empty() ? none : 0;
      } else {
        endpoint.server_thread = find_in(threads_by_partition_[endpoint.server], thread,
                                         endpoint_src.at("serverThread"), Code::unknown_thread, "thread");
      }
    }
    endpoint.clients = resolve_clients(endpoints[i].getClients(), endpoint_src.field("clients"), "client");
    model_.endpoints.push_back(std::move(endpoint));
  }
}

void Resolver::resolve_notifications(capnp::List<schema::Notification>::Reader notifications, const Source_ref& src) {
  for (uint32_t i = 0; i < notifications.size(); ++i) {
    const Source_ref notification_src = src.item(i);
    Notification notification;
    notification.name = notifications[i].getName();
    notification.src = notification_src;
    notification.owner = find_partition(text(notifications[i].getOwner()), notification_src.at("owner"), "owner");
    notification.signallers =
        resolve_clients(notifications[i].getSignallers(), notification_src.field("signallers"), "signaller");
    model_.notifications.push_back(std::move(notification));
  }
}

void Resolver::resolve_channels(capnp::List<schema::Channel>::Reader channels, const Source_ref& src) {
  for (uint32_t i = 0; i < channels.size(); ++i) {
    const Source_ref channel_src = src.item(i);
    Channel channel;
    channel.name = channels[i].getName();
    channel.size = channels[i].getSize();
    channel.doorbell = channels[i].getDoorbell();
    channel.src = channel_src;
    auto resolve_end = [&](schema::ChannelEnd::Reader end, const Source_ref& end_src, std::string_view role) {
      return Channel_end{find_partition(text(end.getPartition()), end_src.at("partition"), role), end.getAddress(),
                         end_src};
    };
    channel.writer = resolve_end(channels[i].getWriter(), channel_src.field("writer"), "writer");
    const auto readers = channels[i].getReaders();
    for (uint32_t j = 0; j < readers.size(); ++j) {
      channel.readers.push_back(resolve_end(readers[j], channel_src.field("readers").item(j), "reader"));
    }
    const auto channel_number = static_cast<uint32_t>(model_.channels.size());
    auto map_end = [&](const Channel_end& end, Access access) {
      if (end.partition == none) return;
      Region region;
      region.kind = Region::Kind::channel;
      region.name = channel.name;
      region.ipa = end.address;
      region.size = channel.size;
      region.access = access;
      region.owner = channel_number;
      region.shared = true;
      region.src = end.src;
      model_.partitions[end.partition].regions.push_back(std::move(region));
    };
    map_end(channel.writer, Access::read_write);
    for (const auto& reader : channel.readers) {
      // The writer already maps it (KP0508 reports the mistake).
      if (reader.partition != channel.writer.partition) map_end(reader, Access::read_only);
    }
    model_.channels.push_back(std::move(channel));
  }
  // A doorbell is one notification per reader, owned by the reader and
  // signalled by the writer; they follow the written notifications.
  for (const Channel& channel : model_.channels) {
    if (!channel.doorbell || channel.writer.partition == none) continue;
    for (const auto& reader : channel.readers) {
      if (reader.partition == none) continue;
      Notification doorbell;
      doorbell.name = channel.name + ".doorbell." + model_.partitions[reader.partition].name;
      if (channel.name.size() <= max_name_length)
        check_generated_name(doorbell.name, reader.src.at("partition"),
                             "the doorbell of channel " + quoted(channel.name) + " for reader " +
                                 quoted(model_.partitions[reader.partition].name),
                             "shorten the channel's or the reader's name: together they may have at most " +
                                 std::to_string(max_name_length - std::string_view(".doorbell.").size()) +
                                 " characters");
      doorbell.owner = reader.partition;
      doorbell.implicit = true;
      doorbell.src = channel.src.field("doorbell");
      doorbell.signallers.push_back({channel.writer.partition, 1, channel.writer.src});
      model_.notifications.push_back(std::move(doorbell));
    }
  }
}

}  // namespace kestrel::policy
