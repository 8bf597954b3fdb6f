// The replication remotes of the configuration ([replication.remotes.NAME]) as S3 clients
// (workers::replicate::RemoteDirectory), made at start and again when the server re-reads its
// configuration file (replace). Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app/config.h"
#include "core/clock.h"
#include "remote/remote_s3_client.h"
#include "workers/replicate/replication_worker.h"

namespace cv::app {

class RemoteClients final : public workers::replicate::RemoteDirectory {
 public:
  // InvalidArgument naming the remote when one cannot be made (a bad endpoint URL).
  static Result<std::unique_ptr<RemoteClients>> create(const std::vector<ReplicationRemote>& remotes,
                                                       const Clock& clock);
  // The pointer stays valid until this is destroyed, even after a replace().
  remote::RemoteS3Client* client(std::string_view name) override;
  // Makes the clients of `remotes` the ones client() answers with; on error nothing changes.
  // The replaced clients are kept (a copy may still be using one) until destruction.
  Status replace(const std::vector<ReplicationRemote>& remotes, const Clock& clock);

 private:
  using ClientMap = std::map<std::string, std::unique_ptr<remote::RemoteS3Client>, std::less<>>;
  static Result<ClientMap> make_clients(const std::vector<ReplicationRemote>& remotes,
                                        const Clock& clock);

  std::mutex mutex_;
  ClientMap clients_;
  std::vector<ClientMap> retired_;
};

}  // namespace cv::app
