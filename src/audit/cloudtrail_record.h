// One request as a CloudTrail record (eventVersion 1.09), the way CloudTrail writes S3 calls:
// the facts of a request (AuditEvent, filled by the layer that served it) in, the record's
// JSON object out. Also CloudTrail's classification of S3 calls (read-only; data or
// management event) and the resources a call names.
//
// Pure: no I/O, no clock, no randomness (the caller gives the time and the event id);
// thread-safe on distinct or const data.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cv::audit {

inline constexpr std::string_view kEventVersion = "1.09";
inline constexpr std::string_view kS3EventSource = "s3.amazonaws.com";
// The console API's calls: eventSource, and the prefix of every eventName ("ConsoleSignIn").
inline constexpr std::string_view kConsoleEventSource = "console.cloudvault";
inline constexpr std::string_view kConsoleEventPrefix = "Console";

// userIdentity.type. kAnonymous is CloudTrail's "AWSAccount" with principalId "ANONYMOUS_PRINCIPAL"
// for unsigned requests.
enum class IdentityType { kRoot, kIAMUser, kAssumedRole, kAnonymous };

struct Identity {
  IdentityType type = IdentityType::kAnonymous;
  std::string principal_id;
  std::string arn;
  std::string account_id;
  std::string access_key_id;  // empty for anonymous requests
  std::string user_name;      // IAMUser (and Root: omitted, as CloudTrail does)
  // STS sessions: sessionContext. For an AssumedRole, the role (sessionIssuer); every
  // session (GetSessionToken's too) gets sessionContext.attributes.
  bool session = false;
  std::string role_id;   // "AROA..."
  std::string role_arn;  // "arn:aws:iam::ACCOUNT:role/NAME"
  std::string role_name;
};

struct AuditEvent {
  int64_t time_ns = 0;  // when the request arrived
  std::string event_source = std::string(kS3EventSource);
  std::string event_name;  // as AWS names the call: "PutObject", "CreateBucket"
  std::string region;
  std::string source_ip;
  std::string user_agent;
  Identity identity;
  // requestParameters: bucketName, Host and key as CloudTrail writes them for S3, then
  // `parameters` (query parameters of the call: versionId, uploadId, partNumber, ...).
  std::string bucket;
  std::string key;
  std::string host;
  std::vector<std::pair<std::string, std::string>> parameters;
  // responseElements: a JSON object for mutating calls that answer something (e.g.
  // {"x-amz-version-id": "..."}), else null.
  std::optional<boost::json::object> response_elements;
  // additionalEventData.
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  std::string signature_version;      // "SigV4"; empty for anonymous requests
  std::string authentication_method;  // "AuthHeader" | "QueryString" | "PostForm"; may be empty
  std::string amz_id_2;               // the answer's x-amz-id-2
  // TLS: both empty on plain HTTP (then no tlsDetails and no CipherSuite).
  std::string tls_version;  // "TLSv1.3"
  std::string cipher_suite;
  // A failed or denied call.
  std::string error_code;
  std::string error_message;
  std::string request_id;  // our x-amz-request-id
  std::string event_id;    // a UUID, unique per record
  std::string recipient_account_id;
};

// userIdentity.type as CloudTrail writes it ("Root", "IAMUser", "AssumedRole", and
// "AWSAccount" for anonymous callers).
std::string_view identity_type_name(IdentityType type);

// Get*, Head* and List* calls (and the console's and admin's reads: Console + Get/List/...,
// and ConsolePresign*) are read-only.
bool is_read_only(std::string_view event_name);
// CloudTrail's split for S3: calls on objects, and the object listings of a bucket, are data
// events; calls on buckets and their configurations are management events.
bool is_data_event(std::string_view event_name);

// The record, with every field CloudTrail writes for an S3 call (see the contract above).
boost::json::object to_cloudtrail_record(const AuditEvent& event);

// The record's JSON text, written straight from the event without building the object: the
// same bytes as boost::json::serialize(to_cloudtrail_record(event)) for every event (same key
// order, a parameter that repeats a name keeps the name's first place and takes its last
// value, and strings escaped as Boost.JSON 1.81 does: only '"', '\\' and 0x00-0x1f; bytes from
// 0x7f up, valid UTF-8 or not, are copied as they are). The trail writer's hot path.
std::string cloudtrail_record_json(const AuditEvent& event);

}  // namespace cv::audit
