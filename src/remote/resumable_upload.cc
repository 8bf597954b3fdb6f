#include "remote/resumable_upload.h"

#include <algorithm>
#include <map>

namespace cv::remote {
namespace {

constexpr uint64_t kMiB = 1ull << 20;
constexpr uint64_t kMinPartSize = 5 * kMiB;
constexpr uint64_t kMaxPartSize = 5ull << 30;
constexpr uint64_t kMaxParts = 10000;

// The size of every part but the last.
uint64_t plan_part_size(uint64_t object_size, uint64_t wanted) {
  const uint64_t needed = (object_size + kMaxParts - 1) / kMaxParts;
  if (needed <= wanted) return wanted;
  return (needed + kMiB - 1) / kMiB * kMiB;
}

RemoteResult<std::unique_ptr<ByteSource>> open(const ResumableUpload& upload, uint64_t offset,
                                               uint64_t length) {
  auto source = upload.open_range(offset, length);
  if (!source) return std::unexpected(source_error(std::move(source).error()));
  if (!*source) return std::unexpected(source_error(Error{ErrorCode::kInternalError, "no source"}));
  return std::move(*source);
}

RemoteResult<ResumableResult> put_single(RemoteS3Client& client, const ResumableUpload& upload) {
  auto source = open(upload, 0, upload.size);
  if (!source) return std::unexpected(std::move(source).error());
  auto put = client.put_object(upload.bucket, upload.key, **source, upload.size, upload.headers);
  if (!put) return std::unexpected(std::move(put).error());
  return ResumableResult{.put = std::move(*put), .parts = 1};
}

// The upload to continue and the parts it already has, by part number.
struct Started {
  std::string upload_id;
  std::map<uint32_t, PartInfo> existing;
};

RemoteResult<Started> start_or_resume(RemoteS3Client& client, const ResumableUpload& upload) {
  if (upload.upload_id && !upload.upload_id->empty()) {
    auto listed = client.list_parts(upload.bucket, upload.key, *upload.upload_id);
    if (listed) {
      Started started{.upload_id = *upload.upload_id};
      for (PartInfo& part : *listed) started.existing[part.part_number] = std::move(part);
      return started;
    }
    if (listed.error().error.code != ErrorCode::kNoSuchUpload) {
      return std::unexpected(std::move(listed).error());
    }
  }
  auto created = client.create_multipart_upload(upload.bucket, upload.key, upload.headers);
  if (!created) return std::unexpected(std::move(created).error());
  if (upload.on_upload_created) {
    if (auto stored = upload.on_upload_created(*created); !stored) {
      (void)client.abort_multipart_upload(upload.bucket, upload.key, *created);
      return std::unexpected(source_error(std::move(stored).error()));
    }
  }
  return Started{.upload_id = std::move(*created)};
}

}  // namespace

RemoteResult<ResumableResult> put_object_resumable(RemoteS3Client& client,
                                                   const ResumableUpload& upload,
                                                   const ResumableOptions& options) {
  if (!upload.open_range) return std::unexpected(argument_error("open_range is required"));
  if (upload.size <= options.multipart_threshold) return put_single(client, upload);
  if (options.part_size < kMinPartSize || options.part_size > kMaxPartSize) {
    return std::unexpected(argument_error("part_size must be 5 MiB to 5 GiB"));
  }
  const uint64_t part_size = plan_part_size(upload.size, options.part_size);
  const auto part_count = static_cast<uint32_t>((upload.size + part_size - 1) / part_size);

  auto started = start_or_resume(client, upload);
  if (!started) return std::unexpected(std::move(started).error());
  ResumableResult result{.multipart = true, .upload_id = started->upload_id, .parts = part_count};
  std::vector<PartInfo> parts;
  parts.reserve(part_count);
  for (uint32_t number = 1; number <= part_count; ++number) {
    const uint64_t offset = (number - 1) * part_size;
    const uint64_t length = std::min(part_size, upload.size - offset);
    const auto found = started->existing.find(number);
    if (found != started->existing.end() && found->second.size == length) {
      parts.push_back(found->second);
      ++result.parts_reused;
      continue;
    }
    auto source = open(upload, offset, length);
    if (!source) return std::unexpected(std::move(source).error());
    auto part =
        client.upload_part(upload.bucket, upload.key, started->upload_id, number, **source, length);
    if (!part) return std::unexpected(std::move(part).error());
    result.put.bytes_sent += part->size;
    parts.push_back(std::move(*part));
  }
  auto completed =
      client.complete_multipart_upload(upload.bucket, upload.key, started->upload_id, parts);
  if (!completed) return std::unexpected(std::move(completed).error());
  result.put.etag = std::move(completed->etag);
  result.put.version_id = std::move(completed->version_id);
  return result;
}

}  // namespace cv::remote
