// A client for a bucket on another S3 endpoint (AWS S3, Ceph RGW, another CloudVault): what
// replication to a remote destination needs, and nothing else. Requests are signed with our
// SigV4 signer (auth/sigv4.h); bodies stream from a ByteSource and never sit in memory.
//
// Payload signing: bodies are sent with x-amz-content-sha256: UNSIGNED-PAYLOAD (accepted by
// AWS, RGW and CloudVault; a streamed body's SHA-256 is unknown before it is sent, and
// hashing twice would read the source twice). Integrity is checked instead by computing the
// body's MD5 while it streams and comparing it with the ETag the endpoint returns for
// PutObject and UploadPart (when the ETag is an MD5, i.e. 32 hex digits: SSE-KMS and SSE-C
// ETags are not, and are then not compared). A mismatch is a retryable BadDigest error.
// Over plain http a man in the middle could still change the body and its ETag together;
// use https for anything but loopback and trusted networks.
//
// No call retries by itself: each failure says whether a retry can help (RemoteError), and
// the caller (the replication worker, with its backoff) decides.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/byte_source.h"
#include "core/clock.h"
#include "remote/remote_error.h"

namespace cv::remote {

struct RemoteTimeouts {
  std::chrono::milliseconds connect{10'000};
  // No total timeout (a 5 GiB body takes as long as it takes): a call fails, retryably, when
  // fewer than `stall_bytes_per_second` bytes move for `stall` seconds.
  std::chrono::seconds stall{60};
  uint32_t stall_bytes_per_second = 1;
  // CompleteMultipartUpload of a large object may think for minutes before it answers
  // (AWS sends whitespace meanwhile; other servers send nothing).
  std::chrono::seconds complete_stall{900};
};

// A remote endpoint as `[replication.remotes.NAME]` describes it.
struct RemoteEndpoint {
  std::string url;  // "https://s3.eu-west-1.amazonaws.com", "http://127.0.0.1:9000"
  std::string region = "us-east-1";
  std::string access_key;
  std::string secret_key;
  // Path-style ("endpoint/bucket/key") by default; virtual-hosted ("bucket.endpoint/key")
  // for endpoints that want it (AWS for new buckets; wildcard DNS and certificates needed).
  bool path_style = true;
  RemoteTimeouts timeouts;
  bool verify_tls = true;
  std::string ca_file;  // PEM bundle trusted instead of the system's; empty: the system's
  // Temporary credentials (STS): sent and signed as x-amz-security-token when not empty.
  std::string session_token;
  // The largest range get_range fetches in one GET (and the response cap; at least 1 MiB).
  size_t max_range_bytes = 1 << 20;
};

// Object headers passed through to PutObject / CreateMultipartUpload, as (name, value):
// Content-Type, Cache-Control, Content-Disposition, Content-Encoding, Content-Language,
// Expires, x-amz-meta-*, x-amz-tagging (URL-query encoded "k=v&k2=v2"),
// x-amz-storage-class, x-amz-server-side-encryption (and its -aws-kms-key-id, -context,
// -bucket-key-enabled, and SSE-C's -customer-* for a single PUT), x-amz-website-redirect-
// location, x-amz-object-lock-*, x-amz-checksum-* (the source's checksum, which the endpoint
// verifies), and Content-MD5 (put_object only: the source's MD5, verified by the endpoint;
// create_multipart_upload drops it). Every one is signed. Anything else is refused
// (kArgument), as are CR, LF and NUL in values. Values are sent as given: non-ASCII metadata
// must already be encoded (RFC 2047) by the caller, as AWS expects.
using ObjectHeaders = std::vector<std::pair<std::string, std::string>>;

// User metadata CloudVault's replication writes on a remote replica so that a later HEAD can
// tell which source version it holds (S3 gives a replica a version id of its own).
inline constexpr std::string_view kSourceVersionIdHeader =
    "x-amz-meta-cloudvault-source-version-id";
// The source's Last-Modified (HTTP date), since a remote endpoint stamps its own.
inline constexpr std::string_view kSourceLastModifiedHeader =
    "x-amz-meta-cloudvault-source-last-modified";
// The source's Last-Modified in nanoseconds since the epoch (decimal): HTTP dates have whole
// seconds, too coarse to order versions written within one second.
inline constexpr std::string_view kSourceModifiedNanosHeader =
    "x-amz-meta-cloudvault-source-modified-ns";

struct BucketInfo {
  std::string region;  // x-amz-bucket-region when the endpoint sends it, else empty
};

struct ObjectInfo {
  uint64_t size = 0;
  std::string etag;  // without quotes
  std::optional<TimePoint> last_modified;
  std::string content_type;
  std::optional<std::string> version_id;  // absent when unversioned ("null" is kept)
  std::string replication_status;         // x-amz-replication-status, may be empty
  std::string storage_class;              // x-amz-storage-class, empty for STANDARD
  uint32_t tag_count = 0;                 // x-amz-tagging-count
  // x-amz-meta-* as (name without the prefix, lowercase; value), in answer order.
  std::vector<std::pair<std::string, std::string>> metadata;
  // The value of kSourceVersionIdHeader, when present (also in `metadata`).
  std::optional<std::string> source_version_id;
  // The pass-through headers of the answer (cache-control, content-disposition,
  // content-encoding, content-language, expires, x-amz-server-side-encryption), lowercase.
  std::vector<std::pair<std::string, std::string>> headers;
};

struct PutResult {
  std::string etag;  // without quotes
  std::optional<std::string> version_id;
  uint64_t bytes_sent = 0;  // body bytes this call sent
};

struct PartInfo {
  uint32_t part_number = 0;
  uint64_t size = 0;
  std::string etag;  // without quotes
};

struct ListedObjects {
  std::vector<std::pair<std::string, ObjectInfo>> objects;  // key, and size and etag only
  bool truncated = false;
  std::string next_continuation_token;
};

struct MultipartUploadInfo {
  std::string key;
  std::string upload_id;
};

struct ListedUploads {
  std::vector<MultipartUploadInfo> uploads;
  bool truncated = false;
  std::string next_key_marker;        // the markers of the next page when truncated
  std::string next_upload_id_marker;
};

struct DeleteResult {
  std::optional<std::string> version_id;
  bool delete_marker = false;
};

class HttpTransport;

// Thread-safe: calls may run concurrently (each takes its own pooled connection). Every
// call blocks the calling thread; run it off the network threads. The clock must outlive the
// client. Errors: kService errors carry the endpoint's S3 code; a HEAD answer has no body, so
// its 404 is NoSuchKey for head_object and NoSuchBucket for head_bucket, 403 AccessDenied.
class RemoteS3Client {
 public:
  // Fails with kArgument when the URL is not http(s)://host[:port] or a key is empty.
  static RemoteResult<std::unique_ptr<RemoteS3Client>> create(RemoteEndpoint endpoint,
                                                              const Clock& clock);
  ~RemoteS3Client();
  RemoteS3Client(const RemoteS3Client&) = delete;
  RemoteS3Client& operator=(const RemoteS3Client&) = delete;

