// STS in domain terms (issue 14): AssumeRole, GetSessionToken and GetCallerIdentity. The
// query API (iam_api/sts_actions.cc) translates requests and answers; the rules live here.
//
// A session is its token (iam/session_token.h): nothing is stored per session, and the
// verifier accepts it through UserDirectory::find_session until it expires, or until its user
// (or, for a role session, its role: CallerDirectory) is deleted.
//
// AssumeRole is decided by the one evaluator, as AWS does: the role's trust policy is the
// resource policy and the caller's identity (and session) policies the identity side, for
// the action sts:AssumeRole on the role's ARN. A trust policy naming the caller's ARN allows
// it on its own; one naming the account needs an identity policy that allows it too.
//
// Errors are STS's: AccessDenied (with the AWS message), ValidationError for a parameter out
// of range, MalformedPolicyDocument for a session policy that does not parse.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "auth/sigv4.h"
#include "core/clock.h"
#include "core/error.h"
#include "iam/caller_policies.h"
#include "iam/iam_directory.h"
#include "iam/session_token.h"
#include "iam/user_directory.h"
#include "policy/request_context.h"

namespace cv::iam {

// STS's limits.
inline constexpr int64_t kMinSessionSeconds = 900;
inline constexpr int64_t kMaxRoleSessionSeconds = 43200;  // a role's MaxSessionDuration cap
inline constexpr int64_t kRoleChainingMaxSeconds = 3600;  // a role session assuming a role
inline constexpr int64_t kDefaultRoleSessionSeconds = 3600;
inline constexpr int64_t kMaxUserSessionSeconds = 129600;  // GetSessionToken: 36 hours
inline constexpr int64_t kMaxRootSessionSeconds = 3600;
inline constexpr int64_t kDefaultUserSessionSeconds = 43200;

struct AssumeRoleRequest {
  std::string role_arn;
  std::string session_name;           // RoleSessionName: 2..64 of [\w+=,.@-]
  std::optional<int64_t> duration_seconds;  // default 3600; 900..the role's maximum
  std::string policy;                 // a session policy (JSON), empty: none
  std::optional<std::string> external_id;  // sts:ExternalId: 2..1224 of [\w+=,.@:/-]
  // Condition keys of the request itself (aws:SourceIp, aws:SecureTransport, ...); the
  // issuer adds the caller's and STS's own.
  policy::ConditionKeys request_keys;
};

struct IssuedSession {
  std::string access_key_id;
  std::string secret_key;
  std::string session_token;
  int64_t expires_ns = 0;
  // AssumeRole: the session's principal ("arn:aws:sts::ACCT:assumed-role/ROLE/SESSION") and
  // id ("AROA...:SESSION"); the session policy's packed size in percent of the limit.
  std::string assumed_role_arn;
  std::string assumed_role_id;
  int packed_policy_percent = 0;
};

struct CallerIdentity {
  std::string account;
  std::string arn;
  std::string user_id;
};

// Thread-safe. Everything passed in must outlive it.
class SessionIssuer {
 public:
  SessionIssuer(IamDirectory& directory, UserDirectory& users, CallerPolicySource& callers,
                const Clock& clock, std::string account_id);

  Result<IssuedSession> assume_role(const auth::Identity& caller, const AssumeRoleRequest& request);
  // The session acts as the caller, with its policies. Not for sessions (AccessDenied).
  Result<IssuedSession> get_session_token(const auth::Identity& caller,
                                          std::optional<int64_t> duration_seconds);
  Result<CallerIdentity> caller_identity(const auth::Identity& caller);

 private:
  // Fresh keys for `grant` (its role fields set or empty), acting for `caller`, valid for
  // `seconds` from now, sealed into the token.
  IssuedSession issue(const auth::Identity& caller, SessionGrant grant, int64_t seconds) const;

  IamDirectory& directory_;
  UserDirectory& users_;
  CallerPolicySource& callers_;
  const Clock& clock_;
  std::string account_id_;
};

}  // namespace cv::iam
