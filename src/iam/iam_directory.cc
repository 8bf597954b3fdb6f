// IamDirectory: users, groups, roles, the account summary and the query cache. Policies are
// in iam_policies.cc.
#include "iam/iam_directory.h"

#include <algorithm>

namespace cv::iam {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::unexpected<Error> no_such(std::string_view what, std::string_view name) {
  return fail(ErrorCode::kNoSuchEntity,
              "The " + std::string(what) + " with name " + std::string(name) + " cannot be found.");
}

constexpr int64_t kMinSessionSeconds = 3600;
constexpr int64_t kMaxSessionSeconds = 43200;
constexpr size_t kMaxDescription = 1000;

}  // namespace

IamDirectory::IamDirectory(meta::MetaStore& meta, UserDirectory& users, ChangeSignal& changes,
                           const Clock& clock, IamDirectoryOptions options)
    : meta_(meta),
      users_(users),
      changes_(changes),
      clock_(clock),
      options_(std::move(options)),
      cached_generation_(changes.generation()) {
  if (!options_.validator) options_.validator = default_policy_validator;
}

std::string IamDirectory::user_arn(const meta::User& user) const {
  if (user.is_root) return root_arn(options_.account_id);
  return iam_arn(options_.account_id, "user", user.path, user.name);
}
std::string IamDirectory::group_arn(const meta::IamGroup& group) const {
  return iam_arn(options_.account_id, "group", group.path, group.name);
}
std::string IamDirectory::role_arn(const meta::IamRole& role) const {
  return iam_arn(options_.account_id, "role", role.path, role.name);
}
std::string IamDirectory::policy_arn(const meta::ManagedPolicy& policy) const {
  return iam_arn(options_.account_id, "policy", policy.path, policy.name);
}

void IamDirectory::changed() { changes_.announce(); }

// --- Users ------------------------------------------------------------------------------

Result<meta::User> IamDirectory::create_user(std::string_view name, std::string_view path,
                                             std::string_view tags) {
  return users_.add_user(name, "", "", path.empty() ? "/" : path, tags);
}

Result<meta::User> IamDirectory::get_user(std::string_view name) {
  CV_TRY(validate_name(NameKind::kUser, name, "userName"));
  if (auto user = CV_TRY(meta_.find_user_by_name(name))) return *user;
  // IAM's names are case-insensitive; the store's lookup is exact, so look further.
  for (auto& user : CV_TRY(meta_.list_users())) {
    if (lower(user.name) == lower(name)) return user;
  }
  return fail(ErrorCode::kNoSuchEntity,
              "The user with name " + std::string(name) + " cannot be found.");
}

Result<meta::User> IamDirectory::get_user_by_id(std::string_view id) {
  if (auto user = CV_TRY(meta_.get_user(id))) return *user;
  return fail(ErrorCode::kNoSuchEntity, "The user cannot be found.");
}

Result<std::vector<meta::User>> IamDirectory::list_users(std::string_view path_prefix) {
  CV_TRY(validate_path_prefix(path_prefix));
  std::vector<meta::User> users;
  for (auto& user : CV_TRY(meta_.list_users())) {
    if (!user.is_root && user.path.starts_with(path_prefix)) users.push_back(std::move(user));
  }
  return users;
}

Status IamDirectory::delete_user(std::string_view name) {
  const meta::User user = CV_TRY(get_user(name));
  if (user.is_root) {
    return fail(ErrorCode::kInvalidInput, "The root user cannot be deleted.");
  }
  CV_TRY(meta_.delete_user(user.id));
  changed();
  return {};
}

// --- Groups -----------------------------------------------------------------------------

Result<meta::IamGroup> IamDirectory::create_group(std::string_view name, std::string_view path) {
  CV_TRY(validate_name(NameKind::kGroup, name, "groupName"));
  const std::string_view group_path = path.empty() ? "/" : path;
  CV_TRY(validate_path(group_path));
  meta::IamGroup group{std::string(name), std::string(group_path), new_unique_id(kGroupIdPrefix),
                       to_unix_nanos(clock_.now())};
  CV_TRY(meta_.create_group(group));
  changed();
  return group;
}

