// IamDirectory: inline and managed policies, attachments, and the policy queries of
// authorization. Users, groups and roles are in iam_directory.cc.
#include <set>

#include "iam/iam_directory.h"

namespace cv::iam {
namespace {

constexpr size_t kMaxDocument = 131072;  // IAM's API limit on a policy document's length
constexpr size_t kMaxDescription = 1000;

std::string_view principal_field(meta::IamPrincipalKind kind) {
  switch (kind) {
    case meta::IamPrincipalKind::kUser:
      return "userName";
    case meta::IamPrincipalKind::kGroup:
      return "groupName";
    case meta::IamPrincipalKind::kRole:
      return "roleName";
  }
  return "name";
}

NameKind name_kind(meta::IamPrincipalKind kind) {
  switch (kind) {
    case meta::IamPrincipalKind::kUser:
      return NameKind::kUser;
    case meta::IamPrincipalKind::kGroup:
      return NameKind::kGroup;
    case meta::IamPrincipalKind::kRole:
      return NameKind::kRole;
  }
  return NameKind::kUser;
}

}  // namespace

Status IamDirectory::check_document(std::string_view document, PolicyDocumentKind kind) {
  if (document.empty() || document.size() > kMaxDocument) {
    return fail(ErrorCode::kValidationError,
                "1 validation error detected: Value at 'policyDocument' failed to satisfy "
                "constraint: Member must have length between 1 and 131072");
  }
  return options_.validator(document, kind);
}

Result<std::string> IamDirectory::resolve(const PrincipalName& owner) {
  CV_TRY(validate_name(name_kind(owner.kind), owner.name, principal_field(owner.kind)));
  switch (owner.kind) {
    case meta::IamPrincipalKind::kUser:
      return CV_TRY(get_user(owner.name)).id;
    case meta::IamPrincipalKind::kGroup:
      if (auto group = CV_TRY(meta_.get_group(owner.name))) return group->name;
      return fail(ErrorCode::kNoSuchEntity,
                  "The group with name " + owner.name + " cannot be found.");
    case meta::IamPrincipalKind::kRole:
      if (auto role = CV_TRY(meta_.get_role(owner.name))) return role->name;
      return fail(ErrorCode::kNoSuchEntity,
                  "The role with name " + owner.name + " cannot be found.");
  }
  return fail(ErrorCode::kInternalError, "unknown principal kind");
}

// --- Inline policies ----------------------------------------------------------------------

Status IamDirectory::put_inline_policy(const PrincipalName& owner, std::string_view policy_name,
                                       std::string_view document) {
  CV_TRY(validate_name(NameKind::kPolicy, policy_name, "policyName"));
  const std::string principal = CV_TRY(resolve(owner));
  CV_TRY(check_document(document, PolicyDocumentKind::kIdentity));
  CV_TRY(meta_.put_inline_policy(
      meta::InlinePolicy{owner.kind, principal, std::string(policy_name), std::string(document)}));
  changed();
  return {};
}

Result<meta::InlinePolicy> IamDirectory::get_inline_policy(const PrincipalName& owner,
                                                           std::string_view policy_name) {
  CV_TRY(validate_name(NameKind::kPolicy, policy_name, "policyName"));
  const std::string principal = CV_TRY(resolve(owner));
  auto policy = CV_TRY(meta_.get_inline_policy(owner.kind, principal, policy_name));
  if (!policy) {
    const std::string_view field = principal_field(owner.kind);  // "userName" -> "user"
    return fail(ErrorCode::kNoSuchEntity, "The " + std::string(field.substr(0, field.size() - 4)) +
                                              " policy with name " + std::string(policy_name) +
                                              " cannot be found.");
  }
  return std::move(*policy);
}

Status IamDirectory::delete_inline_policy(const PrincipalName& owner,
                                          std::string_view policy_name) {
  CV_TRY(validate_name(NameKind::kPolicy, policy_name, "policyName"));
  const std::string principal = CV_TRY(resolve(owner));
  CV_TRY(meta_.delete_inline_policy(owner.kind, principal, policy_name));
  changed();
  return {};
}

Result<std::vector<std::string>> IamDirectory::list_inline_policies(const PrincipalName& owner) {
  const std::string principal = CV_TRY(resolve(owner));
  std::vector<std::string> names;
  for (auto& policy : CV_TRY(meta_.list_inline_policies(owner.kind, principal))) {
    names.push_back(std::move(policy.name));
  }
  return names;
}

// --- Managed policies ---------------------------------------------------------------------

Result<meta::ManagedPolicy> IamDirectory::create_policy(std::string_view name,
                                                        std::string_view path,
                                                        std::string_view document,
                                                        std::string_view description) {
  CV_TRY(validate_name(NameKind::kPolicy, name, "policyName"));
  const std::string_view policy_path = path.empty() ? "/" : path;
  CV_TRY(validate_path(policy_path));
  if (description.size() > kMaxDescription) {
    return fail(ErrorCode::kValidationError,
                "1 validation error detected: Value at 'description' failed to satisfy "
                "constraint: Member must have length less than or equal to 1000");
  }
  CV_TRY(check_document(document, PolicyDocumentKind::kIdentity));
  meta::ManagedPolicy policy{
      std::string(name),     std::string(policy_path), new_unique_id(kPolicyIdPrefix),
      std::string(document), std::string(description), to_unix_nanos(clock_.now())};
  CV_TRY(meta_.create_managed_policy(policy));
  changed();
  return policy;
}

Result<meta::ManagedPolicy> IamDirectory::policy_by_arn(std::string_view arn) {
  const PolicyArnParts parts = CV_TRY(parse_policy_arn(options_.account_id, arn));
  auto policy = CV_TRY(meta_.get_managed_policy(parts.name));
  if (!policy || policy->path != parts.path) {
    return fail(ErrorCode::kNoSuchEntity,
                "Policy " + std::string(arn) + " does not exist or is not attachable.");
  }
  return std::move(*policy);
}

Result<meta::ManagedPolicy> IamDirectory::get_policy(std::string_view arn) {
  return policy_by_arn(arn);
}

Result<meta::ManagedPolicy> IamDirectory::get_policy_by_name(std::string_view name) {
  CV_TRY(validate_name(NameKind::kPolicy, name, "policyName"));
  if (auto policy = CV_TRY(meta_.get_managed_policy(name))) return std::move(*policy);
  return fail(ErrorCode::kNoSuchEntity,
              "The policy with name " + std::string(name) + " cannot be found.");
}

Result<std::vector<meta::ManagedPolicy>> IamDirectory::list_policies(std::string_view path_prefix,
                                                                     bool only_attached) {
  CV_TRY(validate_path_prefix(path_prefix));
  std::vector<meta::ManagedPolicy> policies;
  for (auto& policy : CV_TRY(meta_.list_managed_policies())) {
    if (!policy.path.starts_with(path_prefix)) continue;
    if (only_attached && CV_TRY(meta_.policy_attachment_count(policy.name)) == 0) continue;
    policies.push_back(std::move(policy));
  }
  return policies;
}

Result<int64_t> IamDirectory::attachment_count(const meta::ManagedPolicy& policy) {
  return meta_.policy_attachment_count(policy.name);
}

Status IamDirectory::delete_policy(std::string_view arn) {
  const meta::ManagedPolicy policy = CV_TRY(policy_by_arn(arn));
  CV_TRY(meta_.delete_managed_policy(policy.name));
  changed();
  return {};
}

Status IamDirectory::attach_policy(const PrincipalName& owner, std::string_view arn) {
  const meta::ManagedPolicy policy = CV_TRY(policy_by_arn(arn));
  const std::string principal = CV_TRY(resolve(owner));
  CV_TRY(meta_.attach_policy(owner.kind, principal, policy.name));
  changed();
  return {};
}

Status IamDirectory::detach_policy(const PrincipalName& owner, std::string_view arn) {
  const meta::ManagedPolicy policy = CV_TRY(policy_by_arn(arn));
  const std::string principal = CV_TRY(resolve(owner));
  if (auto detached = meta_.detach_policy(owner.kind, principal, policy.name); !detached) {
    if (detached.error().code == ErrorCode::kNoSuchEntity) {
      return fail(ErrorCode::kNoSuchEntity, "Policy " + std::string(arn) + " was not found.");
    }
    return detached;
  }
  changed();
  return {};
}

Result<std::vector<meta::ManagedPolicy>> IamDirectory::list_attached_policies(
    const PrincipalName& owner) {
  const std::string principal = CV_TRY(resolve(owner));
  std::vector<meta::ManagedPolicy> policies;
  for (const auto& name : CV_TRY(meta_.list_attached_policies(owner.kind, principal))) {
    if (auto policy = CV_TRY(meta_.get_managed_policy(name)))
      policies.push_back(std::move(*policy));
  }
  return policies;
}

// --- Queries for authorization -----------------------------------------------------------

Result<std::vector<PolicyDocumentRef>> IamDirectory::load_identity_policies(
    std::string_view user_id) {
  std::vector<PolicyDocumentRef> refs;
  std::set<std::string> managed_seen;
  auto add_managed = [&](meta::IamPrincipalKind kind, std::string_view principal) -> Status {
    for (const auto& name : CV_TRY(meta_.list_attached_policies(kind, principal))) {
      auto policy = CV_TRY(meta_.get_managed_policy(name));
      if (!policy) continue;
      const std::string arn = policy_arn(*policy);
      if (!managed_seen.insert(arn).second) continue;
      refs.push_back({"managed policy '" + arn + "'", std::move(policy->document)});
    }
    return {};
  };
  for (auto& policy : CV_TRY(meta_.list_inline_policies(meta::IamPrincipalKind::kUser, user_id))) {
    refs.push_back({"user inline policy '" + policy.name + "'", std::move(policy.document)});
  }
  CV_TRY(add_managed(meta::IamPrincipalKind::kUser, user_id));
  for (const auto& group : CV_TRY(meta_.list_user_groups(user_id))) {
    for (auto& policy :
         CV_TRY(meta_.list_inline_policies(meta::IamPrincipalKind::kGroup, group.name))) {
      refs.push_back({"group '" + group.name + "' inline policy '" + policy.name + "'",
                      std::move(policy.document)});
    }
    CV_TRY(add_managed(meta::IamPrincipalKind::kGroup, group.name));
  }
  return refs;
}

Result<std::optional<RoleInfo>> IamDirectory::load_role(std::string_view name) {
  auto role = CV_TRY(meta_.get_role(name));
  if (!role) return std::optional<RoleInfo>();
  RoleInfo info{role->name,
                role->path,
                role->id,
                role_arn(*role),
                role->trust_policy,
                role->description,
                role->max_session_seconds,
                role->created_ns,
                {}};
  for (auto& policy :
       CV_TRY(meta_.list_inline_policies(meta::IamPrincipalKind::kRole, role->name))) {
    info.policies.push_back(
        {"role inline policy '" + policy.name + "'", std::move(policy.document)});
  }
  for (const auto& policy_name :
       CV_TRY(meta_.list_attached_policies(meta::IamPrincipalKind::kRole, role->name))) {
    if (auto policy = CV_TRY(meta_.get_managed_policy(policy_name))) {
      info.policies.push_back(
          {"managed policy '" + policy_arn(*policy) + "'", std::move(policy->document)});
    }
  }
  return std::optional<RoleInfo>(std::move(info));
}

}  // namespace cv::iam
