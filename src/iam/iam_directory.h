// The IAM domain service (issue 14): users (their IAM view: path, id, ARN), groups and
// membership, inline and managed policies and their attachments, roles. The IAM query API
// (src/iam_api), the admin CLI and the console all go through it, so every rule (names,
// paths, document checks, DeleteConflict, limits) lives here. Keys are UserDirectory's.
//
// Errors are IAM's: NoSuchEntity, EntityAlreadyExists, DeleteConflict, LimitExceeded,
// MalformedPolicyDocument, ValidationError, InvalidInput.
//
// Thread-safe. Every change is announced through the ChangeSignal; the queries the request
// path makes (identity_policies_for_user, find_role) are cached until the signal's
// generation changes, so a per-request call is a map lookup and a change made by any
// process sharing the data folder is seen at once.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "iam/change_signal.h"
#include "iam/iam_names.h"
#include "iam/policy_documents.h"
#include "iam/user_directory.h"
#include "meta/meta_store.h"

namespace cv::iam {

struct IamDirectoryOptions {
  // The 12-digit account id of every ARN (the audit trail's: app/trail_identity.h).
  std::string account_id = "000000000000";
  // Checks documents before they are stored; default_policy_validator when empty.
  PolicyValidator validator;
};

// A role with everything AssumeRole and the evaluator need.
struct RoleInfo {
  std::string name;
  std::string path;
  std::string id;
  std::string arn;
  std::string trust_policy;
  std::string description;
  int64_t max_session_seconds = 3600;
  int64_t created_ns = 0;
  std::vector<PolicyDocumentRef> policies;  // inline, then attached managed policies
};

struct GroupInfo {
  meta::IamGroup group;
  std::vector<meta::User> members;  // ordered by name
};

// Which principal an inline policy or an attachment names: its kind and its name (user,
// group or role name as the API gives it).
struct PrincipalName {
  meta::IamPrincipalKind kind = meta::IamPrincipalKind::kUser;
  std::string name;
};

class IamDirectory {
 public:
  // `meta`, `users`, `changes` and `clock` must outlive the directory.
  IamDirectory(meta::MetaStore& meta, UserDirectory& users, ChangeSignal& changes,
               const Clock& clock, IamDirectoryOptions options);

  const std::string& account_id() const { return options_.account_id; }
  // ARNs: the root user's is arn:aws:iam::ACCOUNT:root.
  std::string user_arn(const meta::User& user) const;
  std::string group_arn(const meta::IamGroup& group) const;
  std::string role_arn(const meta::IamRole& role) const;
  std::string policy_arn(const meta::ManagedPolicy& policy) const;

  // --- Users ----------------------------------------------------------------------------
  Result<meta::User> create_user(std::string_view name, std::string_view path,
                                 std::string_view tags);
  Result<meta::User> get_user(std::string_view name);      // NoSuchEntity
  Result<meta::User> get_user_by_id(std::string_view id);  // NoSuchEntity
  // Every user but root whose path starts with `path_prefix`, by name.
  Result<std::vector<meta::User>> list_users(std::string_view path_prefix = "/");
  // DeleteConflict while it has keys, groups or policies; root: InvalidInput.
  Status delete_user(std::string_view name);

  // --- Groups ---------------------------------------------------------------------------
  Result<meta::IamGroup> create_group(std::string_view name, std::string_view path);
  Result<GroupInfo> get_group(std::string_view name);
  Result<std::vector<meta::IamGroup>> list_groups(std::string_view path_prefix = "/");
  Result<std::vector<meta::IamGroup>> list_groups_for_user(std::string_view user_name);
  Status delete_group(std::string_view name);
  Status add_user_to_group(std::string_view group, std::string_view user_name);
  Status remove_user_from_group(std::string_view group, std::string_view user_name);

  // --- Inline policies ------------------------------------------------------------------
  Status put_inline_policy(const PrincipalName& owner, std::string_view policy_name,
                           std::string_view document);
  Result<meta::InlinePolicy> get_inline_policy(const PrincipalName& owner,
                                               std::string_view policy_name);
  Status delete_inline_policy(const PrincipalName& owner, std::string_view policy_name);
  Result<std::vector<std::string>> list_inline_policies(const PrincipalName& owner);

  // --- Managed policies (named by ARN, as IAM's API does) ----------------------------------
  Result<meta::ManagedPolicy> create_policy(std::string_view name, std::string_view path,
                                            std::string_view document,
                                            std::string_view description);
  Result<meta::ManagedPolicy> get_policy(std::string_view arn);
  Result<meta::ManagedPolicy> get_policy_by_name(std::string_view name);  // NoSuchEntity
  Result<std::vector<meta::ManagedPolicy>> list_policies(std::string_view path_prefix = "/",
                                                         bool only_attached = false);
  Result<int64_t> attachment_count(const meta::ManagedPolicy& policy);
  Status delete_policy(std::string_view arn);
  Status attach_policy(const PrincipalName& owner, std::string_view arn);
  Status detach_policy(const PrincipalName& owner, std::string_view arn);
  Result<std::vector<meta::ManagedPolicy>> list_attached_policies(const PrincipalName& owner);

  // --- Roles ----------------------------------------------------------------------------
  // max_session_seconds: 3600..43200 (ValidationError).
  Result<meta::IamRole> create_role(std::string_view name, std::string_view path,
                                    std::string_view trust_policy, std::string_view description,
                                    int64_t max_session_seconds);
  Result<meta::IamRole> get_role(std::string_view name);  // NoSuchEntity
  Result<std::vector<meta::IamRole>> list_roles(std::string_view path_prefix = "/");
  Status delete_role(std::string_view name);
  Status update_trust_policy(std::string_view role_name, std::string_view document);

  // IAM's GetAccountSummary map (Users, Groups, Roles, Policies, AccessKeysPerUserQuota, ...).
  Result<std::map<std::string, int64_t>> account_summary();

  // --- Queries for authorization (cached per change-signal generation) -----------------
  // Every inline policy of the user and of its groups, and every managed policy attached to
  // the user or to its groups (each once). An unknown user has none.
  Result<std::vector<PolicyDocumentRef>> identity_policies_for_user(std::string_view user_id);
  // The role with its trust policy and its inline and attached policies; nullopt when absent.
  Result<std::optional<RoleInfo>> find_role(std::string_view name);

 private:
  // The stored principal a PrincipalName refers to (user id, or the stored group/role name).
  Result<std::string> resolve(const PrincipalName& owner);
  Status check_document(std::string_view document, PolicyDocumentKind kind);
  Result<meta::ManagedPolicy> policy_by_arn(std::string_view arn);
  Result<std::vector<PolicyDocumentRef>> load_identity_policies(std::string_view user_id);
  Result<std::optional<RoleInfo>> load_role(std::string_view name);
  void changed();
  void refresh_locked(uint64_t generation);

  meta::MetaStore& meta_;
  UserDirectory& users_;
  ChangeSignal& changes_;
  const Clock& clock_;
  IamDirectoryOptions options_;

  std::mutex cache_mutex_;
  uint64_t cached_generation_ = 0;
  std::map<std::string, std::vector<PolicyDocumentRef>, std::less<>> user_policies_;
  std::map<std::string, std::optional<RoleInfo>, std::less<>> roles_;  // by lowercase name
};

}  // namespace cv::iam
