#include "s3/request_audit.h"

#include <array>

#include "audit/request_capture.h"
#include "core/encoding.h"
#include "iam/audit_identity.h"

namespace cv::s3 {
namespace {

// Query parameters that authenticate rather than describe the call: never in a record.
bool is_secret_parameter(std::string_view name) {
  return name == "X-Amz-Signature" || name == "X-Amz-Security-Token";
}

// The value of "Credential=<key>/<scope>" in an Authorization header, up to the first '/'.
std::string_view header_credential_key(std::string_view authorization) {
  if (authorization.starts_with("AWS ")) {  // SigV2: "AWS AKID:signature"
    const std::string_view rest = authorization.substr(4);
    return rest.substr(0, rest.rfind(':'));
  }
  const size_t at = authorization.find("Credential=");
  if (at == std::string_view::npos) return {};
  std::string_view rest = authorization.substr(at + std::string_view("Credential=").size());
  return rest.substr(0, rest.find_first_of("/, "));
}

}  // namespace

std::string_view cloudtrail_event_name(Operation operation, std::string_view route_name) {
  switch (operation) {
    case Operation::kListObjectsV2:
      return "ListObjects";
    case Operation::kPutBucketNotificationConfiguration:
      return "PutBucketNotification";
    case Operation::kGetBucketNotificationConfiguration:
      return "GetBucketNotification";
    case Operation::kPutBucketLifecycleConfiguration:
      return "PutBucketLifecycle";
    case Operation::kGetBucketLifecycleConfiguration:
      return "GetBucketLifecycle";
    default:
      return route_name;
  }
}

audit::AuditEvent begin_s3_record(const Request& request, std::string_view region,
                                  std::string_view account_id, int64_t now_ns) {
  audit::AuditEvent record =
      audit::begin_record(request, audit::kS3EventSource, region, account_id, now_ns);
  record.event_name = kUnroutedEventName;
  for (const auto& [name, value] : request.params) {
    if (!is_secret_parameter(name)) record.parameters.emplace_back(name, value);
  }
  return record;
}

void describe_unrouted(audit::AuditEvent& record, const Request& request) {
  // Path style "/bucket/key" (a virtual-hosted bucket is not known without a route).
  if (auto path = percent_decode(request.path); path && path->starts_with('/')) {
    const std::string_view rest = std::string_view(*path).substr(1);
    const size_t slash = rest.find('/');
    record.bucket = rest.substr(0, slash);
    if (slash != std::string_view::npos) record.key = rest.substr(slash + 1);
  }
}

void describe_route(audit::AuditEvent& record, const Route& route) {
  record.event_name = cloudtrail_event_name(route.operation, route.name);
  record.bucket = route.bucket;
  record.key = route.key;
}

std::string claimed_access_key(const Request& request) {
  if (const std::string* authorization = request.headers.find("authorization")) {
    return std::string(header_credential_key(*authorization));
  }
  if (const std::string* credential = find_param(request.params, "X-Amz-Credential")) {
    return credential->substr(0, credential->find('/'));
  }
  if (const std::string* key = find_param(request.params, "AWSAccessKeyId")) return *key;
  return {};
}

void describe_caller(audit::AuditEvent& record, const Request& request, bool post_form,
                     const auth::Identity* verified,
                     const std::optional<auth::Credentials>& claimed_owner,
                     std::string_view account_id) {
  if (post_form) {
    record.authentication_method = "PostForm";
  } else if (request.headers.contains("authorization")) {
    record.authentication_method = "AuthHeader";
  } else if (find_param(request.params, "X-Amz-Signature") ||
             find_param(request.params, "X-Amz-Credential") ||
             find_param(request.params, "AWSAccessKeyId")) {
    record.authentication_method = "QueryString";
  }
  if (verified && !verified->anonymous) {
    record.signature_version = verified->signature_version == "2" ? "SigV2" : "SigV4";
    record.identity = iam::audit_identity(account_id, *verified);
    return;
  }
  const std::string key = claimed_access_key(request);
  if (!key.empty()) record.signature_version = "SigV4";
  if (claimed_owner) {
    record.identity = audit::user_identity(account_id, claimed_owner->user_id,
                                           claimed_owner->user_name, claimed_owner->is_root, key);
    return;
  }
  record.identity = audit::anonymous_identity();
  record.identity.access_key_id = key;
}

void describe_error(audit::AuditEvent& record, const Error& error) {
  record.error_code = error_code_name(error.code);
  record.error_message = error.message.empty() ? error_default_message(error.code) : error.message;
}

void describe_response(audit::AuditEvent& record, const Response& response) {
  static constexpr std::array<std::string_view, 6> kElements = {
      "x-amz-version-id",
      "x-amz-server-side-encryption",
      "x-amz-server-side-encryption-aws-kms-key-id",
      "x-amz-server-side-encryption-customer-algorithm",
      "x-amz-delete-marker",
      "x-amz-expiration"};
  if (audit::is_read_only(record.event_name)) return;
  boost::json::object elements;
  for (std::string_view name : kElements) {
    if (const std::string* value = response.headers.find(name)) elements[name] = *value;
  }
  if (!elements.empty()) record.response_elements = std::move(elements);
}

}  // namespace cv::s3
