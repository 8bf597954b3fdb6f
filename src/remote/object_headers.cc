#include "remote/object_headers.h"

#include <array>
#include <charconv>

#include "core/encoding.h"
#include "remote/s3_documents.h"

namespace cv::remote {
namespace {

constexpr std::array<std::string_view, 11> kPassThrough = {"content-type",
                                                           "cache-control",
                                                           "content-disposition",
                                                           "content-encoding",
                                                           "content-language",
                                                           "expires",
                                                           "content-md5",
                                                           "x-amz-tagging",
                                                           "x-amz-storage-class",
                                                           "x-amz-website-redirect-location",
                                                           "x-amz-server-side-encryption"};

constexpr std::array<std::string_view, 4> kPassThroughPrefixes = {
    "x-amz-meta-", "x-amz-server-side-encryption-", "x-amz-object-lock-", "x-amz-checksum-"};

// The headers of a HEAD answer ObjectInfo::headers keeps.
constexpr std::array<std::string_view, 6> kAnswerHeaders = {
    "cache-control", "content-disposition",         "content-encoding", "content-language",
    "expires",       "x-amz-server-side-encryption"};

constexpr std::string_view kMetaPrefix = "x-amz-meta-";

bool is_token(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

bool passes_through(std::string_view lower) {
  for (std::string_view name : kPassThrough) {
    if (lower == name) return true;
  }
  for (std::string_view prefix : kPassThroughPrefixes) {
    if (lower.starts_with(prefix) && lower.size() > prefix.size()) return true;
  }
  return false;
}

}  // namespace

RemoteStatus check_object_headers(const ObjectHeaders& headers) {
  for (const auto& [name, value] : headers) {
    if (!is_token(name)) return std::unexpected(argument_error("bad header name: " + name));
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      return std::unexpected(argument_error("header " + name + " has CR, LF or NUL in its value"));
    }
    if (!passes_through(to_lower(name))) {
      return std::unexpected(argument_error("header " + name + " is not an object header"));
    }
  }
  return {};
}

bool is_md5_etag(std::string_view etag) {
  if (etag.size() != 32) return false;
  for (char c : etag) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

RemoteResult<ObjectInfo> object_info_from_headers(const Headers& headers) {
  ObjectInfo info;
  const std::string_view length = headers.get("content-length");
  if (length.empty() ||
      std::from_chars(length.data(), length.data() + length.size(), info.size).ptr !=
          length.data() + length.size()) {
    return std::unexpected(protocol_error("HEAD answer without a valid Content-Length", false,
                                          ErrorCode::kInternalError));
  }
  info.etag = unquote_etag(headers.get("etag"));
  if (const std::string* date = headers.find("last-modified")) {
    info.last_modified = parse_http_date(*date);
  }
  info.content_type = std::string(headers.get("content-type"));
  if (const std::string* version = headers.find("x-amz-version-id")) info.version_id = *version;
  info.replication_status = std::string(headers.get("x-amz-replication-status"));
  info.storage_class = std::string(headers.get("x-amz-storage-class"));
  const std::string_view tags = headers.get("x-amz-tagging-count");
  std::from_chars(tags.data(), tags.data() + tags.size(), info.tag_count);
  for (const auto& [name, value] : headers.fields()) {
    if (name.starts_with(kMetaPrefix)) {
      info.metadata.emplace_back(name.substr(kMetaPrefix.size()), value);
      if (name == kSourceVersionIdHeader) info.source_version_id = value;
    }
    for (std::string_view kept : kAnswerHeaders) {
      if (name == kept) info.headers.emplace_back(name, value);
    }
  }
  return info;
}

}  // namespace cv::remote
