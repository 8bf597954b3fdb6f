// Policy documents: parsing with AWS's write-time validation, and the parsed model.
//
// One language for identity policies (user / group / role, inline and managed), resource
// (bucket) policies, role trust policies and STS session policies; evaluator.h decides
// requests against them. A Policy is immutable once parsed: share it as
// std::shared_ptr<const Policy>, evaluate it from any number of threads.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "policy/statement.h"

namespace cv::policy {

enum class PolicyKind { kIdentity, kResource, kTrust, kSession };

// Size limits AWS applies on write (callers pass the one that fits to parse_policy).
inline constexpr size_t kUserInlinePolicyMaxBytes = 2048;
inline constexpr size_t kGroupInlinePolicyMaxBytes = 5120;
inline constexpr size_t kRoleInlinePolicyMaxBytes = 10240;
inline constexpr size_t kManagedPolicyMaxBytes = 6144;
inline constexpr size_t kSessionPolicyMaxBytes = 2048;
inline constexpr size_t kBucketPolicyMaxBytes = 20480;

class Policy {
 public:
  PolicyKind kind() const { return kind_; }
  // "2012-10-17", "2008-10-17", or "" when the document had none (2008 semantics).
  const std::string& version() const { return version_; }
  // Whether ${...} policy variables are substituted (Version 2012-10-17 only).
  bool has_variables() const { return version_ == "2012-10-17"; }
  const std::string& id() const { return id_; }
  const std::vector<Statement>& statements() const { return statements_; }

 private:
  friend Result<Policy> parse_policy(std::string_view json, PolicyKind kind, size_t max_bytes);
  friend const std::string& original_text(const Policy&);
  friend const std::string& canonical_text(const Policy&);

  PolicyKind kind_ = PolicyKind::kIdentity;
  std::string version_;
  std::string id_;
  std::vector<Statement> statements_;
  std::string original_;
  std::string canonical_;
};

// Parses and validates a policy document as AWS does on write:
// - valid JSON (an object) of at most `max_bytes` bytes, with no key repeated in an object;
// - Version "2012-10-17" or "2008-10-17" (absent: 2008 semantics, no variables); Id optional;
// - Statement: one object or a non-empty array; each with Effect Allow|Deny, exactly one of
//   Action/NotAction ("*" or "service:pattern"), an optional Sid (alphanumeric, unique);
// - per kind: identity and session policies need Resource/NotResource and must not name a
//   Principal; resource policies need Resource/NotResource and Principal/NotPrincipal; trust
//   policies need Principal/NotPrincipal and must not name a Resource;
// - Condition: known operators only (with IfExists / ForAllValues: / ForAnyValue:), key
//   names with a vendor prefix, values the operator can take.
// Failure: ErrorCode::kMalformedPolicy with the reason as the message.
Result<Policy> parse_policy(std::string_view json, PolicyKind kind,
                            size_t max_bytes = kBucketPolicyMaxBytes);

// The document exactly as given (AWS returns it as written).
const std::string& original_text(const Policy& policy);
// The document as compact JSON (whitespace removed, keys in their original order).
const std::string& canonical_text(const Policy& policy);

// Whether any statement has a condition on a key whose lower-case name starts with `prefix`
// ("s3:existingobjecttag/"): callers fetch keys that cost a lookup only when a policy reads them.
bool uses_condition_key(const Policy& policy, std::string_view prefix);

// Whether a bucket policy is "public" as S3 defines it for Block Public Access and
// GetBucketPolicyStatus: an Allow statement whose Principal is a wildcard ("*",
// {"AWS":"*"}, or any NotPrincipal) and that no condition fixes to a non-wildcard value of
// aws:SourceIp (a CIDR of /8 or narrower for IPv4, /32 or narrower for IPv6),
// aws:SourceArn, aws:SourceVpc, aws:SourceVpce, aws:SourceOwner, aws:SourceAccount,
// aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalOrgID, aws:userid (outside the
// "AROLEID:*" pattern), s3:x-amz-server-side-encryption-aws-kms-key-id,
// s3:DataAccessPointArn or s3:DataAccessPointAccount.
bool is_public(const Policy& policy);

}  // namespace cv::policy
