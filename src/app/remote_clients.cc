#include "app/remote_clients.h"

namespace cv::app {

Result<std::unique_ptr<RemoteClients>> RemoteClients::create(
    const std::vector<ReplicationRemote>& remotes, const Clock& clock) {
  auto directory = std::make_unique<RemoteClients>();
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
    directory->clients_.emplace(remote.name, std::move(*client));
  }
  return directory;
}

remote::RemoteS3Client* RemoteClients::client(std::string_view name) {
  auto found = clients_.find(name);
  return found == clients_.end() ? nullptr : found->second.get();
}

}  // namespace cv::app
