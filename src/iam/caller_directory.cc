#include "iam/caller_directory.h"

#include "iam/iam_names.h"

namespace cv::iam {
namespace {

// Stored documents were validated on write; a generous limit keeps old ones readable.
constexpr size_t kStoredPolicyMaxBytes = 64 * 1024;

Result<policy::NamedPolicy> parse_stored(const PolicyDocumentRef& ref, policy::PolicyKind kind) {
  auto parsed = policy::parse_policy(ref.document, kind, kStoredPolicyMaxBytes);
  if (!parsed) {
    return fail(ErrorCode::kInternalError,
                "the stored " + ref.source + " no longer parses: " + parsed.error().message);
  }
  return policy::NamedPolicy{ref.source,
                             std::make_shared<const policy::Policy>(std::move(*parsed))};
}

}  // namespace

policy::Principal principal_of(const auth::Identity& identity, std::string_view account_id) {
  policy::Principal principal;
  principal.anonymous = identity.anonymous;
  principal.account_id = account_id;
  if (identity.anonymous) return principal;
  principal.is_root = identity.is_root;
  principal.canonical_id = identity.user_id;
  principal.user_id = identity.user_id;
  if (identity.is_root) {
    principal.arn = root_arn(account_id);
  } else {
    principal.arn = iam_arn(account_id, "user", "/", identity.user_name);
    principal.user_name = identity.user_name;
  }
  return principal;
}

Status validate_policy_document(std::string_view document, PolicyDocumentKind kind) {
  const auto parsed = policy::parse_policy(
      document,
      kind == PolicyDocumentKind::kTrust ? policy::PolicyKind::kTrust
                                         : policy::PolicyKind::kIdentity,
      policy::kRoleInlinePolicyMaxBytes);
  if (!parsed) return fail(ErrorCode::kMalformedPolicyDocument, parsed.error().message);
  return {};
}

Result<std::shared_ptr<const CallerPolicies>> CallerDirectory::policies_for(
    const auth::Identity& identity) {
  const std::string key = identity.session ? "session:" + identity.access_key_id : identity.user_id;
  const uint64_t generation = changes_ ? changes_->generation() : 0;
  {
    std::lock_guard lock(mutex_);
    if (generation != generation_) {
      cached_.clear();
      generation_ = generation;
    }
    if (auto it = cached_.find(key); it != cached_.end()) return it->second;
  }
  std::shared_ptr<const CallerPolicies> loaded = CV_TRY(load(identity));
  std::lock_guard lock(mutex_);
  if (generation == generation_) cached_.insert_or_assign(key, loaded);
  return loaded;
}

Result<std::shared_ptr<const CallerPolicies>> CallerDirectory::load(
    const auth::Identity& identity) {
  auto caller = std::make_shared<CallerPolicies>();
  caller->principal = principal_of(identity, account_id_);
  caller->has_session = identity.session;
  if (!identity.role_name.empty()) {
    // A role session acts as the role: its policies, its ARN; it owns nothing.
    if (directory_ == nullptr) {
      return fail(ErrorCode::kInvalidAccessKeyId,
                  "The AWS Access Key Id you provided does not exist in our records.");
    }
    const auto role = CV_TRY(directory_->find_role(identity.role_name));
    if (!role || role->id != identity.role_id) {
      return fail(ErrorCode::kInvalidAccessKeyId,
                  "The AWS Access Key Id you provided does not exist in our records.");
    }
    policy::Principal& principal = caller->principal;
    principal.is_root = false;
    principal.canonical_id.clear();
    principal.user_name.clear();
    principal.role_arn = role->arn;
    principal.arn = "arn:aws:sts::" + account_id_ + ":assumed-role/" + role->name + "/" +
                    identity.session_name;
    principal.user_id = role->id + ":" + identity.session_name;
    for (const PolicyDocumentRef& ref : role->policies) {
      caller->identity.push_back(CV_TRY(parse_stored(ref, policy::PolicyKind::kIdentity)));
    }
  } else if (directory_ != nullptr && !identity.is_root) {
    const auto user = directory_->get_user_by_id(identity.user_id);
    if (user) {
      caller->principal.arn = iam_arn(account_id_, "user", user->path, user->name);
      if (!user->iam_id.empty()) caller->principal.user_id = user->iam_id;
    }
    for (const PolicyDocumentRef& ref :
         CV_TRY(directory_->identity_policies_for_user(identity.user_id))) {
      caller->identity.push_back(CV_TRY(parse_stored(ref, policy::PolicyKind::kIdentity)));
    }
  }
  if (!identity.session_policy.empty()) {
    caller->session.push_back(CV_TRY(
        parse_stored({"session policy", identity.session_policy}, policy::PolicyKind::kSession)));
  }
  caller->tenant = !identity.is_root && identity.role_name.empty() && caller->identity.empty();
  return std::shared_ptr<const CallerPolicies>(std::move(caller));
}

}  // namespace cv::iam
