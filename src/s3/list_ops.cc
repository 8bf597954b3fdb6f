// ListObjects (v1), ListObjectsV2 and ListMultipartUploads.
#include <charconv>

#include "core/clock.h"
#include "core/encoding.h"
#include "s3/call.h"
#include "s3/object_headers.h"
#include "s3/xml.h"

namespace cv::s3 {
namespace {

std::string param(const Call& call, std::string_view name) {
  const std::string* value = find_param(call.request.params, name);
  return value ? *value : "";
}

Result<uint32_t> max_param(const Call& call, std::string_view name) {
  const std::string* text = find_param(call.request.params, name);
  if (!text) return 1000u;
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < 0) {
    return fail(ErrorCode::kInvalidArgument,
                "Provided " + std::string(name) + " not an integer or within integer range");
  }
  return static_cast<uint32_t>(std::min<int64_t>(value, 1000));
}

// Encodes a listing value when the client asked for encoding-type=url.
struct Encoder {
  bool url = false;
  std::string operator()(std::string_view text) const {
    return url ? uri_encode(text, false) : std::string(text);
  }
};

Result<Encoder> encoder_for(const Call& call) {
  const std::string* type = find_param(call.request.params, "encoding-type");
  if (!type) return Encoder{};
  if (*type != "url")
    return fail(ErrorCode::kInvalidArgument, "Invalid Encoding Method specified in Request");
  return Encoder{true};
}

void add_owner(const Services& services, pugi::xml_node parent, const std::string& owner_id,
               const char* element = "Owner") {
  auto owner = parent.append_child(element);
  add_text(owner, "ID", owner_id);
  add_text(owner, "DisplayName", services.owners.display_name(owner_id));
}

void add_entries(const Services& services, pugi::xml_node root, const meta::ListObjectsPage& page,
                 const Encoder& encode, bool with_owner) {
  for (const auto& object : page.objects) {
    auto contents = root.append_child("Contents");
    add_text(contents, "Key", encode(object.key));
    add_text(contents, "LastModified", format_iso8601(from_unix_nanos(object.mtime_ns)));
    add_text(contents, "ETag", quoted_etag(object.etag));
    add_text(contents, "Size", std::to_string(object.size));
    if (with_owner) add_owner(services, contents, object.owner_id);
    add_text(contents, "StorageClass",
             object.storage_class.empty() ? "STANDARD" : object.storage_class);
  }
  for (const auto& prefix : page.common_prefixes) {
    add_text(root.append_child("CommonPrefixes"), "Prefix", encode(prefix));
  }
}

}  // namespace

Result<Response> list_objects_v1(const Services& services, Call& call) {
  const Encoder encode = CV_TRY(encoder_for(call));
  meta::ListObjectsQuery query;
  query.bucket = call.route.bucket;
  query.prefix = param(call, "prefix");
  query.delimiter = param(call, "delimiter");
  query.start_after = param(call, "marker");
  query.max_keys = CV_TRY(max_param(call, "max-keys"));
  const auto page = CV_TRY(services.vault.list_objects(query));

  XmlWriter xml("ListBucketResult");
  auto root = xml.root();
  add_text(root, "Name", call.route.bucket);
  add_text(root, "Prefix", encode(query.prefix));
  add_text(root, "Marker", encode(query.start_after));
  add_text(root, "MaxKeys",
           param(call, "max-keys").empty() ? "1000" : std::to_string(query.max_keys));
  if (!query.delimiter.empty()) add_text(root, "Delimiter", encode(query.delimiter));
  add_text(root, "IsTruncated", page.truncated ? "true" : "false");
  if (page.truncated && !query.delimiter.empty()) {
    add_text(root, "NextMarker", encode(page.last_entry));
  }
  if (encode.url) add_text(root, "EncodingType", "url");
  add_entries(services, root, page, encode, true);
  return xml_response(xml.str());
}

Result<Response> list_objects_v2(const Services& services, Call& call) {
  const Encoder encode = CV_TRY(encoder_for(call));
  meta::ListObjectsQuery query;
  query.bucket = call.route.bucket;
  query.prefix = param(call, "prefix");
  query.delimiter = param(call, "delimiter");
  query.max_keys = CV_TRY(max_param(call, "max-keys"));
  const std::string start_after = param(call, "start-after");
  const std::string* token = find_param(call.request.params, "continuation-token");
  query.start_after = start_after;
  if (token) {
    auto decoded = base64_decode(*token);
    if (!decoded || !decoded->starts_with("cv1:")) {
      return fail(ErrorCode::kInvalidArgument, "The continuation token provided is incorrect");
    }
    query.start_after = std::max(start_after, decoded->substr(4));
  }
  const auto page = CV_TRY(services.vault.list_objects(query));

  XmlWriter xml("ListBucketResult");
  auto root = xml.root();
  add_text(root, "Name", call.route.bucket);
  add_text(root, "Prefix", encode(query.prefix));
  add_text(root, "MaxKeys", std::to_string(query.max_keys));
  add_text(root, "KeyCount", std::to_string(page.objects.size() + page.common_prefixes.size()));
  if (!query.delimiter.empty()) add_text(root, "Delimiter", encode(query.delimiter));
  add_text(root, "IsTruncated", page.truncated ? "true" : "false");
  if (token) add_text(root, "ContinuationToken", *token);
  if (page.truncated)
    add_text(root, "NextContinuationToken", base64_encode("cv1:" + page.last_entry));
  if (!start_after.empty()) add_text(root, "StartAfter", encode(start_after));
  if (encode.url) add_text(root, "EncodingType", "url");
  add_entries(services, root, page, encode, param(call, "fetch-owner") == "true");
  return xml_response(xml.str());
}

