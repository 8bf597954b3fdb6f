// Mapping between HTTP headers and an object's stored attributes.
#pragma once

#include "core/http_message.h"
#include "meta/types.h"

namespace cv::s3 {

// Content-Type, Cache-Control, Content-Disposition, Content-Encoding (without aws-chunked),
// Content-Language, Expires, x-amz-meta-*, x-amz-tagging, x-amz-storage-class.
// Fails with InvalidTag, InvalidStorageClass, InvalidArgument. (SSE headers: see
// encryption_headers.h.)
Result<meta::ObjectVersion> attributes_from_headers(const Headers& headers);

// Parses "k1=v1&k2=v2" (x-amz-tagging) with S3's tag limits (InvalidTag).
Result<meta::StringPairs> parse_tagging_header(std::string_view text);
Status validate_tags(const meta::StringPairs& tags);

// ETag, Last-Modified, Content-Type, stored headers, x-amz-meta-*, x-amz-tagging-count,
// x-amz-storage-class (when not STANDARD), x-amz-mp-parts-count; checksum headers when
// `with_checksum`.
void write_object_headers(const meta::ObjectVersion& object, bool with_checksum, Headers& headers);

std::string quoted_etag(std::string_view etag);

// S3's x-amz-checksum-type of a version that has a checksum: FULL_OBJECT or COMPOSITE.
std::string_view checksum_type_of(const meta::ObjectVersion& object);

}  // namespace cv::s3
