// PostObject: browser form uploads authorized by a SigV4 POST policy.
#include "auth/post_policy.h"
#include "auth/sigv4.h"
#include "core/encoding.h"
#include "s3/access_checks.h"
#include "s3/authorizer.h"
#include "s3/acl_access.h"
#include "s3/acl_admission.h"
#include "s3/call.h"
#include "s3/encryption_headers.h"
#include "s3/form_data.h"
#include "s3/object_headers.h"
#include "s3/xml.h"

namespace cv::s3 {
namespace {

constexpr size_t kMaxFieldBytes = 64 * 1024;

const std::string* field(const auth::FormFields& fields, std::string_view name) {
  for (const auto& [field_name, value] : fields) {
    if (to_lower(field_name) == name) return &value;
  }
  return nullptr;
}

// Form fields that become object headers, as S3 accepts them.
Headers headers_from_fields(const auth::FormFields& fields, const FormPart& file) {
  Headers headers;
  for (const auto& [name, value] : fields) {
    const std::string lower = to_lower(name);
    if (lower == "content-type" || lower == "cache-control" || lower == "content-disposition" ||
        lower == "content-encoding" || lower == "expires" || lower.starts_with("x-amz-meta-") ||
        lower == "x-amz-storage-class" || lower.starts_with("x-amz-server-side-encryption") ||
        lower.starts_with("x-amz-grant-") || lower.starts_with("x-amz-object-lock-")) {
      headers.add(lower, value);
    } else if (lower == "acl") {
      headers.add("x-amz-acl", value);
    }
  }
  if (!headers.contains("content-type") && !file.content_type.empty()) {
    headers.add("content-type", file.content_type);
  }
  return headers;
}

}  // namespace

Result<Response> post_object(const Services& services, Call& call) {
  // The policy signs the form's fields, never the HTTP headers: an x-amz-* header would be
  // unsigned, so it is refused rather than ignored (as for header and pre-signed requests).
  CV_TRY(auth::require_signed_amz_headers(call.request.headers, {}, {"x-amz-content-sha256"}));
  const auto boundary = form_boundary(call.request.headers.get("content-type"));
  if (!boundary) return fail(ErrorCode::kMalformedPOSTRequest, "Missing multipart boundary");
  FormDataReader form(*call.request.body, *boundary);
  auth::FormFields fields;
  size_t field_bytes = 0;
  std::optional<FormPart> file;
  while (auto part = CV_TRY(form.next_part())) {
    if (to_lower(part->name) == "file") {
      file = std::move(*part);
      break;
    }
    const std::string value = CV_TRY(read_all(form, kMaxFieldBytes));
    field_bytes += part->name.size() + value.size();
    if (field_bytes > kMaxFieldBytes) {
      return fail(ErrorCode::kMaxMessageLengthExceeded, "The form fields are too large");
    }
    fields.emplace_back(part->name, value);
  }
  if (!file) {
    return fail(ErrorCode::kInvalidArgument, "POST requires exactly one file upload per request.");
  }
  const auto grant = CV_TRY(
      auth::verify_post_policy(fields, call.route.bucket, services.credentials, services.clock,
                               services.options.region, services.options.sigv2));
  // The form's signer is the caller (the audit trail's identity).
  call.identity.anonymous = false;
  call.identity.user_id = grant.user_id;
  call.identity.access_key_id = grant.access_key_id;
  call.identity.user_name = grant.user_name;
  call.identity.is_root = grant.is_root;
  call.identity.signature_version = grant.signature_version;
  call.identity.auth_type = "POST";
  const std::string* key_field = field(fields, "key");
  if (!key_field) {
    return fail(ErrorCode::kInvalidArgument, "Bucket POST must contain a field named 'key'.");
  }
  std::string key = *key_field;
  if (const size_t at = key.find("${filename}"); at != std::string::npos) {
    key.replace(at, 11, file->filename.value_or(""));
  }
  const auto bucket = CV_TRY(services.vault.get_bucket(call.route.bucket));
  CV_TRY(authorize_with_acls(services, call, object_check("s3:PutObject", call.route.bucket, key),
                             AclCaller::user(grant.user_id)));
  const Headers field_headers = headers_from_fields(fields, *file);
  auto attributes = CV_TRY(attributes_from_headers(field_headers));
  auto encryption = CV_TRY(encryption_request(field_headers));
  // The form's `acl` field (and x-amz-grant-* fields) as x-amz-acl would be.
  auto access = CV_TRY(
      new_object_access(services, bucket, grant.user_id, CV_TRY(acl_from_headers(field_headers))));
  attributes.owner_id = std::move(access.owner_id);
  attributes.acl = std::move(access.acl);
  const auto range = grant.content_length_range;
  vault::PutObjectInput input{call.route.bucket,
                              key,
                              std::move(attributes),
                              &form,
                              std::nullopt,
                              [range](const vault::BodyDigests& digests) -> Status {
                                if (range && digests.size < range->first) {
                                  return fail(ErrorCode::kEntityTooSmall);
                                }
                                if (range && digests.size > range->second) {
                                  return fail(ErrorCode::kEntityTooLarge);
                                }
                                return {};
                              }};
  input.encryption = std::move(encryption);
  input.event_name = "s3:ObjectCreated:Post";
  input.origin = call.origin();
  input.origin.principal_id = grant.user_id;
  const auto object = CV_TRY(services.vault.put_object(input));

  const std::string location = "/" + call.route.bucket + "/" + uri_encode(key, false);
  if (const std::string* redirect = field(fields, "success_action_redirect")) {
    if (!redirect->empty()) {
      Response response = empty_response(303);
      const char separator = redirect->find('?') == std::string::npos ? '?' : '&';
      response.headers.add(
          "location", *redirect + separator + "bucket=" + uri_encode(call.route.bucket) + "&key=" +
                          uri_encode(key) + "&etag=" + uri_encode(quoted_etag(object.etag)));
      response.headers.add("etag", quoted_etag(object.etag));
      return response;
    }
  }
  const std::string* status_field = field(fields, "success_action_status");
  const std::string status = status_field ? *status_field : "204";
  Response response;
  if (status == "201") {
    XmlWriter xml("PostResponse", false);
    add_text(xml.root(), "Location", location);
    add_text(xml.root(), "Bucket", call.route.bucket);
    add_text(xml.root(), "Key", key);
    add_text(xml.root(), "ETag", quoted_etag(object.etag));
    response = xml_response(xml.str(), 201);
  } else {
    response = empty_response(status == "200" ? 200 : 204);
  }
  response.headers.add("etag", quoted_etag(object.etag));
  response.headers.add("location", location);
  add_encryption_headers(object.encryption, response.headers);
  return response;
}

}  // namespace cv::s3
