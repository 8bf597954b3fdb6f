// Signatures of the aws-chunked streaming forms: each chunk's and the trailer's, chained from
// the request's seed signature. Internal to the auth layer; pure functions.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
#pragma once

#include <string>
#include <string_view>

namespace cv::auth {

// Lowercase hex signature of a chunk whose data hashes (SHA-256, raw bytes) to `data_sha256`:
// HMAC over "AWS4-HMAC-SHA256-PAYLOAD\n" date "\n" scope "\n" previous "\n" hex(sha256(""))
// "\n" hex(data_sha256).
std::string chunk_signature(std::string_view signing_key, std::string_view amz_date,
                            std::string_view scope, std::string_view previous_signature,
                            std::string_view data_sha256);

// Lowercase hex signature of the trailer: HMAC over "AWS4-HMAC-SHA256-TRAILER\n" date "\n"
// scope "\n" previous "\n" hex(sha256(canonical_trailers)), where canonical_trailers is
// "name:value\n" for each trailing header (x-amz-trailer-signature excluded).
std::string trailer_signature(std::string_view signing_key, std::string_view amz_date,
                              std::string_view scope, std::string_view previous_signature,
                              std::string_view canonical_trailers);

}  // namespace cv::auth
