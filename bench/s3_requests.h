// Builds the heads of the S3 requests the bench sends, signed with SigV4 (payload
// "UNSIGNED-PAYLOAD") through cv::auth::sign_request, or unsigned for plain web servers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/sigv4.h"
#include "core/http_message.h"
#include "http_client.h"

namespace cv::bench {

// Thread-safe (const after construction).
class S3RequestBuilder {
 public:
  // Without credentials the requests are unsigned.
  S3RequestBuilder(Endpoint endpoint, std::optional<auth::SigningCredentials> credentials);

  // Writes the head of `method path?query` into `out` (replacing its contents). `path` is
  // already percent-encoded as it goes on the wire; `query` is decoded and gets encoded here.
  // A Content-Length field is added when `content_length` is set.
  // `headers` are added and signed (x-amz-copy-source, ...).
  void build_head(std::string_view method, std::string_view path, const QueryParams& query,
                  std::optional<uint64_t> content_length, std::string& out,
                  const std::vector<std::pair<std::string, std::string>>& headers = {}) const;

  std::string head(std::string_view method, std::string_view path, const QueryParams& query = {},
                   std::optional<uint64_t> content_length = std::nullopt) const {
    std::string out;
    build_head(method, path, query, content_length, out);
    return out;
  }

 private:
  Endpoint endpoint_;
  std::string authority_;
  std::optional<auth::SigningCredentials> credentials_;
};

// "/bucket/key" with the key percent-encoded (slashes kept).
std::string object_path(std::string_view bucket, std::string_view key);

}  // namespace cv::bench