Result<GroupInfo> IamDirectory::get_group(std::string_view name) {
  CV_TRY(validate_name(NameKind::kGroup, name, "groupName"));
  auto group = CV_TRY(meta_.get_group(name));
  if (!group) return no_such("group", name);
  GroupInfo info{std::move(*group), {}};
  for (const auto& id : CV_TRY(meta_.list_group_members(info.group.name))) {
    if (auto user = CV_TRY(meta_.get_user(id))) info.members.push_back(std::move(*user));
  }
  return info;
}

Result<std::vector<meta::IamGroup>> IamDirectory::list_groups(std::string_view path_prefix) {
  CV_TRY(validate_path_prefix(path_prefix));
  std::vector<meta::IamGroup> groups;
  for (auto& group : CV_TRY(meta_.list_groups())) {
    if (group.path.starts_with(path_prefix)) groups.push_back(std::move(group));
  }
  return groups;
}

Result<std::vector<meta::IamGroup>> IamDirectory::list_groups_for_user(std::string_view user_name) {
  const meta::User user = CV_TRY(get_user(user_name));
  return meta_.list_user_groups(user.id);
}

Status IamDirectory::delete_group(std::string_view name) {
  CV_TRY(validate_name(NameKind::kGroup, name, "groupName"));
  CV_TRY(meta_.delete_group(name));
  changed();
  return {};
}

Status IamDirectory::add_user_to_group(std::string_view group, std::string_view user_name) {
  CV_TRY(validate_name(NameKind::kGroup, group, "groupName"));
  const meta::User user = CV_TRY(get_user(user_name));
  CV_TRY(meta_.add_group_member(group, user.id));
  changed();
  return {};
}

Status IamDirectory::remove_user_from_group(std::string_view group, std::string_view user_name) {
  CV_TRY(validate_name(NameKind::kGroup, group, "groupName"));
  const meta::User user = CV_TRY(get_user(user_name));
  CV_TRY(meta_.remove_group_member(group, user.id));
  changed();
  return {};
}

// --- Roles ------------------------------------------------------------------------------

Result<meta::IamRole> IamDirectory::create_role(std::string_view name, std::string_view path,
                                                std::string_view trust_policy,
                                                std::string_view description,
                                                int64_t max_session_seconds) {
  CV_TRY(validate_name(NameKind::kRole, name, "roleName"));
  const std::string_view role_path = path.empty() ? "/" : path;
  CV_TRY(validate_path(role_path));
  if (description.size() > kMaxDescription) {
    return fail(ErrorCode::kValidationError,
                "1 validation error detected: Value at 'description' failed to satisfy "
                "constraint: Member must have length less than or equal to 1000");
  }
  if (max_session_seconds < kMinSessionSeconds || max_session_seconds > kMaxSessionSeconds) {
    return fail(ErrorCode::kValidationError,
                "1 validation error detected: Value '" + std::to_string(max_session_seconds) +
                    "' at 'maxSessionDuration' failed to satisfy constraint: Member must have "
                    "value less than or equal to 43200 and greater than or equal to 3600");
  }
  CV_TRY(check_document(trust_policy, PolicyDocumentKind::kTrust));
  meta::IamRole role{
      std::string(name),          std::string(role_path),   new_unique_id(kRoleIdPrefix),
      std::string(trust_policy),  std::string(description), max_session_seconds,
      to_unix_nanos(clock_.now())};
  CV_TRY(meta_.create_role(role));
  changed();
  return role;
}

Result<meta::IamRole> IamDirectory::get_role(std::string_view name) {
  CV_TRY(validate_name(NameKind::kRole, name, "roleName"));
  auto role = CV_TRY(meta_.get_role(name));
  if (!role) return no_such("role", name);
  return std::move(*role);
}

Result<std::vector<meta::IamRole>> IamDirectory::list_roles(std::string_view path_prefix) {
  CV_TRY(validate_path_prefix(path_prefix));
  std::vector<meta::IamRole> roles;
  for (auto& role : CV_TRY(meta_.list_roles())) {
    if (role.path.starts_with(path_prefix)) roles.push_back(std::move(role));
  }
  return roles;
}

Status IamDirectory::delete_role(std::string_view name) {
  CV_TRY(validate_name(NameKind::kRole, name, "roleName"));
  CV_TRY(meta_.delete_role(name));
  changed();
  return {};
}