Result<Response> list_multipart_uploads(const Services& services, Call& call) {
  const Encoder encode = CV_TRY(encoder_for(call));
  meta::ListUploadsQuery query;
  query.bucket = call.route.bucket;
  query.prefix = param(call, "prefix");
  query.delimiter = param(call, "delimiter");
  query.key_marker = param(call, "key-marker");
  query.upload_id_marker = param(call, "upload-id-marker");
  query.max_uploads = CV_TRY(max_param(call, "max-uploads"));
  const auto page = CV_TRY(services.vault.list_uploads(query));

  XmlWriter xml("ListMultipartUploadsResult");
  auto root = xml.root();
  add_text(root, "Bucket", call.route.bucket);
  add_text(root, "KeyMarker", encode(query.key_marker));
  add_text(root, "UploadIdMarker", query.upload_id_marker);
  add_text(root, "NextKeyMarker", encode(page.next_key_marker));
  add_text(root, "NextUploadIdMarker", page.next_upload_id_marker);
  if (!query.prefix.empty()) add_text(root, "Prefix", encode(query.prefix));
  if (!query.delimiter.empty()) add_text(root, "Delimiter", encode(query.delimiter));
  add_text(root, "MaxUploads", std::to_string(query.max_uploads));
  add_text(root, "IsTruncated", page.truncated ? "true" : "false");
  if (encode.url) add_text(root, "EncodingType", "url");
  for (const auto& upload : page.uploads) {
    auto node = root.append_child("Upload");
    add_text(node, "Key", encode(upload.key));
    add_text(node, "UploadId", upload.upload_id);
    add_owner(services, node, upload.owner_id, "Initiator");
    add_owner(services, node, upload.owner_id);
    add_text(node, "StorageClass",
             upload.object.storage_class.empty() ? "STANDARD" : upload.object.storage_class);
    add_text(node, "Initiated", format_iso8601(from_unix_nanos(upload.initiated_ns)));
  }
  for (const auto& prefix : page.common_prefixes) {
    add_text(root.append_child("CommonPrefixes"), "Prefix", encode(prefix));
  }
  return xml_response(xml.str());
}

}  // namespace cv::s3

namespace cv::s3 {

Result<Response> list_object_versions(const Services& services, Call& call) {
  const Encoder encode = CV_TRY(encoder_for(call));
  meta::ListVersionsQuery query;
  query.bucket = call.route.bucket;
  query.prefix = param(call, "prefix");
  query.delimiter = param(call, "delimiter");
  query.key_marker = param(call, "key-marker");
  query.version_id_marker = param(call, "version-id-marker");
  query.max_keys = CV_TRY(max_param(call, "max-keys"));
  if (!query.version_id_marker.empty() && query.key_marker.empty()) {
    return fail(ErrorCode::kInvalidArgument,
                "A version-id marker cannot be specified without a key marker.");
  }
  const auto page = CV_TRY(services.vault.list_object_versions(query));

  XmlWriter xml("ListVersionsResult");
  auto root = xml.root();
  add_text(root, "Name", call.route.bucket);
  add_text(root, "Prefix", encode(query.prefix));
  add_text(root, "KeyMarker", encode(query.key_marker));
  add_text(root, "VersionIdMarker", query.version_id_marker);
  if (page.truncated) {
    add_text(root, "NextKeyMarker", encode(page.next_key_marker));
    add_text(root, "NextVersionIdMarker", page.next_version_id_marker);
  }
  add_text(root, "MaxKeys", std::to_string(query.max_keys));
  if (!query.delimiter.empty()) add_text(root, "Delimiter", encode(query.delimiter));
  add_text(root, "IsTruncated", page.truncated ? "true" : "false");
  if (encode.url) add_text(root, "EncodingType", "url");
  for (const auto& version : page.versions) {
    auto node = root.append_child(version.is_delete_marker ? "DeleteMarker" : "Version");
    add_text(node, "Key", encode(version.key));
    add_text(node, "VersionId", version.version_id);
    add_text(node, "IsLatest", version.is_latest ? "true" : "false");
    add_text(node, "LastModified", format_iso8601(from_unix_nanos(version.mtime_ns)));
    if (!version.is_delete_marker) {
      add_text(node, "ETag", quoted_etag(version.etag));
      add_text(node, "Size", std::to_string(version.size));
      add_text(node, "StorageClass",
               version.storage_class.empty() ? "STANDARD" : version.storage_class);
    }
    add_owner(services, node, version.owner_id);
  }
  for (const auto& prefix : page.common_prefixes) {
    add_text(root.append_child("CommonPrefixes"), "Prefix", encode(prefix));
  }
  return xml_response(xml.str());
}

}  // namespace cv::s3
