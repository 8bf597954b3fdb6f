// The replication remotes of the configuration ([replication.remotes.NAME]) as S3 clients,
// made once at start (workers::replicate::RemoteDirectory).
#pragma once

#include <map>
#include <memory>
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
  remote::RemoteS3Client* client(std::string_view name) override;

 private:
  std::map<std::string, std::unique_ptr<remote::RemoteS3Client>, std::less<>> clients_;
};

}  // namespace cv::app
