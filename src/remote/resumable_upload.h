// Uploading one object of any size to a remote endpoint so that a crash costs only the part
// in flight: small objects go in one PutObject; large ones in a multipart upload whose id
// the caller persists, so a later attempt lists the parts already there and sends the rest.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/byte_source.h"
#include "core/error.h"
#include "remote/remote_s3_client.h"

namespace cv::remote {

struct ResumableOptions {
  uint64_t multipart_threshold = 64ull << 20;  // larger objects go multipart
  // Every part but the last; at least 5 MiB and at most 5 GiB (S3's limits). Raised (to a
  // whole MiB) when the object would otherwise need more than 10,000 parts. Keep it the same
  // between attempts of one upload: parts are reused only where the plan matches.
  uint64_t part_size = 16ull << 20;
};

// Opens the bytes [offset, offset + length) of the object being sent. Called once per part
// sent (once in all for a single PUT); the source must give exactly `length` bytes.
using RangeOpener =
    std::function<Result<std::unique_ptr<ByteSource>>(uint64_t offset, uint64_t length)>;

struct ResumableUpload {
  std::string bucket;
  std::string key;
  uint64_t size = 0;
  ObjectHeaders headers;  // as for put_object / create_multipart_upload
  RangeOpener open_range;
  // The multipart upload an earlier attempt started (the id on_upload_created was given),
  // if any. Ignored for objects at or under the threshold. If the endpoint no longer knows it
  // (completed, aborted, expired), a new upload starts.
  std::optional<std::string> upload_id;
  // Called with the id of a new multipart upload before any part is sent; the caller stores
  // it (with the object version it belongs to) to resume later. If it fails, the new upload is
  // aborted and the call fails with that error (kSource). May be empty.
  std::function<Status(const std::string& upload_id)> on_upload_created;
};

struct ResumableResult {
  PutResult put;  // ETag and version id of the new remote object; bytes sent now
  bool multipart = false;
  std::string upload_id;      // of the multipart upload that made it
  uint32_t parts = 0;         // parts of the object
  uint32_t parts_reused = 0;  // parts an earlier attempt had sent already
};

// Sends `upload` through `client`. A failure leaves a multipart upload in place so that a
// later call with the same upload id resumes it; the caller aborts it
// (abort_multipart_upload) when it gives up on the object. A listed part is reused when its
// size is the planned size of that part number (the source of one object version never
// changes, so its bytes are those). Errors as RemoteS3Client's; a failure of open_range or of
// a source is kSource.
RemoteResult<ResumableResult> put_object_resumable(RemoteS3Client& client,
                                                   const ResumableUpload& upload,
                                                   const ResumableOptions& options = {});

}  // namespace cv::remote
