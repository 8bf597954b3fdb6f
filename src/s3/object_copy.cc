// CopyObject and UploadPartCopy: server-side copies from x-amz-copy-source.
#include "core/clock.h"
#include "core/encoding.h"
#include "s3/access_checks.h"
#include "s3/authorizer.h"
#include "s3/acl_access.h"
#include "s3/acl_admission.h"
#include "s3/call.h"
#include "s3/conditions.h"
#include "s3/encryption_headers.h"
#include "s3/object_headers.h"
#include "s3/request_body.h"
#include "s3/xml.h"

namespace cv::s3 {
namespace {

// Parses x-amz-copy-source ("/bucket/key" or "bucket/key", URL-encoded, optional
// "?versionId=..."), checks the caller may read the source (s3:GetObject, or
// s3:GetObjectVersion for a named version), the copy-source
// conditions and the source's SSE-C key (x-amz-copy-source-server-side-encryption-customer-*,
// returned in `source_key`), and loads the source version.
Result<meta::ObjectVersion> load_copy_source(const Services& services, Call& call,
                                             std::optional<vault::CustomerKey>& source_key) {
  source_key = CV_TRY(customer_key(call.request.headers, KeyHeaders::kCopySource, false));
  std::string_view header = call.request.headers.get("x-amz-copy-source");
  std::string version_id;
  if (const size_t q = header.find('?'); q != std::string_view::npos) {
    auto params = parse_query(header.substr(q + 1));
    if (!params) return fail(ErrorCode::kInvalidArgument, "Invalid copy source");
    if (const std::string* v = find_param(*params, "versionId")) version_id = *v;
    header = header.substr(0, q);
  }
  auto decoded = percent_decode(header);
  if (!decoded) return fail(ErrorCode::kInvalidArgument, "Invalid copy source encoding");
  std::string_view path = *decoded;
  if (path.starts_with('/')) path.remove_prefix(1);
  const size_t slash = path.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == path.size()) {
    return fail(ErrorCode::kInvalidArgument,
                "Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
  }
  const std::string bucket(path.substr(0, slash));
  const std::string key(path.substr(slash + 1));
  const auto allowed = services.authorizer.authorize(
      call, object_check(version_id.empty() ? "s3:GetObject" : "s3:GetObjectVersion", bucket, key,
                         version_id));
  if (!allowed && (allowed.error().code != ErrorCode::kAccessDenied || call.explicit_deny)) {
    return fail(allowed.error());
  }
  auto found = services.vault.get_object(bucket, key, version_id);
  // Whether the source exists is for those who may read it to know.
  if (!found && allowed) return fail(found.error());
  if (!found) return fail(allowed.error());
  auto object = std::move(*found);
  if (!allowed) {
    // No policy allows it: the source's ACL may (acl_admission.h).
    const auto source_bucket = CV_TRY(services.vault.get_bucket(bucket));
    CV_TRY(admit_object_read(services, source_bucket, object, acl_caller(call.identity)));
  }
  CV_TRY(vault::Vault::check_readable(object));
  CV_TRY(services.vault.check_customer_key(object, source_key ? &*source_key : nullptr));
  CV_TRY(check_conditions(call.request.headers, object, "x-amz-copy-source-"));
  return object;
}

Result<std::string> directive(const Headers& headers, std::string_view name) {
  const std::string value(headers.get(name, "COPY"));
  if (value != "COPY" && value != "REPLACE") {
    return fail(ErrorCode::kInvalidArgument, "Unknown " + std::string(name) + ": " + value);
  }
  return value;
}

}  // namespace

Result<Response> copy_object(const Services& services, Call& call) {
  std::optional<vault::CustomerKey> source_key;
  const auto source = CV_TRY(load_copy_source(services, call, source_key));
  const auto& headers = call.request.headers;
  auto encryption = CV_TRY(encryption_request(headers));
  const std::string metadata_directive = CV_TRY(directive(headers, "x-amz-metadata-directive"));
  const std::string tagging_directive = CV_TRY(directive(headers, "x-amz-tagging-directive"));
  // Copying a named older version onto its own key is how S3 restores it, and is allowed.
  const bool names_version =
      headers.get("x-amz-copy-source").find("versionId=") != std::string_view::npos;
  if (source.bucket == call.route.bucket && source.key == call.route.key && !names_version &&
      metadata_directive == "COPY" && !headers.contains("x-amz-storage-class") &&
      encryption.mode == meta::EncryptionMode::kNone) {
    return fail(ErrorCode::kInvalidRequest,
                "This copy request is illegal because it is trying to copy an object to itself "
                "without changing the object's metadata, storage class, website redirect "
                "location or encryption attributes.");
  }
  meta::ObjectVersion attributes = CV_TRY(attributes_from_headers(headers));
  if (metadata_directive == "COPY") {
    attributes.content_type = source.content_type;
    attributes.headers = source.headers;
    attributes.user_metadata = source.user_metadata;
  }
  if (tagging_directive == "COPY") attributes.tags = source.tags;
  // The copy gets the request's ACL (x-amz-acl / x-amz-grant-*), never the source's.
  const auto bucket = CV_TRY(services.vault.get_bucket(call.route.bucket));
  auto access = CV_TRY(new_object_access(services, call, bucket));
  attributes.owner_id = std::move(access.owner_id);
  attributes.acl = std::move(access.acl);
  auto algorithm = CV_TRY(requested_checksum(headers));
  attributes.checksum_algorithm = algorithm == vault::ChecksumAlgorithm::kNone
                                      ? source.checksum_algorithm
                                      : std::string(vault::checksum_name(algorithm));
  auto body =
      CV_TRY(services.vault.open_body(source, 0, source.size, source_key ? &*source_key : nullptr));
  vault::PutObjectInput input{call.route.bucket, call.route.key, std::move(attributes),
                              body.get(),        source.size,    {}};
  input.encryption = std::move(encryption);
  input.event_name = "s3:ObjectCreated:Copy";
  input.condition = CV_TRY(write_condition(headers));
  input.origin = call.origin();
  const auto object = CV_TRY(services.vault.put_object(input));

  XmlWriter xml("CopyObjectResult");
  add_text(xml.root(), "LastModified", format_iso8601(from_unix_nanos(object.mtime_ns)));
  add_text(xml.root(), "ETag", quoted_etag(object.etag));
  if (!object.checksum_value.empty()) {
    add_text(xml.root(), "Checksum" + object.checksum_algorithm, object.checksum_value);
    add_text(xml.root(), "ChecksumType", object.checksum_type);
  }
  Response response = xml_response(xml.str());
  add_version_header(services, call.route.bucket, object.version_id, response.headers);
  add_encryption_headers(object.encryption, response.headers);
  if (source.version_id != "null") {
    response.headers.add("x-amz-copy-source-version-id", source.version_id);
  }
  return response;
}

Result<Response> upload_part_copy(const Services& services, Call& call) {
  const uint32_t number = CV_TRY(part_number_of(call));
  std::optional<vault::CustomerKey> source_key;
  const auto source = CV_TRY(load_copy_source(services, call, source_key));
  const auto part_key = CV_TRY(customer_key(call.request.headers, KeyHeaders::kObject, true));
  uint64_t offset = 0;
  uint64_t length = source.size;
  if (const std::string* range = call.request.headers.find("x-amz-copy-source-range")) {
    // bytes=first-last, both required and inside the source.
    std::string_view spec = trim(*range);
    uint64_t first = 0;
    uint64_t last = 0;
    const size_t dash = spec.find('-');
    if (!spec.starts_with("bytes=") || dash == std::string_view::npos ||
        std::sscanf(std::string(spec).c_str(), "bytes=%lu-%lu", &first, &last) != 2 ||
        last < first) {
      return fail(ErrorCode::kInvalidArgument,
                  "The x-amz-copy-source-range value must be of the form bytes=first-last where "
                  "first and last are the zero-based offsets of the first and last bytes to copy");
    }
    if (last >= source.size) {
      return fail(
          ErrorCode::kInvalidRange,
          "Range specified is not valid for source object of size: " + std::to_string(source.size));
    }
    offset = first;
    length = last - first + 1;
  }
  const std::string* upload_id_param = find_param(call.request.params, "uploadId");
  const std::string upload_id = upload_id_param ? *upload_id_param : "";
  auto body =
      CV_TRY(services.vault.open_body(source, offset, length, source_key ? &*source_key : nullptr));
  const auto part = CV_TRY(services.vault.upload_part(
      call.route.bucket, call.route.key, upload_id, number, *body, length,
      vault::ChecksumAlgorithm::kNone, {}, part_key ? &*part_key : nullptr));
  XmlWriter xml("CopyPartResult");
  add_text(xml.root(), "LastModified", format_iso8601(from_unix_nanos(part.mtime_ns)));
  add_text(xml.root(), "ETag", quoted_etag(part.etag));
  Response response = xml_response(xml.str());
  const auto upload =
      CV_TRY(services.vault.get_upload(call.route.bucket, call.route.key, upload_id));
  add_encryption_headers(upload.object.encryption, response.headers);
  return response;
}

}  // namespace cv::s3