  const RemoteEndpoint& endpoint() const { return endpoint_; }
  uint64_t max_range() const { return std::max<uint64_t>(endpoint_.max_range_bytes, 1 << 20); }

  // HeadBucket: the bucket exists and these credentials may use it.
  RemoteResult<BucketInfo> head_bucket(std::string_view bucket);

  // HeadObject of the current version, or of `version_id`.
  RemoteResult<ObjectInfo> head_object(std::string_view bucket, std::string_view key,
                                       std::optional<std::string_view> version_id = {});

  // PutObject of exactly `size` bytes read from `body` (read once, to its end; not owned).
  // A body that fails or ends early aborts the transfer (kSource): the endpoint never
  // receives a complete body, so nothing is stored. Up to 5 GiB (S3's single PUT limit).
  RemoteResult<PutResult> put_object(std::string_view bucket, std::string_view key,
                                     ByteSource& body, uint64_t size,
                                     const ObjectHeaders& headers = {});

  // CreateMultipartUpload; returns the upload id.
  RemoteResult<std::string> create_multipart_upload(std::string_view bucket, std::string_view key,
                                                    const ObjectHeaders& headers = {});

  // UploadPart `part_number` (1..10000) of exactly `size` bytes from `body`; the PartInfo
  // carries the ETag CompleteMultipartUpload needs.
  RemoteResult<PartInfo> upload_part(std::string_view bucket, std::string_view key,
                                     std::string_view upload_id, uint32_t part_number,
                                     ByteSource& body, uint64_t size);

