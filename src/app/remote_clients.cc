#include "app/remote_clients.h"

namespace cv::app {

Result<std::unique_ptr<RemoteClients>> RemoteClients::create(
    const std::vector<ReplicationRemote>& remotes, const Clock& clock) {
  auto directory = std::make_unique<RemoteClients>();
  directory->clients_ = CV_TRY(make_clients(remotes, clock));
  return directory;
}

Status RemoteClients::replace(const std::vector<ReplicationRemote>& remotes, const Clock& clock) {
  ClientMap clients = CV_TRY(make_clients(remotes, clock));
  std::lock_guard lock(mutex_);
  retired_.push_back(std::move(clients_));
  clients_ = std::move(clients);
  return {};
}

Result<RemoteClients::ClientMap> RemoteClients::make_clients(
    const std::vector<ReplicationRemote>& remotes, const Clock& clock) {
  ClientMap clients;
  for (const ReplicationRemote& remote : remotes) {
    remote::RemoteEndpoint endpoint;
    endpoint.url = remote.endpoint;
    endpoint.region = remote.region;
    endpoint.access_key = remote.access_key;
    endpoint.secret_key = remote.secret_key;
    endpoint.path_style = remote.path_style;
    endpoint.verify_tls = remote.verify_tls;
    endpoint.ca_file = remote.ca_file;
    auto client = remote::RemoteS3Client::create(std::move(endpoint), clock);
    if (!client) {
      return fail(ErrorCode::kInvalidArgument,
                  "replication.remotes." + remote.name + ": " + client.error().error.message);
    }
    clients.emplace(remote.name, std::move(*client));
  }
  return clients;
}

remote::RemoteS3Client* RemoteClients::client(std::string_view name) {
  std::lock_guard lock(mutex_);
  auto found = clients_.find(name);
  return found == clients_.end() ? nullptr : found->second.get();
}

}  // namespace cv::app
