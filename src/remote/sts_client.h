// STS AssumeRole, as `activity ingest --remote NAME --role-arn ARN` needs it: a POST of the
// form Action=AssumeRole&RoleArn=..&RoleSessionName=..&Version=2011-06-15 to the STS
// endpoint, signed with SigV4 for service "sts" (auth's signer, body hash signed), whose
// AssumeRoleResponse (pugixml) gives temporary credentials for the bucket reads.
// Thread-safe pure functions except assume_role, which blocks on the network.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "remote/remote_error.h"

namespace cv::remote {

struct TemporaryCredentials {
  std::string access_key_id;
  std::string secret_key;
  std::string session_token;
  std::string expiration;  // as STS wrote it, e.g. "2024-10-04T13:00:00Z"
};

struct AssumeRoleRequest {
  std::string sts_url;  // "https://sts.us-east-1.amazonaws.com"
  std::string region = "us-east-1";
  std::string access_key;  // the long-term credentials that may assume the role
  std::string secret_key;
  std::string role_arn;
  std::string session_name = "cloudvault-activity";
  int duration_seconds = 3600;  // 900-43200
  bool verify_tls = true;
  std::string ca_file;
};

// The form body, every value percent-encoded.
std::string assume_role_form(const AssumeRoleRequest& request);

// The headers of the signed POST for `host` (content-type, host, x-amz-date,
// x-amz-content-sha256 of the body, authorization with scope .../<region>/sts/aws4_request).
std::vector<std::pair<std::string, std::string>> sign_assume_role(const AssumeRoleRequest& request,
                                                                  std::string_view host,
                                                                  std::string_view body,
                                                                  TimePoint now);

// <AssumeRoleResponse><AssumeRoleResult><Credentials>; nullopt unless all three values are
// there.
std::optional<TemporaryCredentials> parse_assume_role_response(std::string_view body);

// Performs AssumeRole. Errors as RemoteError (the STS error code, e.g. AccessDenied).
RemoteResult<TemporaryCredentials> assume_role(const AssumeRoleRequest& request,
                                               const Clock& clock);

}  // namespace cv::remote
