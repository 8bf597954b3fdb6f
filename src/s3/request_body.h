// The decoded body of an upload request (PutObject, UploadPart, PostObject's file) and the
// integrity checks it must pass: x-amz-content-sha256, aws-chunked signatures, Content-MD5
// and x-amz-checksum-* (from headers or trailers).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "auth/aws_chunked.h"
#include "auth/sigv4.h"
#include "core/byte_source.h"
#include "core/http_message.h"
#include "vault/vault.h"

namespace cv::s3 {

class RequestBody {
 public:
  // Builds the decoding chain for `request` as authenticated by `identity`. Fails with
  // MissingContentLength, InvalidArgument (bad checksum algorithm), InvalidDigest.
  static Result<std::unique_ptr<RequestBody>> open(Request& request,
                                                   const auth::Identity& identity);
  ~RequestBody();

  ByteSource& source() { return *top_; }
  // The payload length when the request declares it.
  std::optional<uint64_t> length() const { return length_; }
  vault::ChecksumAlgorithm checksum_algorithm() const { return algorithm_; }
  // Checks Content-MD5 and the declared checksum (header, or trailer once the body is read).
  vault::BodyCheck check() const;

 private:
  RequestBody() = default;
  Request* request_ = nullptr;
  std::unique_ptr<auth::AwsChunkedSource> chunked_;
  std::unique_ptr<ByteSource> sha256_;
  ByteSource* top_ = nullptr;
  std::optional<uint64_t> length_;
  vault::ChecksumAlgorithm algorithm_ = vault::ChecksumAlgorithm::kNone;
  std::optional<std::string> content_md5_;  // raw 16 bytes
};

// Whether a request document must carry Content-MD5 or an x-amz-checksum-* value (in a
// header or an aws-chunked trailer), as S3 requires for DeleteObjects, PutBucketLifecycle...
enum class IntegrityHeader { kOptional, kRequired };

// Reads a whole request document (an XML body) of at most `limit` bytes through the same
// chain as uploads: aws-chunked decoding and its chunk signatures, the signed
// x-amz-content-sha256, Content-MD5 and the declared checksum are all verified before the
// text is returned. A request without Content-Length or Transfer-Encoding has an empty body
// (RFC 9112 §6.3). Fails with InvalidRequest "Missing required header for this request:
// Content-MD5" when `integrity` is kRequired and neither is present; otherwise with the
// errors of RequestBody::open, read_all (MaxMessageLengthExceeded) and RequestBody::check.
Result<std::string> read_request_document(Request& request, const auth::Identity& identity,
                                          size_t limit, IntegrityHeader integrity);

// The checksum algorithm a request names (x-amz-sdk-checksum-algorithm,
// x-amz-checksum-algorithm, an x-amz-checksum-* header or x-amz-trailer).
Result<vault::ChecksumAlgorithm> requested_checksum(const Headers& headers);

}  // namespace cv::s3
