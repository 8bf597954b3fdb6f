// CopyObject and UploadPartCopy: server-side copies from x-amz-copy-source.
#include "core/clock.h"
#include "core/encoding.h"
#include "s3/access_checks.h"
#include "s3/acl_access.h"
#include "s3/acl_admission.h"
#include "s3/authorizer.h"
#include "s3/call.h"
#include "s3/conditions.h"
#include "s3/encryption_headers.h"
#include "s3/object_headers.h"
#include "s3/request_body.h"
#include "s3/xml.h"

namespace cv::s3 {
namespace {

// Parses x-amz-copy-source ("/bucket/key" or "bucket/key", URL-encoded, optional
// "?versionId=...") and the source's SSE-C key (x-amz-copy-source-server-side-encryption-
// customer-*), and decides what the vault checks on the source before reading it: the caller
// may read it (s3:GetObject, or s3:GetObjectVersion for a named version, by policy or else
// by the source's ACL) and the copy-source conditions. `call` must outlive the result.
Result<vault::CopySource> copy_source(const Services& services, Call& call) {
  vault::CopySource source;
  source.customer_key = CV_TRY(customer_key(call.request.headers, KeyHeaders::kCopySource, false));
  std::string_view header = call.request.headers.get("x-amz-copy-source");
  if (const size_t q = header.find('?'); q != std::string_view::npos) {
    auto params = parse_query(header.substr(q + 1));
    if (!params) return fail(ErrorCode::kInvalidArgument, "Invalid copy source");
    if (const std::string* v = find_param(*params, "versionId")) source.version_id = *v;
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
  source.bucket = std::string(path.substr(0, slash));
  source.key = std::string(path.substr(slash + 1));
  const auto allowed = services.authorizer.authorize(
      call, object_check(source.version_id.empty() ? "s3:GetObject" : "s3:GetObjectVersion",
                         source.bucket, source.key, source.version_id));
  if (!allowed && (allowed.error().code != ErrorCode::kAccessDenied || call.explicit_deny)) {
    return fail(allowed.error());
  }
  if (!allowed) {
    // No policy allows it: the source's ACL may (acl_admission.h). Whether the source exists
    // is for those who may read it to know.
    source.lookup_error = allowed.error();
    source.admit = [&services, &call](const meta::ObjectVersion& object) -> Status {
      const auto source_bucket = CV_TRY(services.vault.get_bucket(object.bucket));
      return admit_object_read(services, source_bucket, object, acl_caller(call.identity));
    };
  }
  source.preconditions = [&call](const meta::ObjectVersion& object) {
    return check_conditions(call.request.headers, object, "x-amz-copy-source-");
  };
  return source;
}

Result<vault::CopyDirective> directive(const Headers& headers, std::string_view name) {
  const std::string value(headers.get(name, "COPY"));
  if (value == "COPY") return vault::CopyDirective::kCopy;
  if (value == "REPLACE") return vault::CopyDirective::kReplace;
  return fail(ErrorCode::kInvalidArgument, "Unknown " + std::string(name) + ": " + value);
}

// bytes=first-last of x-amz-copy-source-range, both required (the vault checks them against
// the source's size); nullopt without the header.
Result<std::optional<vault::CopyRange>> copy_range(const Headers& headers) {
  const std::string* range = headers.find("x-amz-copy-source-range");
  if (!range) return std::optional<vault::CopyRange>();
  std::string_view spec = trim(*range);
  uint64_t first = 0;
  uint64_t last = 0;
  const size_t dash = spec.find('-');
  if (!spec.starts_with("bytes=") || dash == std::string_view::npos ||
      std::sscanf(std::string(spec).c_str(), "bytes=%lu-%lu", &first, &last) != 2 || last < first) {
    return fail(ErrorCode::kInvalidArgument,
                "The x-amz-copy-source-range value must be of the form bytes=first-last where "
                "first and last are the zero-based offsets of the first and last bytes to copy");
  }
  return std::optional<vault::CopyRange>(vault::CopyRange{first, last});
}

}  // namespace

Result<Response> copy_object(const Services& services, Call& call) {
  const auto& headers = call.request.headers;
  vault::CopyObjectRequest request;
  request.source = CV_TRY(copy_source(services, call));
  request.bucket = call.route.bucket;
  request.key = call.route.key;
  request.encryption = CV_TRY(encryption_request(headers));
  request.metadata = CV_TRY(directive(headers, "x-amz-metadata-directive"));
  request.tagging = CV_TRY(directive(headers, "x-amz-tagging-directive"));
  request.attributes = CV_TRY(attributes_from_headers(headers));
  if (headers.contains("x-amz-storage-class")) {
    request.storage_class = request.attributes.storage_class;
  }
  // The copy gets the request's ACL (x-amz-acl / x-amz-grant-*), never the source's.
  const auto bucket = CV_TRY(services.vault.get_bucket(call.route.bucket));
  auto access = CV_TRY(new_object_access(services, call, bucket));
  request.attributes.owner_id = std::move(access.owner_id);
  request.attributes.acl = std::move(access.acl);
  const auto algorithm = CV_TRY(requested_checksum(headers));
  request.attributes.checksum_algorithm = std::string(vault::checksum_name(algorithm));
  request.condition = CV_TRY(write_condition(headers));
  const auto copied = CV_TRY(services.vault.copy_object(request, call.origin()));
  const meta::ObjectVersion& object = copied.object;

  XmlWriter xml("CopyObjectResult");
  add_text(xml.root(), "LastModified", format_iso8601(from_unix_nanos(object.mtime_ns)));
  add_text(xml.root(), "ETag", quoted_etag(object.etag));
  if (!object.checksum_value.empty()) {
    add_text(xml.root(), "Checksum" + object.checksum_algorithm, object.checksum_value);
    add_text(xml.root(), "ChecksumType", object.checksum_type);
  }
  Response response = xml_response(xml.str());
  add_version_header(services, call, object.version_id, response.headers);
  add_encryption_headers(object.encryption, response.headers);
  if (copied.source_version_id != "null") {
    response.headers.add("x-amz-copy-source-version-id", copied.source_version_id);
  }
  return response;
}

Result<Response> upload_part_copy(const Services& services, Call& call) {
  vault::CopyPartRequest request;
  request.part_number = CV_TRY(part_number_of(call));
  request.source = CV_TRY(copy_source(services, call));
  request.customer_key = CV_TRY(customer_key(call.request.headers, KeyHeaders::kObject, true));
  request.range = CV_TRY(copy_range(call.request.headers));
  const std::string* upload_id_param = find_param(call.request.params, "uploadId");
  request.upload_id = upload_id_param ? *upload_id_param : "";
  request.bucket = call.route.bucket;
  request.key = call.route.key;
  const auto part = CV_TRY(services.vault.copy_part(request));
  XmlWriter xml("CopyPartResult");
  add_text(xml.root(), "LastModified", format_iso8601(from_unix_nanos(part.mtime_ns)));
  add_text(xml.root(), "ETag", quoted_etag(part.etag));
  Response response = xml_response(xml.str());
  const auto upload =
      CV_TRY(services.vault.get_upload(call.route.bucket, call.route.key, request.upload_id));
  add_encryption_headers(upload.object.encryption, response.headers);
  return response;
}

}  // namespace cv::s3