  // ListParts, every page: the parts the endpoint holds for the upload, by part number.
  // NoSuchUpload when the upload is gone (completed, aborted or expired).
  RemoteResult<std::vector<PartInfo>> list_parts(std::string_view bucket, std::string_view key,
                                                 std::string_view upload_id);

  // CompleteMultipartUpload with `parts` in ascending part number order. An error document in
  // a 200 answer (S3 sends one when the completion fails after it started answering) is an
  // error like any other. bytes_sent of the result is 0.
  RemoteResult<PutResult> complete_multipart_upload(std::string_view bucket, std::string_view key,
                                                    std::string_view upload_id,
                                                    const std::vector<PartInfo>& parts);

  // AbortMultipartUpload. An upload already gone (NoSuchUpload) is not an error.
  RemoteStatus abort_multipart_upload(std::string_view bucket, std::string_view key,
                                      std::string_view upload_id);

  // PutObjectTagging: replaces the tag set of the current version, or of `version_id`
  // (signed body, with its Content-MD5 as S3 requires).
  RemoteStatus put_object_tagging(std::string_view bucket, std::string_view key,
                                  const std::vector<std::pair<std::string, std::string>>& tags,
                                  std::optional<std::string_view> version_id = {});

  // ListObjectsV2: one page (up to 1,000 keys) under `prefix`, after `continuation_token`
  // (empty: the first page).
  RemoteResult<ListedObjects> list_objects_v2(std::string_view bucket, std::string_view prefix,
                                              std::string_view continuation_token = {});

  // ListMultipartUploads: one page (up to 1,000 uploads in progress) under `prefix`, after
  // the markers of the previous page (empty: the first page).
  RemoteResult<ListedUploads> list_multipart_uploads(std::string_view bucket,
                                                     std::string_view prefix,
                                                     std::string_view key_marker = {},
                                                     std::string_view upload_id_marker = {});

  // GetObject of bytes [offset, offset + length) of the current version, 1 <= length <=
  // max_range() (the transport's response cap), conditional on `etag` (If-Match) when it is
  // not empty.
  // Exactly `length` bytes, else an error (InvalidRange past the end).
  RemoteResult<std::string> get_range(std::string_view bucket, std::string_view key,
                                      uint64_t offset, uint64_t length,
                                      std::string_view etag = {});

  // GetObject as a stream: the object's bytes are fetched in ranges of `piece` bytes (at
  // most max_range()), each GET conditional on `etag` (If-Match), so
  // a body never sits in memory whole and an object replaced while it is read fails the
  // stream (PreconditionFailed) instead of mixing two versions. `size` is the object's size
  // as listed. The stream holds a pointer to this client, which must outlive it.
  std::unique_ptr<ByteSource> open_object(std::string bucket, std::string key, uint64_t size,
                                          std::string etag, uint64_t piece = 1 << 20);

  // DeleteObject: the current version (a delete marker in a versioned bucket), or one version.
  RemoteResult<DeleteResult> delete_object(std::string_view bucket, std::string_view key,
                                           std::optional<std::string_view> version_id = {});

 private:
  struct Call;
  struct Answer;
  RemoteS3Client(RemoteEndpoint endpoint, const Clock& clock, std::unique_ptr<HttpTransport> http);
  // Signs and performs one request; answers with status < 300 (and no error document when
  // `error_in_body` is set) are returned, anything else is the RemoteError it describes.
  RemoteResult<Answer> send(const Call& call);

  RemoteEndpoint endpoint_;
  const Clock& clock_;
  std::unique_ptr<HttpTransport> http_;
  struct Address;
  std::unique_ptr<Address> address_;
};

}  // namespace cv::remote
