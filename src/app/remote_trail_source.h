// activity::TrailSource over a bucket of a remote S3 endpoint (`activity ingest --remote
// NAME`): ListObjectsV2 under the prefix, and each file streamed in ranged GETs conditional
// on the listed ETag (RemoteS3Client::open_object).
#pragma once

#include <memory>
#include <string>

#include "activity/trail_source.h"
#include "app/vault_trail_source.h"
#include "remote/remote_s3_client.h"

namespace cv::app {

class RemoteTrailSource final : public activity::TrailSource {
 public:
  // `remote_name` names the source in checkpoints ("NAME:s3://bucket/prefix").
  RemoteTrailSource(std::unique_ptr<remote::RemoteS3Client> client, std::string remote_name,
                    S3Location location);
  std::string name() const override;
  Result<std::vector<activity::SourceFile>> list() override;
  Result<std::unique_ptr<ByteSource>> open(const activity::SourceFile& file) override;

 private:
  std::unique_ptr<remote::RemoteS3Client> client_;
  std::string remote_name_;
  S3Location location_;
};

}  // namespace cv::app
