// What a policy is evaluated against: who asks (Principal), for which action on which
// resource, and with which condition keys. Filled by the protocol layers (s3/, the IAM and
// STS API) and the `policy simulate` verb; read by the evaluator (policy/evaluator.h).
// Plain values; no I/O.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace cv::policy {

// Who makes the request, in the terms policies name principals by.
struct Principal {
  bool anonymous = true;   // no valid credentials: matches only Principal "*" / {"AWS":"*"}
  std::string account_id;  // the server's account: "123456789012"
  // The caller's ARN: "arn:aws:iam::ACCT:root" (root user), "arn:aws:iam::ACCT:user/NAME"
  // (an IAM user; the path before NAME included), "arn:aws:sts::ACCT:assumed-role/ROLE/SESSION"
  // (a role session). Empty when anonymous.
  std::string arn;
  // For a role session, the role's ARN ("arn:aws:iam::ACCT:role/ROLE"): a Principal that
  // names the role matches every session of it. Empty otherwise.
  std::string role_arn;
  std::string user_name;     // aws:username: an IAM user's name (root and sessions: empty)
  std::string user_id;       // aws:userid: the unique id ("AIDA..."; "AROA...:SESSION")
  std::string canonical_id;  // the S3 canonical user id (64 hex), for CanonicalUser principals
  bool is_root = false;
};

// Condition keys by lower-case name ("aws:sourceip", "s3:prefix", "s3:existingobjecttag/k"):
// each key has one or more values; a key absent from the map is absent from the request
// (what Null and ...IfExists test). Condition key names are case-insensitive in policies;
// values are compared as each operator says.
using ConditionKeys = std::map<std::string, std::vector<std::string>, std::less<>>;

struct RequestContext {
  std::string action;    // "s3:GetObject", "iam:CreateUser", "sts:AssumeRole"
  std::string resource;  // "arn:aws:s3:::bucket/key", "arn:aws:s3:::bucket", "*"
  Principal principal;
  ConditionKeys keys;
};

}  // namespace cv::policy
