#include "workers/replicate/remote_copy.h"

#include "core/clock.h"
#include "core/encoding.h"

namespace cv::workers::replicate {
namespace {

std::string tagging_query(const meta::StringPairs& tags) {
  std::string query;
  for (const auto& [name, value] : tags) {
    if (!query.empty()) query += '&';
    query += uri_encode(name) + "=" + uri_encode(value);
  }
  return query;
}

// Whole seconds, as HTTP dates carry them.
int64_t unix_seconds(int64_t unix_nanos) { return unix_nanos / 1'000'000'000; }

}  // namespace

remote::ObjectHeaders replica_headers(const meta::ObjectVersion& source,
                                      std::string_view storage_class) {
  remote::ObjectHeaders headers;
  if (!source.content_type.empty()) headers.emplace_back("Content-Type", source.content_type);
  for (const auto& [name, value] : source.headers) headers.emplace_back(name, value);
  for (const auto& [name, value] : source.user_metadata) {
    if (name.starts_with("cloudvault-source-")) continue;  // ours, replaced below
    headers.emplace_back("x-amz-meta-" + name, value);
  }
  if (!source.tags.empty()) headers.emplace_back("x-amz-tagging", tagging_query(source.tags));
  const std::string_view chosen =
      storage_class.empty() ? std::string_view(source.storage_class) : storage_class;
  if (!chosen.empty() && chosen != "STANDARD") {
    headers.emplace_back("x-amz-storage-class", std::string(chosen));
  }
  headers.emplace_back(std::string(remote::kSourceVersionIdHeader), source.version_id);
  headers.emplace_back(std::string(remote::kSourceLastModifiedHeader),
                       format_http_date(from_unix_nanos(source.mtime_ns)));
  return headers;
}

remote::RemoteResult<RemoteCopy> copy_to_remote(remote::RemoteS3Client& client,
                                                vault::Vault& vault,
                                                const RemoteCopyRequest& request,
                                                const remote::ResumableOptions& options) {
  const meta::ObjectVersion& source = *request.source;
  auto current = client.head_object(request.bucket, source.key);
  if (current) {
    if (current->source_version_id == source.version_id) {
      return RemoteCopy{RemoteCopy::Kind::kAlreadyThere, 0};
    }
    for (const auto& [name, value] : current->metadata) {
      if ("x-amz-meta-" + name != remote::kSourceLastModifiedHeader) continue;
      const auto newer = parse_http_date(value);
      if (newer && unix_seconds(to_unix_nanos(*newer)) > unix_seconds(source.mtime_ns)) {
        return RemoteCopy{RemoteCopy::Kind::kSuperseded, 0};
      }
    }
  } else if (current.error().error.code != ErrorCode::kNoSuchKey) {
    return std::unexpected(current.error());
  }
  if (source.is_delete_marker) {
    if (!current) return RemoteCopy{RemoteCopy::Kind::kAlreadyThere, 0};  // nothing to hide
    auto deleted = client.delete_object(request.bucket, source.key);
    if (!deleted) return std::unexpected(deleted.error());
    return RemoteCopy{RemoteCopy::Kind::kCopied, 0};
  }
  remote::ResumableUpload upload;
  upload.bucket = request.bucket;
  upload.key = source.key;
  upload.size = source.size;
  upload.headers = replica_headers(source, request.storage_class);
  upload.upload_id = request.upload_id;
  upload.on_upload_created = request.on_upload_created;
  upload.open_range = [&](uint64_t offset,
                          uint64_t length) -> Result<std::unique_ptr<ByteSource>> {
    return vault.open_body(source, offset, length, nullptr);
  };
  auto sent = remote::put_object_resumable(client, upload, options);
  if (!sent) return std::unexpected(sent.error());
  return RemoteCopy{RemoteCopy::Kind::kCopied, source.size, sent->multipart ? sent->parts : 0,
                    sent->parts_reused};
}

}  // namespace cv::workers::replicate
