#include "iam/caller_directory.h"

namespace cv::iam {

policy::Principal principal_of(const auth::Identity& identity, std::string_view account_id) {
  policy::Principal principal;
  principal.anonymous = identity.anonymous;
  principal.account_id = account_id;
  if (identity.anonymous) return principal;
  principal.is_root = identity.is_root;
  principal.canonical_id = identity.user_id;
  principal.user_id = identity.user_id;
  if (identity.is_root) {
    principal.arn = "arn:aws:iam::" + std::string(account_id) + ":root";
  } else {
    principal.arn = "arn:aws:iam::" + std::string(account_id) + ":user/" + identity.user_name;
    principal.user_name = identity.user_name;
  }
  return principal;
}

Result<std::shared_ptr<const CallerPolicies>> CallerDirectory::policies_for(
    const auth::Identity& identity) {
  std::lock_guard lock(mutex_);
  if (auto it = by_user_.find(identity.user_id); it != by_user_.end()) return it->second;
  auto caller = std::make_shared<CallerPolicies>();
  caller->principal = principal_of(identity, account_id_);
  caller->tenant = !identity.is_root;
  std::shared_ptr<const CallerPolicies> shared = std::move(caller);
  by_user_.emplace(identity.user_id, shared);
  return shared;
}

}  // namespace cv::iam
