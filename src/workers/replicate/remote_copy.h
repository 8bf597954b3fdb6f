// Copying one source version to a bucket on a remote S3 endpoint, for the replication worker.
// The remote gives the replica a version id of its own, so the replica carries the source's
// version id and Last-Modified in user metadata (remote::kSourceVersionIdHeader,
// kSourceLastModifiedHeader); a HEAD of the remote's current version then tells whether this
// version, or a newer one, is there already.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "meta/types.h"
#include "remote/remote_s3_client.h"
#include "remote/resumable_upload.h"
#include "vault/vault.h"

namespace cv::workers::replicate {

struct RemoteCopy {
  enum class Kind {
    kCopied,        // sent (a delete marker: DeleteObject made one)
    kAlreadyThere,  // the remote's current version is this source version (skip_copy)
    kSuperseded,    // the remote's current version comes from a newer source version
  };
  Kind kind = Kind::kCopied;
  uint64_t bytes = 0;
  uint32_t parts = 0;         // multipart copies: parts of the replica
  uint32_t parts_reused = 0;  // parts an earlier, interrupted try had sent
};

struct RemoteCopyRequest {
  const meta::ObjectVersion* source = nullptr;  // read through `vault`
  std::string bucket;                           // on the remote
  std::string storage_class;                    // empty: the source's
  std::optional<std::string> upload_id;         // a multipart upload an earlier try started
  std::function<Status(const std::string&)> on_upload_created;  // persists a new upload's id
};

// The object headers a replica of `source` is written with (content headers, metadata, tags,
// storage class, the source's version id and Last-Modified).
remote::ObjectHeaders replica_headers(const meta::ObjectVersion& source,
                                      std::string_view storage_class);

// Copies the version: large bodies multipart and resumable, small ones in one PutObject. A
// delete marker becomes a DeleteObject (a delete marker on a versioned remote). Body read
// errors are kSource failures; the RemoteError says whether a retry may help.
remote::RemoteResult<RemoteCopy> copy_to_remote(remote::RemoteS3Client& client,
                                                vault::Vault& vault,
                                                const RemoteCopyRequest& request,
                                                const remote::ResumableOptions& options);

}  // namespace cv::workers::replicate