Status IamDirectory::update_trust_policy(std::string_view role_name, std::string_view document) {
  meta::IamRole role = CV_TRY(get_role(role_name));
  CV_TRY(check_document(document, PolicyDocumentKind::kTrust));
  role.trust_policy = document;
  CV_TRY(meta_.update_role(role));
  changed();
  return {};
}

// --- Account summary --------------------------------------------------------------------

Result<std::map<std::string, int64_t>> IamDirectory::account_summary() {
  std::map<std::string, int64_t> summary;
  const auto users = CV_TRY(list_users());
  const auto groups = CV_TRY(meta_.list_groups());
  const auto roles = CV_TRY(meta_.list_roles());
  const auto policies = CV_TRY(meta_.list_managed_policies());
  int64_t attached = 0;
  for (const auto& policy : policies) {
    if (CV_TRY(meta_.policy_attachment_count(policy.name)) > 0) ++attached;
  }
  int64_t user_policies = 0, group_policies = 0, role_policies = 0;
  for (const auto& user : users) {
    user_policies += static_cast<int64_t>(
        CV_TRY(meta_.list_inline_policies(meta::IamPrincipalKind::kUser, user.id)).size());
  }
  for (const auto& group : groups) {
    group_policies += static_cast<int64_t>(
        CV_TRY(meta_.list_inline_policies(meta::IamPrincipalKind::kGroup, group.name)).size());
  }
  for (const auto& role : roles) {
    role_policies += static_cast<int64_t>(
        CV_TRY(meta_.list_inline_policies(meta::IamPrincipalKind::kRole, role.name)).size());
  }
  summary["Users"] = static_cast<int64_t>(users.size());
  summary["UsersQuota"] = 5000;
  summary["Groups"] = static_cast<int64_t>(groups.size());
  summary["GroupsQuota"] = 300;
  summary["Roles"] = static_cast<int64_t>(roles.size());
  summary["RolesQuota"] = 1000;
  summary["Policies"] = static_cast<int64_t>(policies.size());
  summary["PoliciesQuota"] = 1500;
  summary["AttachedPoliciesPerUserQuota"] = 10;
  summary["AttachedPoliciesPerGroupQuota"] = 10;
  summary["AttachedPoliciesPerRoleQuota"] = 10;
  summary["PolicyVersionsInUse"] = attached;
  summary["AccessKeysPerUserQuota"] = static_cast<int64_t>(kMaxAccessKeysPerUser);
  summary["GroupsPerUserQuota"] = 10;
  summary["UserPolicies"] = user_policies;
  summary["GroupPolicies"] = group_policies;
  summary["RolePolicies"] = role_policies;
  summary["ServerCertificates"] = 0;
  summary["MFADevices"] = 0;
  summary["MFADevicesInUse"] = 0;
  summary["AccountMFAEnabled"] = 0;
  summary["AccountAccessKeysPresent"] = 1;
  summary["AccountSigningCertificatesPresent"] = 0;
  return summary;
}

// --- Cache ------------------------------------------------------------------------------

void IamDirectory::refresh_locked(uint64_t generation) {
  if (generation == cached_generation_) return;
  user_policies_.clear();
  roles_.clear();
  cached_generation_ = generation;
}

Result<std::vector<PolicyDocumentRef>> IamDirectory::identity_policies_for_user(
    std::string_view user_id) {
  // The generation is read before the store, as UserDirectory::find does.
  const uint64_t generation = changes_.generation();
  {
    std::lock_guard lock(cache_mutex_);
    refresh_locked(generation);
    if (auto it = user_policies_.find(user_id); it != user_policies_.end()) return it->second;
  }
  auto policies = CV_TRY(load_identity_policies(user_id));
  std::lock_guard lock(cache_mutex_);
  if (generation == cached_generation_)
    user_policies_.insert_or_assign(std::string(user_id), policies);
  return policies;
}

Result<std::optional<RoleInfo>> IamDirectory::find_role(std::string_view name) {
  const std::string key = lower(name);
  const uint64_t generation = changes_.generation();
  {
    std::lock_guard lock(cache_mutex_);
    refresh_locked(generation);
    if (auto it = roles_.find(key); it != roles_.end()) return it->second;
  }
  auto role = CV_TRY(load_role(name));
  std::lock_guard lock(cache_mutex_);
  if (generation == cached_generation_) roles_.insert_or_assign(key, role);
  return role;
}

}  // namespace cv::iam
