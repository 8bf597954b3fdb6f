// SQL for IAM groups, roles, managed policies, inline policies and attachments (issue 14).
// Writes run on the writer connection inside a transaction; reads on any connection. No
// method is thread-safe on its own (the caller owns the connection).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "meta/sqlite/connection.h"
#include "meta/types.h"

namespace cv::meta::sqlite {

// Groups. insert: kEntityAlreadyExists when the name is taken. remove: kNoSuchEntity;
// kDeleteConflict while it has members, inline or attached policies.
Status insert_group(Connection& db, const IamGroup& group);
Result<std::optional<IamGroup>> read_group(Connection& db, std::string_view name);
Result<std::vector<IamGroup>> read_groups(Connection& db);
Status remove_group(Connection& db, std::string_view name);
// Membership: kNoSuchEntity when the group or the user is absent; adding twice is no error;
// removing a user who is not a member is kNoSuchEntity.
Status insert_group_member(Connection& db, std::string_view group, std::string_view user_id);
Status remove_group_member(Connection& db, std::string_view group, std::string_view user_id);
Result<std::vector<std::string>> read_group_members(Connection& db, std::string_view group);
Result<std::vector<IamGroup>> read_user_groups(Connection& db, std::string_view user_id);

// Roles. insert: kEntityAlreadyExists. update: kNoSuchEntity (replaces every field but the
// name, id and creation time). remove: kNoSuchEntity; kDeleteConflict while it has inline or
// attached policies.
Status insert_role(Connection& db, const IamRole& role);
Status update_role(Connection& db, const IamRole& role);
Result<std::optional<IamRole>> read_role(Connection& db, std::string_view name);
Result<std::vector<IamRole>> read_roles(Connection& db);
Status remove_role(Connection& db, std::string_view name);

// Managed policies. insert: kEntityAlreadyExists. remove: kNoSuchEntity; kDeleteConflict
// while attached.
Status insert_managed_policy(Connection& db, const ManagedPolicy& policy);
Result<std::optional<ManagedPolicy>> read_managed_policy(Connection& db, std::string_view name);
Result<std::vector<ManagedPolicy>> read_managed_policies(Connection& db);
Status remove_managed_policy(Connection& db, std::string_view name);
// How many principals the policy is attached to.
Result<int64_t> count_policy_attachments(Connection& db, std::string_view name);

// Inline policies: put inserts or replaces (kNoSuchEntity when the principal is absent);
// remove: kNoSuchEntity when absent.
Status write_inline_policy(Connection& db, const InlinePolicy& policy);
Result<std::optional<InlinePolicy>> read_inline_policy(Connection& db, IamPrincipalKind kind,
                                                       std::string_view principal,
                                                       std::string_view name);
Result<std::vector<InlinePolicy>> read_inline_policies(Connection& db, IamPrincipalKind kind,
                                                       std::string_view principal);
Status remove_inline_policy(Connection& db, IamPrincipalKind kind, std::string_view principal,
                            std::string_view name);

// Attachments of managed policies: insert is idempotent (kNoSuchEntity when the principal or
// the policy is absent); remove: kNoSuchEntity when not attached. read: policy names, ordered.
Status insert_attachment(Connection& db, IamPrincipalKind kind, std::string_view principal,
                         std::string_view policy_name);
Status remove_attachment(Connection& db, IamPrincipalKind kind, std::string_view principal,
                         std::string_view policy_name);
Result<std::vector<std::string>> read_attachments(Connection& db, IamPrincipalKind kind,
                                                  std::string_view principal);

}  // namespace cv::meta::sqlite
