// encode_aws_chunked: the client side of the signed aws-chunked forms, for tests and the
// bench client.
#include <algorithm>
#include <cstdio>

#include "auth/aws_chunked.h"
#include "auth/chunk_signature.h"
#include "core/hash.h"

namespace cv::auth {
namespace {

std::string hex_size(size_t size) {
  char buf[24];
  const int n = std::snprintf(buf, sizeof buf, "%zx", size);
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace

std::string encode_aws_chunked(std::string_view payload, size_t chunk_size,
                               std::string_view signing_key, std::string_view amz_date,
                               std::string_view scope, std::string_view seed_signature,
                               const std::vector<std::pair<std::string, std::string>>& trailers) {
  if (chunk_size == 0) chunk_size = std::max<size_t>(payload.size(), 1);
  std::string out;
  out.reserve(payload.size() + (payload.size() / chunk_size + 2) * 90 + trailers.size() * 64);
  std::string previous(seed_signature);
  auto emit_header = [&](std::string_view data) {
    previous = chunk_signature(signing_key, amz_date, scope, previous, sha256(data));
    out += hex_size(data.size());
    out += ";chunk-signature=";
    out += previous;
    out += "\r\n";
  };
  for (size_t offset = 0; offset < payload.size(); offset += chunk_size) {
    const std::string_view data = payload.substr(offset, chunk_size);
    emit_header(data);
    out += data;
    out += "\r\n";
  }
  emit_header({});
  if (trailers.empty()) {
    out += "\r\n";
    return out;
  }
  std::string canonical;
  for (const auto& [name, value] : trailers) {
    canonical += name + ":" + value + "\n";
    out += name + ":" + value + "\r\n";
  }
  out += "x-amz-trailer-signature:";
  out += trailer_signature(signing_key, amz_date, scope, previous, canonical);
  out += "\r\n\r\n";
  return out;
}

}  // namespace cv::auth
