// GetObjectAttributes: an object's ETag, checksum, parts, storage class and size in one XML
// document, without its body.
#include <algorithm>
#include <array>
#include <charconv>
#include <set>

#include "core/clock.h"
#include "core/encoding.h"
#include "s3/call.h"
#include "s3/encryption_headers.h"
#include "s3/error_response.h"
#include "s3/object_headers.h"
#include "s3/xml.h"

namespace cv::s3 {
namespace {

constexpr std::array<std::string_view, 5> kAttributeNames = {"ETag", "Checksum", "ObjectParts",
                                                             "StorageClass", "ObjectSize"};
constexpr uint32_t kDefaultMaxParts = 1000;

// The attributes x-amz-object-attributes names (InvalidArgument for an unknown one or none).
Result<std::set<std::string, std::less<>>> requested_attributes(const Headers& headers) {
  std::set<std::string, std::less<>> names;
  for (const auto& [name, value] : headers.fields()) {
    if (name != "x-amz-object-attributes") continue;
    for (std::string_view item : split_list(value)) {
      if (std::find(kAttributeNames.begin(), kAttributeNames.end(), item) ==
          kAttributeNames.end()) {
        return fail(ErrorCode::kInvalidArgument, "Invalid attribute name specified.");
      }
      names.emplace(item);
    }
  }
  if (names.empty()) {
    return fail(ErrorCode::kInvalidArgument,
                "The x-amz-object-attributes header specifying the attributes to be retrieved "
                "is either missing or empty");
  }
  return names;
}

// A non-negative integer header (x-amz-max-parts, x-amz-part-number-marker).
Result<std::optional<uint32_t>> number_header(const Headers& headers, std::string_view name) {
  const std::string* text = headers.find(name);
  if (!text) return std::optional<uint32_t>();
  uint32_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) {
    return fail(ErrorCode::kInvalidArgument,
                "Provided " + std::string(name) + " not an integer or within integer range");
  }
  return std::optional<uint32_t>(value);
}

// "CRC32" -> "ChecksumCRC32".
std::string checksum_element(std::string_view algorithm) {
  return "Checksum" + std::string(algorithm);
}

void add_checksum(pugi::xml_node parent, const meta::ObjectVersion& object) {
  if (object.checksum_algorithm.empty() || object.checksum_value.empty()) return;
  auto node = parent.append_child("Checksum");
  add_text(node, checksum_element(object.checksum_algorithm), object.checksum_value);
  add_text(node, "ChecksumType", checksum_type_of(object));
}

Status add_parts(pugi::xml_node parent, const meta::ObjectVersion& object, const Headers& headers) {
  const uint32_t max_parts =
      CV_TRY(number_header(headers, "x-amz-max-parts")).value_or(kDefaultMaxParts);
  const uint32_t marker = CV_TRY(number_header(headers, "x-amz-part-number-marker")).value_or(0);
  if (object.parts_count == 0) return {};  // S3 lists parts of multipart objects only
  auto node = parent.append_child("ObjectParts");
  add_text(node, "PartsCount", std::to_string(object.parts_count));
  add_text(node, "PartNumberMarker", std::to_string(marker));
  add_text(node, "MaxParts", std::to_string(max_parts));
  const uint32_t parts = static_cast<uint32_t>(object.blobs.size());
  uint32_t last = marker;
  uint32_t listed = 0;
  for (uint32_t number = marker + 1; number <= parts && listed < max_parts; ++number, ++listed) {
    auto part = node.append_child("Part");
    const std::string* checksum =
        number - 1 < object.part_checksums.size() ? &object.part_checksums[number - 1] : nullptr;
    if (checksum && !checksum->empty() && !object.checksum_algorithm.empty()) {
      add_text(part, checksum_element(object.checksum_algorithm), *checksum);
    }
    add_text(part, "PartNumber", std::to_string(number));
    add_text(part, "Size", std::to_string(object.blobs[number - 1].size));
    last = number;
  }
  const bool truncated = last < parts;
  add_text(node, "IsTruncated", truncated ? "true" : "false");
  if (truncated) add_text(node, "NextPartNumberMarker", std::to_string(last));
  return {};
}

}  // namespace

Result<Response> get_object_attributes(const Services& services, Call& call) {
  const auto names = CV_TRY(requested_attributes(call.request.headers));
  const auto provided_key = CV_TRY(customer_key(call.request.headers, KeyHeaders::kObject, false));
  const std::string* version = find_param(call.request.params, "versionId");
  const auto object = CV_TRY(
      services.vault.get_version(call.route.bucket, call.route.key, version ? *version : ""));
  if (object.is_delete_marker) {
    // As GetObject: the marker's headers ride on the error.
    const Error error =
        version ? Error{ErrorCode::kMethodNotAllowed, {}, call.route.key}
                : Error{ErrorCode::kNoSuchKey, "The specified key does not exist.", call.route.key};
    Response refusal = error_response(error, call.request);
    refusal.headers.add("x-amz-delete-marker", "true");
    add_version_header(services, call, object.version_id, refusal.headers);
    refusal.headers.add("last-modified", format_http_date(from_unix_nanos(object.mtime_ns)));
    return refusal;
  }
  // An SSE-C version answers only with its key.
  CV_TRY(services.vault.check_customer_key(object, provided_key ? &*provided_key : nullptr));
  XmlWriter xml("GetObjectAttributesResponse");
  auto root = xml.root();
  if (names.contains("ETag")) add_text(root, "ETag", object.etag);
  if (names.contains("Checksum")) add_checksum(root, object);
  if (names.contains("ObjectParts")) CV_TRY(add_parts(root, object, call.request.headers));
  if (names.contains("StorageClass")) {
    add_text(root, "StorageClass",
             object.storage_class.empty() ? "STANDARD" : object.storage_class);
  }
  if (names.contains("ObjectSize")) add_text(root, "ObjectSize", std::to_string(object.size));
  Response response = xml_response(xml.str());
  response.headers.add("last-modified", format_http_date(from_unix_nanos(object.mtime_ns)));
  add_version_header(services, call, object.version_id, response.headers);
  return response;
}

}  // namespace cv::s3
