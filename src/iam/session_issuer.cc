#include "iam/session_issuer.h"

#include <fmt/format.h>

#include "core/ids.h"
#include "iam/session_token.h"
#include "policy/evaluator.h"
#include "policy/global_keys.h"
#include "policy/policy.h"

namespace cv::iam {
namespace {

// STS's character classes: [\w+=,.@-] for session names, plus ':' and '/' for external ids.
bool sts_name_char(char c, bool external_id) {
  const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_';
  if (word || c == '+' || c == '=' || c == ',' || c == '.' || c == '@' || c == '-') return true;
  return external_id && (c == ':' || c == '/');
}

Status check_sts_name(std::string_view value, std::string_view field, size_t max_length,
                      bool external_id) {
  const std::string prefix =
      fmt::format("1 validation error detected: Value '{}' at '{}' failed to satisfy constraint: ",
                  value, field);
  if (value.size() < 2) {
    return fail(ErrorCode::kValidationError,
                prefix + "Member must have length greater than or equal to 2");
  }
  if (value.size() > max_length) {
    return fail(ErrorCode::kValidationError,
                prefix + fmt::format("Member must have length less than or equal to {}",
                                     max_length));
  }
  for (char c : value) {
    if (!sts_name_char(c, external_id)) {
      return fail(ErrorCode::kValidationError,
                  prefix + (external_id
                                ? "Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*"
                                : "Member must satisfy regular expression pattern: [\\w+=,.@-]*"));
    }
  }
  return {};
}

// The duration asked for, or `fallback`, within [kMinSessionSeconds, maximum].
Result<int64_t> session_seconds(std::optional<int64_t> asked, int64_t fallback, int64_t maximum,
                                std::string_view too_long) {
  const int64_t seconds = asked.value_or(std::min(fallback, maximum));
  if (seconds < kMinSessionSeconds) {
    return fail(ErrorCode::kValidationError,
                fmt::format("1 validation error detected: Value '{}' at 'durationSeconds' failed "
                            "to satisfy constraint: Member must have value greater than or equal "
                            "to {}",
                            seconds, kMinSessionSeconds));
  }
  if (seconds > maximum) return fail(ErrorCode::kValidationError, std::string(too_long));
  return seconds;
}

// arn:aws:iam::ACCOUNT:role/[PATH/]NAME -> NAME, when ACCOUNT is ours.
std::optional<std::string> role_name_of(std::string_view arn, std::string_view account_id) {
  const std::string prefix = "arn:aws:iam::" + std::string(account_id) + ":role/";
  if (!arn.starts_with(prefix)) return std::nullopt;
  std::string_view rest = arn.substr(prefix.size());
  if (rest.empty() || rest.back() == '/') return std::nullopt;
  return std::string(rest.substr(rest.rfind('/') == std::string_view::npos ? 0
                                                                             : rest.rfind('/') + 1));
}

std::unexpected<Error> not_authorized(std::string_view who, std::string_view action,
                                      std::string_view resource) {
  return fail(ErrorCode::kAccessDenied,
              fmt::format("User: {} is not authorized to perform: {} on resource: {}", who,
                          action, resource));
}

}  // namespace

SessionIssuer::SessionIssuer(IamDirectory& directory, UserDirectory& users,
                             CallerPolicySource& callers, const Clock& clock,
                             std::string account_id)
    : directory_(directory),
      users_(users),
      callers_(callers),
      clock_(clock),
      account_id_(std::move(account_id)) {}

Result<IssuedSession> SessionIssuer::assume_role(const auth::Identity& caller,
                                                 const AssumeRoleRequest& request) {
  if (caller.anonymous) return fail(ErrorCode::kAccessDenied, "Access denied");
  if (request.role_arn.size() < 20 || request.role_arn.size() > 2048) {
    return fail(ErrorCode::kValidationError,
                fmt::format("1 validation error detected: Value '{}' at 'roleArn' failed to "
                            "satisfy constraint: Member must have length greater than or equal "
                            "to 20",
                            request.role_arn));
  }
  CV_TRY(check_sts_name(request.session_name, "roleSessionName", 64, false));
  if (request.external_id) CV_TRY(check_sts_name(*request.external_id, "externalId", 1224, true));
  const auto policies = CV_TRY(callers_.policies_for(caller));
  const policy::Principal& principal = policies->principal;
  if (caller.is_root) {
    return fail(ErrorCode::kAccessDenied, "Roles may not be assumed by root accounts.");
  }
  const auto name = role_name_of(request.role_arn, account_id_);
  const auto role = name ? CV_TRY(directory_.find_role(*name)) : std::nullopt;
  if (!role || role->arn != request.role_arn) {
    return not_authorized(principal.arn, "sts:AssumeRole", request.role_arn);
  }
  const auto trust = policy::parse_policy(role->trust_policy, policy::PolicyKind::kTrust,
                                          policy::kRoleInlinePolicyMaxBytes);
  if (!trust) {
    return fail(ErrorCode::kInternalError,
                "the trust policy of role " + role->name + " no longer parses: " +
                    trust.error().message);
  }
  policy::PolicySet set;
  set.identity = policies->identity;
  set.resource =
      policy::NamedPolicy{"trust policy of role " + role->name,
                          std::make_shared<const policy::Policy>(std::move(*trust))};
  set.session = policies->session;
  set.has_session = policies->has_session;
  policy::ConditionKeys keys = policy::global_condition_keys(principal, clock_.now());
  for (const auto& [key, values] : request.request_keys) keys[key] = values;
  keys["sts:rolesessionname"] = {request.session_name};
  if (request.external_id) keys["sts:externalid"] = {*request.external_id};
  const policy::Decision decision = policy::decide(
      set, policy::RequestContext{"sts:AssumeRole", role->arn, principal, std::move(keys)});
  if (!decision.allowed) return not_authorized(principal.arn, "sts:AssumeRole", role->arn);

  // A role session assuming a role (role chaining) gets at most an hour, as on AWS.
  const bool chaining = !caller.role_name.empty();
  const int64_t maximum = chaining ? kRoleChainingMaxSeconds : role->max_session_seconds;
  const int64_t seconds = CV_TRY(session_seconds(
      request.duration_seconds, kDefaultRoleSessionSeconds, maximum,
      chaining ? "The requested DurationSeconds exceeds the 1 hour session limit for roles "
                 "assumed by role chaining."
               : "The requested DurationSeconds exceeds the MaxSessionDuration set for this "
                 "role."));
  int packed_percent = 0;
  if (!request.policy.empty()) {
    const auto parsed = policy::parse_policy(request.policy, policy::PolicyKind::kSession,
                                             policy::kSessionPolicyMaxBytes);
    if (!parsed) return fail(ErrorCode::kMalformedPolicyDocument, parsed.error().message);
    packed_percent = static_cast<int>((request.policy.size() * 100 + policy::kSessionPolicyMaxBytes -
                                       1) /
                                      policy::kSessionPolicyMaxBytes);
  }

  SessionGrant grant;
  grant.role_name = role->name;
  grant.role_id = role->id;
  grant.session_name = request.session_name;
  grant.session_policy = request.policy;
  IssuedSession issued = issue(caller, std::move(grant), seconds);
  issued.assumed_role_arn =
      "arn:aws:sts::" + account_id_ + ":assumed-role/" + role->name + "/" + request.session_name;
  issued.assumed_role_id = role->id + ":" + request.session_name;
  issued.packed_policy_percent = packed_percent;
  return issued;
}

Result<IssuedSession> SessionIssuer::get_session_token(const auth::Identity& caller,
                                                       std::optional<int64_t> duration_seconds) {
  if (caller.anonymous) return fail(ErrorCode::kAccessDenied, "Access denied");
  if (caller.session) {
    return fail(ErrorCode::kAccessDenied, "Cannot call GetSessionToken with session credentials");
  }
  const int64_t seconds = CV_TRY(session_seconds(
      duration_seconds, kDefaultUserSessionSeconds,
      caller.is_root ? kMaxRootSessionSeconds : kMaxUserSessionSeconds,
      fmt::format("1 validation error detected: Value '{}' at 'durationSeconds' failed to "
                  "satisfy constraint: Member must have value less than or equal to {}",
                  duration_seconds.value_or(0),
                  caller.is_root ? kMaxRootSessionSeconds : kMaxUserSessionSeconds)));
  return issue(caller, SessionGrant{}, seconds);
}

IssuedSession SessionIssuer::issue(const auth::Identity& caller, SessionGrant grant,
                                   int64_t seconds) const {
  grant.access_key_id = new_session_access_key_id();
  grant.secret_key = new_secret_key();
  grant.issued_ns = to_unix_nanos(clock_.now());
  grant.expires_ns = grant.issued_ns + seconds * 1'000'000'000;
  grant.user_id = caller.user_id;
  grant.user_name = caller.user_name;
  IssuedSession issued;
  issued.session_token = seal_session_token(grant, users_.master_key());
  issued.access_key_id = std::move(grant.access_key_id);
  issued.secret_key = std::move(grant.secret_key);
  issued.expires_ns = grant.expires_ns;
  return issued;
}

Result<CallerIdentity> SessionIssuer::caller_identity(const auth::Identity& caller) {
  if (caller.anonymous) return fail(ErrorCode::kAccessDenied, "Access denied");
  const auto policies = CV_TRY(callers_.policies_for(caller));
  CallerIdentity identity;
  identity.account = account_id_;
  identity.arn = policies->principal.arn;
  identity.user_id = caller.is_root && caller.role_name.empty() ? account_id_
                                                                : policies->principal.user_id;
  return identity;
}

}  // namespace cv::iam
