// Decides whether a verified (or anonymous) caller may do what an S3 request asks, by AWS's
// rules: every identity policy of the caller, the bucket's policy (unless Block Public
// Access restricts it) and the session policy go through one evaluator (policy/evaluator.h).
// An explicit Deny wins; then an Allow; then CloudVault's ownership rules:
//   - a bucket's owner may do anything with the bucket and its objects (as an AWS account
//     may with its own buckets), unless a policy denies it explicitly; so may root;
//   - a tenant user (no identity policy at all: CloudVault's users before policies, and Ceph
//     RGW's) may create buckets and list its own;
// else the request is refused: AccessDenied "Access Denied", with the reason logged and kept
// in the call (Call::denial) for the audit trail. The root user and a bucket's owner may
// always read, replace and delete the bucket's policy (S3's lock-out protection).
#pragma once

#include <memory>
#include <string>

#include "core/clock.h"
#include "iam/caller_policies.h"
#include "policy/evaluator.h"
#include "s3/access_checks.h"
#include "vault/vault.h"

namespace cv::s3 {

struct Call;

// What one check decided and why (for `cloudvault admin policy simulate` and the log).
struct AccessDecision {
  bool allowed = false;
  std::string explanation;  // "allowed by bucket policy statement 1 (Sid "PublicRead")"
  bool explicit_deny = false;  // refused by a policy's Deny
};

// Thread-safe; the vault, policy source and clock must outlive it.
class Authorizer {
 public:
  Authorizer(vault::Vault& vault, iam::CallerPolicySource& callers, const Clock& clock,
             std::string account_id);

  // OK when the call's caller may do `check`; AccessDenied otherwise (Call::denial says
  // why); NoSuchBucket when `check` names a bucket that does not exist (except
  // s3:CreateBucket); InvalidAccessKeyId when the caller is gone. Loads the caller's
  // policies into the call on first use.
  Status authorize(Call& call, const AccessCheck& check) const;

  // The decision for a caller described by `caller` (anonymous when null), with the
  // condition keys given: what authorize decides, explained.
  Result<AccessDecision> decide(const iam::CallerPolicies* caller, const AccessCheck& check,
                                const policy::ConditionKeys& keys) const;

  const std::string& account_id() const { return account_id_; }

 private:
  // decide() with `keys` lent to the evaluator and given back unchanged (no copy per check).
  // `access`: the bucket's access state when the caller has it; null: looked up.
  Result<AccessDecision> decide_with(const iam::CallerPolicies* caller, const AccessCheck& check,
                                     policy::ConditionKeys& keys,
                                     std::shared_ptr<const vault::BucketAccess> access) const;
  // The access state of `bucket`: from the call's bucket state when it is the route's bucket
  // (loading that once), else looked up.
  Result<std::shared_ptr<const vault::BucketAccess>> access_for(Call& call,
                                                                std::string_view bucket) const;
  // The caller's policies (cached in the call), or null for an anonymous caller.
  Result<const iam::CallerPolicies*> caller_of(Call& call) const;
  // Whether a policy the decision may use (the caller's identity and session policies, the
  // bucket's policy) reads the request's condition keys (policy/key_use.h).
  static bool policies_read_keys(const iam::CallerPolicies* caller,
                                 const vault::BucketAccess* access);

  vault::Vault& vault_;
  iam::CallerPolicySource& callers_;
  const Clock& clock_;
  std::string account_id_;
};

}  // namespace cv::s3
