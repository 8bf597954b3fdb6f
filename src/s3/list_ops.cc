// ListObjects (v1), ListObjectsV2, ListMultipartUploads and ListObjectVersions, written with
// XmlStream (no tree: a page of 1,000 entries is most of a listing's cost otherwise).
#include <charconv>

#include "core/clock.h"
#include "core/encoding.h"
#include "s3/call.h"
#include "s3/object_headers.h"
#include "s3/xml.h"
#include "s3/xml_stream.h"

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

void add_owner(const Services& services, XmlStream& xml, const std::string& owner_id,
               std::string_view element = "Owner") {
  xml.open(element).text("ID", owner_id);
  xml.text("DisplayName", services.owners.display_name(owner_id)).close(element);
}

void add_entries(const Services& services, XmlStream& xml, const meta::ListObjectsPage& page,
                 const Encoder& encode, bool with_owner) {
  char size[24];
  for (const auto& object : page.objects) {
    xml.open("Contents").text("Key", encode(object.key));
    xml.text("LastModified", format_iso8601(from_unix_nanos(object.mtime_ns)));
    xml.text("ETag", quoted_etag(object.etag));
    const auto written = std::to_chars(size, size + sizeof size, object.size);
    xml.text("Size", std::string_view(size, static_cast<size_t>(written.ptr - size)));
    if (with_owner) add_owner(services, xml, object.owner_id);
    xml.text("StorageClass", object.storage_class.empty() ? "STANDARD" : object.storage_class);
    xml.close("Contents");
  }
  for (const auto& prefix : page.common_prefixes) {
    xml.open("CommonPrefixes").text("Prefix", encode(prefix)).close("CommonPrefixes");
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

  XmlStream xml("ListBucketResult");
  xml.text("Name", call.route.bucket);
  xml.text("Prefix", encode(query.prefix));
  xml.text("Marker", encode(query.start_after));
  xml.text("MaxKeys", param(call, "max-keys").empty() ? "1000" : std::to_string(query.max_keys));
  if (!query.delimiter.empty()) xml.text("Delimiter", encode(query.delimiter));
  xml.text("IsTruncated", page.truncated ? "true" : "false");
  if (page.truncated && !query.delimiter.empty()) {
    xml.text("NextMarker", encode(page.last_entry));
  }
  if (encode.url) xml.text("EncodingType", "url");
  add_entries(services, xml, page, encode, true);
  return xml_response(std::move(xml).finish());
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

  XmlStream xml("ListBucketResult");
  xml.text("Name", call.route.bucket);
  xml.text("Prefix", encode(query.prefix));
  xml.text("MaxKeys", std::to_string(query.max_keys));
  xml.text("KeyCount", std::to_string(page.objects.size() + page.common_prefixes.size()));
  if (!query.delimiter.empty()) xml.text("Delimiter", encode(query.delimiter));
  xml.text("IsTruncated", page.truncated ? "true" : "false");
  if (token) xml.text("ContinuationToken", *token);
  if (page.truncated) xml.text("NextContinuationToken", base64_encode("cv1:" + page.last_entry));
  if (!start_after.empty()) xml.text("StartAfter", encode(start_after));
  if (encode.url) xml.text("EncodingType", "url");
  add_entries(services, xml, page, encode, param(call, "fetch-owner") == "true");
  return xml_response(std::move(xml).finish());
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

  XmlStream xml("ListMultipartUploadsResult");
  xml.text("Bucket", call.route.bucket);
  xml.text("KeyMarker", encode(query.key_marker));
  xml.text("UploadIdMarker", query.upload_id_marker);
  xml.text("NextKeyMarker", encode(page.next_key_marker));
  xml.text("NextUploadIdMarker", page.next_upload_id_marker);
  if (!query.prefix.empty()) xml.text("Prefix", encode(query.prefix));
  if (!query.delimiter.empty()) xml.text("Delimiter", encode(query.delimiter));
  xml.text("MaxUploads", std::to_string(query.max_uploads));
  xml.text("IsTruncated", page.truncated ? "true" : "false");
  if (encode.url) xml.text("EncodingType", "url");
  for (const auto& upload : page.uploads) {
    xml.open("Upload").text("Key", encode(upload.key)).text("UploadId", upload.upload_id);
    add_owner(services, xml, upload.owner_id, "Initiator");
    add_owner(services, xml, upload.owner_id);
    xml.text("StorageClass",
             upload.object.storage_class.empty() ? "STANDARD" : upload.object.storage_class);
    xml.text("Initiated", format_iso8601(from_unix_nanos(upload.initiated_ns)));
    xml.close("Upload");
  }
  for (const auto& prefix : page.common_prefixes) {
    xml.open("CommonPrefixes").text("Prefix", encode(prefix)).close("CommonPrefixes");
  }
  return xml_response(std::move(xml).finish());
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

  XmlStream xml("ListVersionsResult");
  xml.text("Name", call.route.bucket);
  xml.text("Prefix", encode(query.prefix));
  xml.text("KeyMarker", encode(query.key_marker));
  xml.text("VersionIdMarker", query.version_id_marker);
  if (page.truncated) {
    xml.text("NextKeyMarker", encode(page.next_key_marker));
    xml.text("NextVersionIdMarker", page.next_version_id_marker);
  }
  xml.text("MaxKeys", std::to_string(query.max_keys));
  if (!query.delimiter.empty()) xml.text("Delimiter", encode(query.delimiter));
  xml.text("IsTruncated", page.truncated ? "true" : "false");
  if (encode.url) xml.text("EncodingType", "url");
  for (const auto& version : page.versions) {
    const std::string_view element = version.is_delete_marker ? "DeleteMarker" : "Version";
    xml.open(element).text("Key", encode(version.key)).text("VersionId", version.version_id);
    xml.text("IsLatest", version.is_latest ? "true" : "false");
    xml.text("LastModified", format_iso8601(from_unix_nanos(version.mtime_ns)));
    if (!version.is_delete_marker) {
      xml.text("ETag", quoted_etag(version.etag)).text("Size", std::to_string(version.size));
      xml.text("StorageClass", version.storage_class.empty() ? "STANDARD" : version.storage_class);
    }
    add_owner(services, xml, version.owner_id);
    xml.close(element);
  }
  for (const auto& prefix : page.common_prefixes) {
    xml.open("CommonPrefixes").text("Prefix", encode(prefix)).close("CommonPrefixes");
  }
  return xml_response(std::move(xml).finish());
}

}  // namespace cv::s3
