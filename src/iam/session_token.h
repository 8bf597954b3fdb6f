// STS temporary credentials, kept in the session token itself: the grant (keys, expiry, the
// role or user it acts as, the session policy) sealed with AES-256-GCM under the master key,
// so any server holding the key verifies a token without a lookup, and nothing is stored per
// session. A token names the role's (or user's) unique id, so deleting the role or user ends
// every session of it (the verifier checks it still exists with that id), and a role created
// again under the same name does not revive old sessions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cv::iam {

struct SessionGrant {
  std::string access_key_id;  // "ASIA" + 16 characters
  std::string secret_key;
  int64_t issued_ns = 0;
  int64_t expires_ns = 0;
  // The user who asked (GetSessionToken: the session acts as this user, with its policies).
  std::string user_id;    // canonical id
  std::string user_name;
  // AssumeRole: the role the session acts as (empty for GetSessionToken).
  std::string role_name;
  std::string role_id;    // "AROA..."
  std::string session_name;
  std::string session_policy;  // the Policy parameter as given; empty: none
};

// The token: base64 of the sealed grant; a few hundred bytes.
std::string seal_session_token(const SessionGrant& grant, std::string_view master_key);
// InvalidToken ("The security token included in the request is invalid.") when the token
// was not sealed by `master_key` or is malformed. Expiry is the caller's to check.
Result<SessionGrant> open_session_token(std::string_view token, std::string_view master_key);

// A fresh temporary access key id: "ASIA" and 16 characters of [A-Z2-7].
std::string new_session_access_key_id();

}  // namespace cv::iam
