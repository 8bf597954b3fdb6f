#include "s3_requests.h"

#include "core/clock.h"
#include "core/encoding.h"

namespace cv::bench {

S3RequestBuilder::S3RequestBuilder(Endpoint endpoint,
                                   std::optional<auth::SigningCredentials> credentials)
    : endpoint_(std::move(endpoint)),
      authority_(endpoint_.authority()),
      credentials_(std::move(credentials)) {}

void S3RequestBuilder::build_head(std::string_view method, std::string_view path,
                                  const QueryParams& query, std::optional<uint64_t> content_length,
                                  std::string& out,
                                  const std::vector<std::pair<std::string, std::string>>& headers)
    const {
  out.clear();
  out.append(method);
  out += ' ';
  out.append(path);
  for (size_t i = 0; i < query.size(); ++i) {
    out += i == 0 ? '?' : '&';
    out += uri_encode(query[i].first);
    if (!query[i].second.empty()) {
      out += '=';
      out += uri_encode(query[i].second);
    }
  }
  out += " HTTP/1.1\r\n";
  if (credentials_) {
    auth::SigningRequest signing;
    signing.method = std::string(method);
    signing.host = authority_;
    signing.path = std::string(path);
    signing.query = query;
    signing.payload_hash = "UNSIGNED-PAYLOAD";
    signing.headers = headers;
    for (const auto& [name, value] :
         auth::sign_request(signing, *credentials_, std::chrono::system_clock::now())) {
      out += name;
      out += ": ";
      out += value;
      out += "\r\n";
    }
  } else {
    out += "host: ";
    out += authority_;
    out += "\r\n";
  }
  for (const auto& [name, value] : headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (content_length) {
    out += "content-length: ";
    out += std::to_string(*content_length);
    out += "\r\n";
  }
  out += "\r\n";
}

std::string object_path(std::string_view bucket, std::string_view key) {
  std::string path = "/";
  path += uri_encode(bucket);
  path += '/';
  path += uri_encode(key, /*encode_slash=*/false);
  return path;
}

}  // namespace cv::bench
