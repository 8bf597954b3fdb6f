#include "s3/object_headers.h"

#include <algorithm>
#include <array>
#include <set>

#include "core/clock.h"
#include "core/encoding.h"
#include "s3/object_lock_headers.h"
#include "vault/storage_class.h"
#include "vault/vault.h"

namespace cv::s3 {
namespace {

constexpr std::array kStoredHeaders = {"cache-control", "content-disposition", "content-encoding",
                                       "content-language", "expires"};
constexpr std::string_view kMetaPrefix = "x-amz-meta-";

// The Content-Encoding the object keeps: every Content-Encoding field of the request (repeated
// fields joined with ", ", as one list), byte for byte, except "aws-chunked", which describes
// the transfer and not the object (when present, the other codings are kept in order).
std::string stored_content_encoding(const Headers& headers) {
  std::string joined;
  for (const auto& [name, value] : headers.fields()) {
    if (name != "content-encoding") continue;
    if (!joined.empty()) joined += ", ";
    joined += value;
  }
  bool chunked = false;
  for (const std::string_view item : split_list(joined)) {
    if (ascii_iequals(item, "aws-chunked")) chunked = true;
  }
  if (!chunked) return joined;
  std::string out;
  for (const std::string_view item : split_list(joined)) {
    if (ascii_iequals(item, "aws-chunked")) continue;
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

}  // namespace

std::string quoted_etag(std::string_view etag) { return "\"" + std::string(etag) + "\""; }

std::string_view checksum_type_of(const meta::ObjectVersion& object) {
  if (!object.checksum_type.empty()) return object.checksum_type;
  // Rows from before the type was kept: composite values end in "-<parts>".
  return object.checksum_value.find('-') != std::string::npos ? "COMPOSITE" : "FULL_OBJECT";
}

Status validate_tags(const meta::StringPairs& tags) {
  if (tags.size() > 10)
    return fail(ErrorCode::kInvalidTag, "Object tags cannot be greater than 10");
  std::set<std::string_view> keys;
  for (const auto& [key, value] : tags) {
    if (key.empty() || key.size() > 128 || !is_valid_utf8(key)) {
      return fail(ErrorCode::kInvalidTag, "The TagKey you have provided is invalid");
    }
    if (value.size() > 256 || !is_valid_utf8(value)) {
      return fail(ErrorCode::kInvalidTag, "The TagValue you have provided is invalid");
    }
    if (!keys.insert(key).second) {
      return fail(ErrorCode::kInvalidTag, "Cannot provide multiple Tags with the same key");
    }
  }
  return {};
}

Result<meta::StringPairs> parse_tagging_header(std::string_view text) {
  auto params = parse_query(text);
  if (!params) return fail(ErrorCode::kInvalidTag, "The x-amz-tagging header is malformed");
  meta::StringPairs tags(params->begin(), params->end());
  CV_TRY(validate_tags(tags));
  return tags;
}

Result<meta::ObjectVersion> attributes_from_headers(const Headers& headers) {
  meta::ObjectVersion attributes;
  attributes.content_type = headers.get("content-type", "binary/octet-stream");
  if (attributes.content_type.empty()) attributes.content_type = "binary/octet-stream";
  for (const char* name : kStoredHeaders) {
    const std::string* value = headers.find(name);
    if (!value) continue;
    std::string stored =
        std::string_view(name) == "content-encoding" ? stored_content_encoding(headers) : *value;
    if (!stored.empty()) attributes.headers.emplace_back(name, std::move(stored));
  }
  for (const auto& [name, value] : headers.fields()) {
    if (name.starts_with(kMetaPrefix) && name.size() > kMetaPrefix.size()) {
      attributes.user_metadata.emplace_back(name.substr(kMetaPrefix.size()), value);
    }
  }
  if (const std::string* tagging = headers.find("x-amz-tagging")) {
    attributes.tags = CV_TRY(parse_tagging_header(*tagging));
  }
  if (const std::string* storage_class = headers.find("x-amz-storage-class")) {
    if (!vault::parse_storage_class(*storage_class) || storage_class->empty()) {
      return fail(ErrorCode::kInvalidStorageClass,
                  "The storage class you specified is not valid (this server keeps STANDARD, "
                  "STANDARD_IA and GLACIER)",
                  *storage_class);
    }
    attributes.storage_class = *storage_class;
  }
  attributes.lock = CV_TRY(lock_from_headers(headers));
  return attributes;
}

void write_object_headers(const meta::ObjectVersion& object, bool with_checksum, Headers& headers) {
  headers.add("etag", quoted_etag(object.etag));
  headers.add("last-modified", format_http_date(from_unix_nanos(object.mtime_ns)));
  headers.add("content-type", object.content_type);
  headers.add("accept-ranges", "bytes");
  for (const auto& [name, value] : object.headers) headers.add(name, value);
  for (const auto& [name, value] : object.user_metadata) {
    headers.add(std::string(kMetaPrefix) + name, value);
  }
  if (!object.tags.empty()) headers.add("x-amz-tagging-count", std::to_string(object.tags.size()));
  write_lock_headers(object.lock, headers);
  if (object.storage_class != "STANDARD" && !object.storage_class.empty()) {
    headers.add("x-amz-storage-class", object.storage_class);
  }
  if (object.restore) {
    headers.add("x-amz-restore",
                object.restore->ongoing
                    ? std::string("ongoing-request=\"true\"")
                    : "ongoing-request=\"false\", expiry-date=\"" +
                          format_http_date(from_unix_nanos(object.restore->expiry_ns)) + "\"");
  }
  if (!object.replication_status.empty()) {
    headers.add("x-amz-replication-status", object.replication_status);
  }
  if (object.parts_count > 0) {
    headers.add("x-amz-mp-parts-count", std::to_string(object.parts_count));
  }
  if (with_checksum && !object.checksum_algorithm.empty() && !object.checksum_value.empty()) {
    headers.add("x-amz-checksum-" + to_lower(object.checksum_algorithm), object.checksum_value);
    headers.add("x-amz-checksum-type", checksum_type_of(object));
  }
}

}  // namespace cv::s3
