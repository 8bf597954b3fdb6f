#include "remote/s3_blob_url.h"

#include <boost/url/parse.hpp>

#include <set>

#include "remote/endpoint.h"

namespace cv::remote {
namespace {

Error invalid(std::string_view text, std::string_view why) {
  return Error{ErrorCode::kInvalidArgument,
               "blob store URL '" + std::string(text) + "': " + std::string(why)};
}

// S3's rules for new bucket names: 3-63 of a-z 0-9 . -, starting and ending with a letter or
// digit.
bool valid_bucket(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  for (char c : name) {
    if (!alnum(c) && c != '.' && c != '-') return false;
  }
  return alnum(name.front()) && alnum(name.back());
}

bool valid_prefix(std::string_view prefix) {
  size_t start = 0;
  while (start < prefix.size()) {
    const size_t end = std::min(prefix.find('/', start), prefix.size());
    const std::string_view segment = prefix.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return true;
}

}  // namespace

Result<S3BlobUrl> parse_s3_blob_url(std::string_view text) {
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed) return std::unexpected(invalid(text, "not a URL"));
  if (parsed->scheme() != "s3") return std::unexpected(invalid(text, "the scheme must be s3://"));
  if (parsed->has_userinfo() || parsed->has_port() || parsed->has_fragment()) {
    return std::unexpected(invalid(text, "write s3://BUCKET/PREFIX?endpoint=URL&region=R"));
  }
  S3BlobUrl url;
  url.bucket = std::string(parsed->host());
  if (!valid_bucket(url.bucket)) {
    return std::unexpected(invalid(text, "'" + url.bucket + "' is not a valid bucket name"));
  }
  std::string path = std::string(parsed->path());
  while (!path.empty() && path.front() == '/') path.erase(0, 1);
  if (!path.empty() && path.back() == '/') path.pop_back();
  if (!valid_prefix(path)) {
    return std::unexpected(invalid(text, "the prefix has an empty, '.' or '..' segment"));
  }
  url.prefix = path.empty() ? "" : path + "/";
  std::set<std::string> seen;
  std::string endpoint;
  for (const auto& param : parsed->params()) {
    const std::string key(param.key);
    if (!seen.insert(key).second) return std::unexpected(invalid(text, key + " is given twice"));
    const std::string value(param.value);
    if (key == "endpoint") {
      endpoint = value;
    } else if (key == "region") {
      if (value.empty()) return std::unexpected(invalid(text, "region is empty"));
      url.region = value;
    } else if (key == "path_style") {
      if (value != "true" && value != "false") {
        return std::unexpected(invalid(text, "path_style is true or false"));
      }
      url.path_style = value == "true";
    } else {
      return std::unexpected(
          invalid(text, "unknown parameter '" + key + "' (endpoint, region, path_style)"));
    }
  }
  url.endpoint = endpoint.empty() ? "https://s3." + url.region + ".amazonaws.com" : endpoint;
  while (url.endpoint.size() > 1 && url.endpoint.back() == '/') url.endpoint.pop_back();
  if (auto address = parse_endpoint(url.endpoint); !address) {
    return std::unexpected(invalid(text, address.error().error.message));
  }
  return url;
}

std::string to_string(const S3BlobUrl& url) {
  std::string out = "s3://" + url.bucket + "/" + url.prefix + "?endpoint=" + url.endpoint +
                    "&region=" + url.region;
  if (!url.path_style) out += "&path_style=false";
  return out;
}

}  // namespace cv::remote
