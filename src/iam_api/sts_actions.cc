// STS's query actions (https://docs.aws.amazon.com/STS/latest/APIReference/): parameters in,
// STS's XML out. The rules are iam::SessionIssuer's.
#include <charconv>

#include "iam_api/iam_actions.h"

namespace cv::iam_api {
namespace {

// DurationSeconds: absent, or a whole number (ValidationError otherwise).
Result<std::optional<int64_t>> duration_of(const ActionCall& call) {
  const std::string* text = call.find("DurationSeconds");
  if (text == nullptr) return std::optional<int64_t>();
  int64_t seconds = 0;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, seconds);
  if (text->empty() || ec != std::errc() || ptr != end) {
    return fail(ErrorCode::kValidationError,
                "1 validation error detected: Value '" + *text +
                    "' at 'durationSeconds' failed to satisfy constraint: Member must be a number");
  }
  return std::optional<int64_t>(seconds);
}

void add_credentials(pugi::xml_node result, const iam::IssuedSession& session) {
  auto credentials = result.append_child("Credentials");
  add_text(credentials, "AccessKeyId", session.access_key_id);
  add_text(credentials, "SecretAccessKey", session.secret_key);
  add_text(credentials, "SessionToken", session.session_token);
  add_text(credentials, "Expiration", iam_time(session.expires_ns));
}

// The request's own condition keys: where it came from and over which transport.
policy::ConditionKeys request_keys(const ActionCall& call) {
  policy::ConditionKeys keys;
  if (call.request == nullptr) return keys;
  if (!call.request->remote_address.empty()) {
    keys["aws:sourceip"] = {call.request->remote_address};
  }
  keys["aws:securetransport"] = {call.request->secure ? "true" : "false"};
  return keys;
}

}  // namespace

void add_sts_actions(ActionTable& table, iam::SessionIssuer& sessions) {
  table.add("sts", "AssumeRole", [&sessions](ActionCall& call) -> Status {
    iam::AssumeRoleRequest request;
    request.role_arn = CV_TRY(call.required("RoleArn"));
    request.session_name = CV_TRY(call.required("RoleSessionName"));
    request.duration_seconds = CV_TRY(duration_of(call));
    request.policy = call.get_or("Policy", "");
    if (const std::string* external_id = call.find("ExternalId")) {
      request.external_id = *external_id;
    }
    if (call.find("PolicyArns.member.1.arn") != nullptr) {
      return fail(ErrorCode::kValidationError,
                  "PolicyArns is not supported; pass the session policy as Policy.");
    }
    request.request_keys = request_keys(call);
    const iam::IssuedSession session = CV_TRY(sessions.assume_role(call.caller, request));
    add_credentials(call.result, session);
    auto user = call.result.append_child("AssumedRoleUser");
    add_text(user, "AssumedRoleId", session.assumed_role_id);
    add_text(user, "Arn", session.assumed_role_arn);
    if (!request.policy.empty()) {
      add_text(call.result, "PackedPolicySize", std::to_string(session.packed_policy_percent));
    }
    return {};
  });
  table.add("sts", "GetSessionToken", [&sessions](ActionCall& call) -> Status {
    if (call.find("SerialNumber") != nullptr || call.find("TokenCode") != nullptr) {
      return fail(ErrorCode::kValidationError, "MFA is not supported by this server.");
    }
    const auto duration = CV_TRY(duration_of(call));
    add_credentials(call.result, CV_TRY(sessions.get_session_token(call.caller, duration)));
    return {};
  });
  table.add("sts", "GetCallerIdentity", [&sessions](ActionCall& call) -> Status {
    const iam::CallerIdentity identity = CV_TRY(sessions.caller_identity(call.caller));
    add_text(call.result, "UserId", identity.user_id);
    add_text(call.result, "Account", identity.account);
    add_text(call.result, "Arn", identity.arn);
    return {};
  });
}

}  // namespace cv::iam_api
