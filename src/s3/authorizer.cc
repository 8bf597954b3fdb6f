#include "s3/authorizer.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "policy/key_use.h"
#include "s3/call.h"
#include "s3/condition_keys.h"

namespace cv::s3 {
namespace {

bool is_policy_action(std::string_view action) {
  return action == "s3:GetBucketPolicy" || action == "s3:PutBucketPolicy" ||
         action == "s3:DeleteBucketPolicy";
}

bool is_tenant_action(std::string_view action) {
  return action == "s3:CreateBucket" || action == "s3:ListAllMyBuckets";
}

// Actions on an object that exists, whose tags s3:ExistingObjectTag/<key> offers (not writes
// of a new object, nor the parts of an upload).
bool reads_existing_object(const AccessCheck& check) {
  return check.on_object && !check.key.empty() && check.action != "s3:PutObject" &&
         check.action != "s3:AbortMultipartUpload" &&
         check.action != "s3:ListMultipartUploadParts";
}

bool uses_existing_object_tags(const policy::PolicySet& policies) {
  constexpr std::string_view kPrefix = "s3:existingobjecttag/";
  auto uses = [&](const policy::NamedPolicy& named) {
    return named.policy && policy::uses_condition_key(*named.policy, kPrefix);
  };
  if (policies.resource && uses(*policies.resource)) return true;
  for (const auto& named : policies.identity) {
    if (uses(named)) return true;
  }
  for (const auto& named : policies.session) {
    if (uses(named)) return true;
  }
  return false;
}

policy::Principal anonymous_principal(const std::string& account_id) {
  policy::Principal principal;
  principal.anonymous = true;
  principal.account_id = account_id;
  return principal;
}

std::string who(const iam::CallerPolicies* caller) {
  return caller ? caller->principal.arn : std::string("anonymous");
}

}  // namespace

Authorizer::Authorizer(vault::Vault& vault, iam::CallerPolicySource& callers, const Clock& clock,
                       std::string account_id)
    : vault_(vault), callers_(callers), clock_(clock), account_id_(std::move(account_id)) {}

Result<const iam::CallerPolicies*> Authorizer::caller_of(Call& call) const {
  if (call.identity.anonymous) return nullptr;
  if (!call.caller) call.caller = CV_TRY(callers_.policies_for(call.identity));
  return call.caller.get();
}

Result<AccessDecision> Authorizer::decide(const iam::CallerPolicies* caller,
                                          const AccessCheck& check,
                                          const policy::ConditionKeys& keys) const {
  policy::ConditionKeys copy = keys;
  return decide_with(caller, check, copy, nullptr);
}

Result<AccessDecision> Authorizer::decide_with(const iam::CallerPolicies* caller,
                                               const AccessCheck& check,
                                               policy::ConditionKeys& keys,
                                               std::shared_ptr<const vault::BucketAccess> access)
    const {
  policy::PolicySet policies;
  if (caller) {
    policies.identity = caller->identity;
    policies.session = caller->session;
    policies.has_session = caller->has_session;
  }
  if (check.bucket.empty() || check.action == "s3:CreateBucket") {
    access.reset();
  } else {
    if (!access) access = CV_TRY(vault_.bucket_access(check.bucket));
    if (access->policy) {
      // RestrictPublicBuckets: a public policy grants nothing to callers outside the
      // account, and every anonymous caller is outside it.
      const bool restricted = caller == nullptr && access->policy_is_public &&
                              CV_TRY(vault_.public_access_in_force(*access)).restrict_public_buckets;
      if (!restricted) policies.resource = policy::NamedPolicy{"bucket policy", access->policy};
    }
  }
  // The keys are lent to the context (a request's checks share them) and given back below;
  // s3:ExistingObjectTag/<key> costs a metadata read and belongs to this check alone, so a
  // check a policy reads it for gets a copy with the tags (a missing object has none).
  const bool with_tags = reads_existing_object(check) && uses_existing_object_tags(policies);
  policy::RequestContext context{check.action, check.resource,
                                 caller ? caller->principal : anonymous_principal(account_id_),
                                 with_tags ? keys : std::move(keys)};
  if (with_tags) {
    if (auto existing = vault_.get_version(check.bucket, check.key, check.version_id)) {
      add_existing_object_tags(*existing, context.keys);
    }
  }
  const policy::Decision decision = policy::decide(policies, context);
  if (!with_tags) keys = std::move(context.keys);
  const bool owner = caller && access && !caller->principal.canonical_id.empty() &&
                     caller->principal.canonical_id == access->bucket.owner_id;
  const bool root = caller && caller->principal.is_root;
  if (decision.effect == policy::Effect::kDeny) {
    if ((owner || root) && is_policy_action(check.action)) {
      return AccessDecision{true, "allowed: the bucket's owner may always manage its policy (" +
                                      decision.explanation + ")"};
    }
    return AccessDecision{false, decision.explanation, true};
  }
  if (decision.allowed) return AccessDecision{true, decision.explanation};
  if (owner) return AccessDecision{true, "allowed: the caller owns bucket " + check.bucket};
  if (root) return AccessDecision{true, "allowed: the caller is the root user"};
  if (caller && caller->tenant && is_tenant_action(check.action)) {
    return AccessDecision{true, "allowed: a user without identity policies may create buckets "
                                "and list its own"};
  }
  std::string reason = decision.explanation.empty() ? "no policy allows it (implicit deny)"
                                                    : decision.explanation;
  return AccessDecision{false, std::move(reason)};
}

Result<std::shared_ptr<const vault::BucketAccess>> Authorizer::access_for(
    Call& call, std::string_view bucket) const {
  if (bucket != call.route.bucket) return vault_.bucket_access(bucket);
  if (!call.bucket_state) call.bucket_state = CV_TRY(vault_.bucket_state(bucket));
  return call.bucket_state->access;
}

bool Authorizer::policies_read_keys(const iam::CallerPolicies* caller,
                                    const vault::BucketAccess* access) {
  const auto any_reads = [](const std::vector<policy::NamedPolicy>& policies) {
    return std::ranges::any_of(policies, [](const policy::NamedPolicy& named) {
      return named.policy && policy::reads_request_keys(*named.policy);
    });
  };
  if (caller && (any_reads(caller->identity) || any_reads(caller->session))) return true;
  return access && access->policy && policy::reads_request_keys(*access->policy);
}

Status Authorizer::authorize(Call& call, const AccessCheck& check) const {
  const iam::CallerPolicies* caller = CV_TRY(caller_of(call));
  // Most requests come from a bucket's owner or root, governed by no policy: decided
  // without building the condition keys.
  if (caller && caller->identity.empty() && !caller->has_session) {
    if (check.bucket.empty() || check.action == "s3:CreateBucket") {
      if (caller->principal.is_root || caller->tenant) return {};
    } else {
      const auto access = CV_TRY(access_for(call, check.bucket));
      if (!access->policy && (caller->principal.is_root ||
                              caller->principal.canonical_id == access->bucket.owner_id)) {
        return {};
      }
    }
  }
  std::shared_ptr<const vault::BucketAccess> access;
  if (!check.bucket.empty() && check.action != "s3:CreateBucket") {
    access = CV_TRY(access_for(call, check.bucket));
  }
  // The keys (a dozen strings) are built once per request, and only when a policy of this
  // decision reads them; otherwise the evaluator never looks at them.
  policy::ConditionKeys unread;
  if (!call.condition_keys && policies_read_keys(caller, access.get())) {
    call.condition_keys = request_condition_keys(
        call, caller ? caller->principal : anonymous_principal(account_id_), clock_.now());
  }
  policy::ConditionKeys& keys = call.condition_keys ? *call.condition_keys : unread;
  const AccessDecision decision = CV_TRY(decide_with(caller, check, keys, std::move(access)));
  if (decision.allowed) return {};
  call.explicit_deny = call.explicit_deny || decision.explicit_deny;
  call.denial = check.action + " on " + check.resource + " for " + who(caller) + ": " +
                decision.explanation;
  spdlog::info("request {} denied: {}", call.request.request_id, call.denial);
  return fail(ErrorCode::kAccessDenied, "Access Denied", check.bucket);
}

}  // namespace cv::s3
