#include "workers/replicate/remote_copy.h"

#include <charconv>

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

// When the source version a remote replica holds was written: its nanoseconds when it carries
// them, else its HTTP date (whole seconds: a replica with a later second is newer; one within
// the same second counts as older, so the copy goes ahead).
std::optional<int64_t> source_modified_ns(const remote::ObjectInfo& replica) {
  std::optional<int64_t> from_date;
  for (const auto& [name, value] : replica.metadata) {
    const std::string header = "x-amz-meta-" + name;
    if (header == remote::kSourceModifiedNanosHeader) {
      int64_t nanos = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), nanos);
      if (error == std::errc() && end == value.data() + value.size()) return nanos;
    } else if (header == remote::kSourceLastModifiedHeader) {
      if (const auto date = parse_http_date(value)) {
        from_date = to_unix_nanos(*date);
      }
    }
  }
  return from_date;
}

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
  headers.emplace_back(std::string(remote::kSourceModifiedNanosHeader),
                       std::to_string(source.mtime_ns));
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
    if (const auto newer_ns = source_modified_ns(*current);
        newer_ns && *newer_ns > source.mtime_ns) {
      return RemoteCopy{RemoteCopy::Kind::kSuperseded, 0};
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
