#include "audit/cloudtrail_record.h"

#include <array>
#include <ctime>

namespace cv::audit {
namespace {

namespace json = boost::json;

bool starts_with_any(std::string_view name, std::initializer_list<std::string_view> prefixes) {
  for (std::string_view prefix : prefixes) {
    if (name.starts_with(prefix)) return true;
  }
  return false;
}

// CloudTrail's eventTime: whole seconds, UTC, "Z".
std::string event_time(int64_t time_ns) {
  const std::time_t seconds = static_cast<std::time_t>(time_ns / 1'000'000'000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text.data();
}

json::object user_identity(const Identity& identity) {
  json::object out{{"type", identity_type_name(identity.type)}};
  if (identity.type == IdentityType::kAnonymous) {
    out["principalId"] =
        identity.principal_id.empty() ? "ANONYMOUS_PRINCIPAL" : identity.principal_id;
    if (!identity.account_id.empty()) out["accountId"] = identity.account_id;
    // A key that was given but not accepted (unknown, or a signature that did not match).
    if (!identity.access_key_id.empty()) out["accessKeyId"] = identity.access_key_id;
    return out;
  }
  out["principalId"] = identity.principal_id;
  out["arn"] = identity.arn;
  out["accountId"] = identity.account_id;
  if (!identity.access_key_id.empty()) out["accessKeyId"] = identity.access_key_id;
  if (identity.type == IdentityType::kIAMUser && !identity.user_name.empty()) {
    out["userName"] = identity.user_name;
  }
  if (identity.session) {
    json::object context{{"attributes", json::object{{"mfaAuthenticated", "false"}}}};
    if (identity.type == IdentityType::kAssumedRole) {
      context["sessionIssuer"] = json::object{{"type", "Role"},
                                              {"principalId", identity.role_id},
                                              {"arn", identity.role_arn},
                                              {"accountId", identity.account_id},
                                              {"userName", identity.role_name}};
    }
    out["sessionContext"] = std::move(context);
  }
  return out;
}

json::array resources(const AuditEvent& event) {
  json::array out;
  if (event.bucket.empty()) return out;
  if (!event.key.empty()) {
    out.push_back(json::object{{"type", "AWS::S3::Object"},
                               {"ARN", "arn:aws:s3:::" + event.bucket + "/" + event.key}});
  }
  json::object bucket{{"type", "AWS::S3::Bucket"}, {"ARN", "arn:aws:s3:::" + event.bucket}};
  if (!event.recipient_account_id.empty()) bucket["accountId"] = event.recipient_account_id;
  out.push_back(std::move(bucket));
  return out;
}

}  // namespace

std::string_view identity_type_name(IdentityType type) {
  switch (type) {
    case IdentityType::kRoot:
      return "Root";
    case IdentityType::kIAMUser:
      return "IAMUser";
    case IdentityType::kAssumedRole:
      return "AssumedRole";
    case IdentityType::kAnonymous:
      return "AWSAccount";
  }
  return "Unknown";
}

bool is_read_only(std::string_view event_name) {
  // The console's calls are named "Console" + a verb; handing out a pre-signed URL changes
  // nothing (the request made with it is recorded on its own).
  if (event_name.starts_with(kConsoleEventPrefix)) {
    event_name.remove_prefix(kConsoleEventPrefix.size());
    if (event_name.starts_with("Presign")) return true;
  }
  return starts_with_any(event_name, {"Get", "Head", "List", "Lookup", "Describe"});
}

bool is_data_event(std::string_view event_name) {
  static constexpr std::array<std::string_view, 23> kData = {"GetObject",
                                                             "PutObject",
                                                             "CopyObject",
                                                             "DeleteObject",
                                                             "DeleteObjects",
                                                             "HeadObject",
                                                             "GetObjectTagging",
                                                             "PutObjectTagging",
                                                             "DeleteObjectTagging",
                                                             "CreateMultipartUpload",
                                                             "UploadPart",
                                                             "UploadPartCopy",
                                                             "CompleteMultipartUpload",
                                                             "AbortMultipartUpload",
                                                             "ListParts",
                                                             "RestoreObject",
                                                             "ListObjects",
                                                             "ListObjectsV2",
                                                             "ListObjectVersions",
                                                             "ListMultipartUploads",
                                                             "PostObject",
                                                             "SelectObjectContent",
                                                             "GetObjectAttributes"};
  for (std::string_view name : kData) {
    if (name == event_name) return true;
  }
  return false;
}

json::object to_cloudtrail_record(const AuditEvent& event) {
  json::object request_parameters;
  if (!event.bucket.empty()) request_parameters["bucketName"] = event.bucket;
  if (!event.host.empty()) request_parameters["Host"] = event.host;
  if (!event.key.empty()) request_parameters["key"] = event.key;
  for (const auto& [name, value] : event.parameters) request_parameters[name] = value;

  json::object additional{{"bytesTransferredIn", event.bytes_in},
                          {"bytesTransferredOut", event.bytes_out}};
  if (!event.signature_version.empty()) additional["SignatureVersion"] = event.signature_version;
  if (!event.authentication_method.empty()) {
    additional["AuthenticationMethod"] = event.authentication_method;
  }
  if (!event.cipher_suite.empty()) additional["CipherSuite"] = event.cipher_suite;
  if (!event.amz_id_2.empty()) additional["x-amz-id-2"] = event.amz_id_2;

  const bool data = is_data_event(event.event_name);
  json::object record{
      {"eventVersion", kEventVersion},
      {"userIdentity", user_identity(event.identity)},
      {"eventTime", event_time(event.time_ns)},
      {"eventSource", event.event_source},
      {"eventName", event.event_name},
      {"awsRegion", event.region},
      {"sourceIPAddress", event.source_ip},
      {"userAgent", event.user_agent},
      {"requestParameters", std::move(request_parameters)},
      {"responseElements",
       event.response_elements ? json::value(*event.response_elements) : json::value(nullptr)},
      {"additionalEventData", std::move(additional)},
      {"requestID", event.request_id},
      {"eventID", event.event_id},
      {"readOnly", is_read_only(event.event_name)},
      {"resources", resources(event)},
      {"eventType", "AwsApiCall"},
      {"managementEvent", !data},
      {"recipientAccountId", event.recipient_account_id},
      {"eventCategory", data ? "Data" : "Management"}};
  if (!event.error_code.empty()) {
    record["errorCode"] = event.error_code;
    record["errorMessage"] = event.error_message;
  }
  if (!event.tls_version.empty()) {
    json::object tls{{"tlsVersion", event.tls_version}, {"cipherSuite", event.cipher_suite}};
    if (!event.host.empty()) tls["clientProvidedHostHeader"] = event.host;
    record["tlsDetails"] = std::move(tls);
  }
  return record;
}

}  // namespace cv::audit
