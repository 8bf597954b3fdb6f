// Where a remote S3 endpoint is and how requests to it are addressed. Internal to the remote
// layer. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/http_message.h"
#include "remote/remote_error.h"

namespace cv::remote {

// An endpoint URL taken apart: "https://s3.eu-west-1.amazonaws.com", "http://127.0.0.1:9000".
struct EndpointAddress {
  std::string scheme;  // "http" or "https"
  std::string host;    // as in the URL ("[::1]" for IPv6)
  std::string port;    // empty when the URL has none
  // Host header for path-style requests: host, plus ":port" unless it is the scheme's default.
  std::string host_header;
};

// Accepts http and https URLs with a host, an optional port and an empty or "/" path;
// anything else (user info, a path, a query, another scheme) is an argument error.
RemoteResult<EndpointAddress> parse_endpoint(std::string_view url);

// One request's target: what curl is given and what the signer signs.
struct RequestTarget {
  std::string url;    // full URL, path and query percent-encoded
  std::string host;   // Host header value
  std::string path;   // encoded path, e.g. "/bucket/a%20b/c"
  QueryParams query;  // decoded parameters
};

// Path-style ("host/bucket/key") or virtual-hosted-style ("bucket.host/key") target. The key
// is encoded as SigV4 canonicalizes it: every byte but A-Z a-z 0-9 - _ . ~ and '/' becomes %XX,
// so spaces, '+', '%', '?', '#', unicode and control characters round-trip. An empty key
// addresses the bucket. Query parameters with an empty value are written as a bare name
// ("?uploads").
RequestTarget address(const EndpointAddress& endpoint, bool path_style, std::string_view bucket,
                      std::string_view key, QueryParams query);

}  // namespace cv::remote
