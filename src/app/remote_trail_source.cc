#include "app/remote_trail_source.h"

namespace cv::app {

RemoteTrailSource::RemoteTrailSource(std::unique_ptr<remote::RemoteS3Client> client,
                                     std::string remote_name, S3Location location)
    : client_(std::move(client)),
      remote_name_(std::move(remote_name)),
      location_(std::move(location)) {}

std::string RemoteTrailSource::name() const {
  return remote_name_ + ":s3://" + location_.bucket + "/" + location_.prefix;
}

Result<std::vector<activity::SourceFile>> RemoteTrailSource::list() {
  std::vector<activity::SourceFile> files;
  std::string token;
  do {
    auto page = client_->list_objects_v2(location_.bucket, location_.prefix, token);
    if (!page) return std::unexpected(page.error().error);
    for (auto& [key, info] : page->objects) {
      if (!activity::is_trail_file_name(key)) continue;
      files.push_back(activity::SourceFile{key, static_cast<int64_t>(info.size), info.etag});
    }
    if (page->truncated && page->next_continuation_token == token) {
      return fail(ErrorCode::kInternalError, "ListObjectsV2 does not advance");
    }
    token = page->truncated ? page->next_continuation_token : std::string();
  } while (!token.empty());
  std::sort(
      files.begin(), files.end(),
      [](const activity::SourceFile& a, const activity::SourceFile& b) { return a.path < b.path; });
  return files;
}

Result<std::unique_ptr<ByteSource>> RemoteTrailSource::open(const activity::SourceFile& file) {
  return client_->open_object(location_.bucket, file.path, static_cast<uint64_t>(file.size),
                              file.etag);
}

}  // namespace cv::app
