// Where an S3 blob store keeps object bodies, as `--blob` and `[storage] blob` name it:
//
//   s3://BUCKET[/PREFIX]?endpoint=URL&region=R&path_style=true|false
//
// endpoint: http(s)://host[:port] (default https://s3.<region>.amazonaws.com); region: the
// signing region (default us-east-1); path_style: "endpoint/bucket/key" (default true) or
// "bucket.endpoint/key". The prefix is stored with one trailing '/' ("" when absent), so blob
// keys are "<prefix><id>". Query values may be percent-encoded. Pure, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace cv::remote {

struct S3BlobUrl {
  std::string bucket;
  std::string prefix;  // "" or ends with '/'
  std::string endpoint;
  std::string region = "us-east-1";
  bool path_style = true;
};

// InvalidArgument, naming the problem, for anything else: another scheme, no bucket, a
// bucket name S3 would refuse, an unknown or repeated parameter, an endpoint that is not
// http(s)://host[:port], "//" or "." or ".." segments in the prefix.
Result<S3BlobUrl> parse_s3_blob_url(std::string_view text);

// The URL again, without credentials (there are none in it): for logs and the console.
std::string to_string(const S3BlobUrl& url);

}  // namespace cv::remote
