// S3BlobStore: object bodies in a bucket of an S3 endpoint (AWS S3, Ceph RGW, another
// CloudVault), for servers that keep no bytes on their own disks. The BlobStore contract
// (blob/blob_store.h) holds, checked by the same conformance suite as the local store:
//
// - A blob is the object "<prefix><id>". A writer holds at most one part (part_size bytes) in
//   memory: a body that never grows past it goes up in one PutObject at commit(); a longer one
//   starts a multipart upload, sends each full part as the next byte arrives, and completes
//   at commit(). Nothing is visible before commit() (a multipart upload is invisible until it
//   completes), and commit() returns once the endpoint acknowledged the whole body, which is
//   as durable as the endpoint makes it. A writer destroyed uncommitted aborts its upload.
// - Incomplete blobs are multipart uploads under the prefix: a process killed mid-write leaves
//   one, and remove_incomplete() aborts every one of them (call it only when no writer of any
//   process sharing the prefix is open; a server does at start-up).
// - A reader learns the size by HeadObject when opened (a missing blob: kInternalError) and
//   reads through a window of one ranged GET (the client's max_range(): 4 MiB from
//   make_blob_client), each conditional on the ETag it opened: 4 MiB per open reader.
// - copy_range streams the range through a new writer (ranged GETs into parts).
// - Every request is retried, with exponential backoff and jitter, while the endpoint's answer
//   is retryable (network failures, 5xx, SlowDown and the other throttling codes): up to
//   max_attempts tries. A failure the endpoint calls retryable comes back as SlowDown (503),
//   anything else as InternalError, naming the endpoint's own code.
// Thread-safe; methods block (network round trips), so call them off the network threads.
// Encryption, tiers and compression stay above: the endpoint stores what the vault wrote.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "blob/blob_store.h"
#include "core/clock.h"
#include "remote/remote_s3_client.h"
#include "remote/s3_blob_url.h"

namespace cv::remote {

struct S3BlobStoreOptions {
  uint64_t part_size = 8 << 20;  // 5 MiB (S3's smallest part) to 5 GiB
  int max_attempts = 5;
  std::chrono::milliseconds first_retry_delay{200};  // doubles each retry, up to the max
  std::chrono::milliseconds max_retry_delay{5'000};
};

class S3BlobStore final : public blob::BlobStore {
 public:
  // `client` may be shared with other stores (tiers under other prefixes); `prefix` is "" or
  // ends with '/'.
  S3BlobStore(std::shared_ptr<RemoteS3Client> client, std::string bucket, std::string prefix,
              S3BlobStoreOptions options = {});
  ~S3BlobStore() override;

  Result<std::unique_ptr<blob::BlobWriter>> create() override;
  Result<std::unique_ptr<blob::BlobReader>> open(std::string_view blob_id) override;
  Status remove(std::string_view blob_id) override;
  Result<std::string> copy_range(std::string_view blob_id, uint64_t offset,
                                 uint64_t length) override;
  Result<std::vector<std::string>> list() override;
  Status remove_incomplete() override;

  // HeadBucket with these credentials: a server checks its store before it serves.
  Status check_reachable();

  const std::string& bucket() const { return bucket_; }
  const std::string& prefix() const { return prefix_; }

  struct Shared;

 private:
  std::shared_ptr<Shared> shared_;
  std::string bucket_;
  std::string prefix_;
};

// A client for `url`'s endpoint signed with these keys (`session_token`: temporary
// credentials' token, or empty; the clock must outlive the client). InvalidArgument when the
// endpoint or keys are unusable.
Result<std::shared_ptr<RemoteS3Client>> make_blob_client(const S3BlobUrl& url,
                                                         std::string access_key,
                                                         std::string secret_key,
                                                         std::string session_token,
                                                         const Clock& clock);

}  // namespace cv::remote
