// Decoding of `Content-Encoding: aws-chunked` bodies: the streaming SigV4 payload forms,
// with per-chunk signature checks and optional trailing headers (x-amz-checksum-*).
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auth/sigv4.h"
#include "core/byte_source.h"

namespace cv::auth {

// Wraps the raw request body and yields the decoded payload. For kStreamingSigned and
// kStreamingSignedTrailer every chunk signature (and the trailer signature) is verified
// against the chain started by identity.seed_signature; a mismatch fails the read with
// SignatureDoesNotMatch. Framing errors give IncompleteBody (the body ends early) /
// InvalidArgument (bad chunk header or chunk longer than its size) / MalformedTrailerError.
// When `decoded_length` (x-amz-decoded-content-length) is given the decoded size must match
// it exactly (IncompleteBody otherwise, as soon as it is exceeded).
// kStreamingUnsignedTrailer reads "size\r\n" chunks and an unsigned trailer; any other kind
// decodes the framing without checking signatures.
//
// A chunk's bytes are handed out before its signature (which follows them) can be checked:
// the failure comes on a later read, at the latest the one that would have returned 0, so a
// caller must only commit a body whose reads all succeeded up to the end. After an error
// every read returns it again. Reads the raw body 64 KiB at a time and never buffers more.
// Not thread-safe (one reader, as any ByteSource). `raw` must outlive this object; the
// identity is copied.
class AwsChunkedSource final : public ByteSource {
 public:
  AwsChunkedSource(ByteSource& raw, const Identity& identity,
                   std::optional<uint64_t> decoded_length);
  ~AwsChunkedSource() override;
  Result<size_t> read(std::span<char> out) override;
  // Trailing headers (lowercase names), available once read() has returned 0.
  const std::vector<std::pair<std::string, std::string>>& trailers() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Client side, for tests and the bench client: encodes `payload` as a signed aws-chunked
// body with chunks of `chunk_size`, chaining from `seed_signature`. With `trailers`, the
// trailer form (and its x-amz-trailer-signature) is produced.
std::string encode_aws_chunked(
    std::string_view payload, size_t chunk_size, std::string_view signing_key,
    std::string_view amz_date, std::string_view scope, std::string_view seed_signature,
    const std::vector<std::pair<std::string, std::string>>& trailers = {});

}  // namespace cv::auth
