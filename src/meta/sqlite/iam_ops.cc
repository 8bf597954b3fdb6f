#include "meta/sqlite/iam_ops.h"

#include "meta/sqlite/user_ops.h"

namespace cv::meta::sqlite {
namespace {

constexpr std::string_view kGroupColumns = "SELECT name, path, id, created_ns FROM iam_groups ";
constexpr std::string_view kRoleColumns =
    "SELECT name, path, id, trust_policy, description, max_session_seconds, created_ns "
    "FROM iam_roles ";
constexpr std::string_view kPolicyColumns =
    "SELECT name, path, id, document, description, created_ns FROM iam_managed_policies ";

IamGroup group_from_row(const Statement& row) {
  return IamGroup{row.column_string(0), row.column_string(1), row.column_string(2),
                  row.column_int(3)};
}

IamRole role_from_row(const Statement& row) {
  return IamRole{row.column_string(0), row.column_string(1), row.column_string(2),
                 row.column_string(3), row.column_string(4), row.column_int(5),
                 row.column_int(6)};
}

ManagedPolicy policy_from_row(const Statement& row) {
  return ManagedPolicy{row.column_string(0), row.column_string(1), row.column_string(2),
                       row.column_string(3), row.column_string(4), row.column_int(5)};
}

// Whether `sql` (one text parameter ?1, optionally ?2) yields a row.
Result<bool> exists(Connection& db, std::string_view sql, std::string_view first,
                    std::string_view second = {}) {
  auto stmt = CV_TRY(db.prepare(sql));
  stmt.bind_text(1, first);
  if (sql.find("?2") != std::string_view::npos) stmt.bind_text(2, second);
  return CV_TRY(stmt.step());
}

Status no_such(std::string_view what, std::string_view name) {
  return fail(ErrorCode::kNoSuchEntity,
              "The " + std::string(what) + " with name " + std::string(name) + " cannot be found.",
              std::string(name));
}

Status principal_exists(Connection& db, IamPrincipalKind kind, std::string_view principal) {
  switch (kind) {
    case IamPrincipalKind::kUser:
      if (!CV_TRY(read_user(db, principal))) return no_such("user", principal);
      return {};
    case IamPrincipalKind::kGroup:
      if (!CV_TRY(exists(db, "SELECT 1 FROM iam_groups WHERE name = ?1", principal))) {
        return no_such("group", principal);
      }
      return {};
    case IamPrincipalKind::kRole:
      if (!CV_TRY(exists(db, "SELECT 1 FROM iam_roles WHERE name = ?1", principal))) {
        return no_such("role", principal);
      }
      return {};
  }
  return fail(ErrorCode::kInternalError, "unknown principal kind");
}

// kDeleteConflict when the principal has inline or attached policies.
Status require_no_policies(Connection& db, IamPrincipalKind kind, std::string_view principal) {
  const int64_t k = static_cast<int64_t>(kind);
  for (const auto& [sql, what] :
       {std::pair{"SELECT 1 FROM iam_inline_policies WHERE principal_kind = ?1 AND "
                  "principal = ?2 LIMIT 1",
                  "inline policies"},
        std::pair{"SELECT 1 FROM iam_policy_attachments WHERE principal_kind = ?1 AND "
                  "principal = ?2 LIMIT 1",
                  "attached policies"}}) {
    auto stmt = CV_TRY(db.prepare(sql));
    stmt.bind_int(1, k).bind_text(2, principal);
    if (CV_TRY(stmt.step())) {
      return fail(ErrorCode::kDeleteConflict,
                  "Cannot delete entity, must remove " + std::string(what) + " first.",
                  std::string(principal));
    }
  }
  return {};
}

Status require_changed(Statement& stmt, std::string_view what, std::string_view name) {
  if (stmt.changes() == 0) return no_such(what, name);
  return {};
}

}  // namespace

Status insert_group(Connection& db, const IamGroup& group) {
  if (CV_TRY(exists(db, "SELECT 1 FROM iam_groups WHERE name = ?1", group.name))) {
    return fail(ErrorCode::kEntityAlreadyExists,
                "Group with name " + group.name + " already exists.", group.name);
  }
  auto stmt = CV_TRY(
      db.prepare("INSERT INTO iam_groups(name, path, id, created_ns) VALUES(?1, ?2, ?3, ?4)"));
  stmt.bind_text(1, group.name)
      .bind_text(2, group.path)
      .bind_text(3, group.id)
      .bind_int(4, group.created_ns);
  return stmt.run();
}

Result<std::optional<IamGroup>> read_group(Connection& db, std::string_view name) {
  static const std::string sql = std::string(kGroupColumns) + "WHERE name = ?1";
  auto stmt = CV_TRY(db.prepare(sql));
  stmt.bind_text(1, name);
  if (!CV_TRY(stmt.step())) return std::nullopt;
  return group_from_row(stmt);
}

Result<std::vector<IamGroup>> read_groups(Connection& db) {
  static const std::string sql = std::string(kGroupColumns) + "ORDER BY name";
  auto stmt = CV_TRY(db.prepare(sql));
  std::vector<IamGroup> groups;
  while (CV_TRY(stmt.step())) groups.push_back(group_from_row(stmt));
  return groups;
}

Status remove_group(Connection& db, std::string_view name) {
  if (!CV_TRY(read_group(db, name))) return no_such("group", name);
  if (CV_TRY(exists(db, "SELECT 1 FROM iam_group_members WHERE group_name = ?1 LIMIT 1", name))) {
    return fail(ErrorCode::kDeleteConflict,
                "Cannot delete entity, must remove users from group first.", std::string(name));
  }
  CV_TRY(require_no_policies(db, IamPrincipalKind::kGroup, name));
  auto stmt = CV_TRY(db.prepare("DELETE FROM iam_groups WHERE name = ?1"));
  stmt.bind_text(1, name);
  return stmt.run();
}

Status insert_group_member(Connection& db, std::string_view group, std::string_view user_id) {
  CV_TRY(principal_exists(db, IamPrincipalKind::kGroup, group));
  CV_TRY(principal_exists(db, IamPrincipalKind::kUser, user_id));
  auto stmt =
      CV_TRY(db.prepare("INSERT INTO iam_group_members(group_name, user_id) "
                        "SELECT name, ?2 FROM iam_groups WHERE name = ?1 ON CONFLICT DO NOTHING"));
  stmt.bind_text(1, group).bind_text(2, user_id);
  return stmt.run();
}

Status remove_group_member(Connection& db, std::string_view group, std::string_view user_id) {
  CV_TRY(principal_exists(db, IamPrincipalKind::kGroup, group));
  auto stmt =
      CV_TRY(db.prepare("DELETE FROM iam_group_members WHERE group_name = ?1 AND user_id = ?2"));
  stmt.bind_text(1, group).bind_text(2, user_id);
  CV_TRY(stmt.run());
  if (stmt.changes() == 0) {
    return fail(ErrorCode::kNoSuchEntity, "The user is not a member of group " + std::string(group),
                std::string(user_id));
  }
  return {};
}

Result<std::vector<std::string>> read_group_members(Connection& db, std::string_view group) {
  auto stmt = CV_TRY(
      db.prepare("SELECT m.user_id FROM iam_group_members m JOIN users u ON u.id = m.user_id "
                 "WHERE m.group_name = ?1 ORDER BY u.name"));
  stmt.bind_text(1, group);
  std::vector<std::string> ids;
  while (CV_TRY(stmt.step())) ids.push_back(stmt.column_string(0));
  return ids;
}

Result<std::vector<IamGroup>> read_user_groups(Connection& db, std::string_view user_id) {
  auto stmt = CV_TRY(db.prepare(
      "SELECT g.name, g.path, g.id, g.created_ns FROM iam_group_members m "
      "JOIN iam_groups g ON g.name = m.group_name WHERE m.user_id = ?1 ORDER BY g.name"));
  stmt.bind_text(1, user_id);
  std::vector<IamGroup> groups;
  while (CV_TRY(stmt.step())) groups.push_back(group_from_row(stmt));
  return groups;
}

Status insert_role(Connection& db, const IamRole& role) {
  if (CV_TRY(exists(db, "SELECT 1 FROM iam_roles WHERE name = ?1", role.name))) {
    return fail(ErrorCode::kEntityAlreadyExists, "Role with name " + role.name + " already exists.",
                role.name);
  }
  auto stmt = CV_TRY(db.prepare(
      "INSERT INTO iam_roles(name, path, id, trust_policy, description, max_session_seconds, "
      "created_ns) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  stmt.bind_text(1, role.name)
      .bind_text(2, role.path)
      .bind_text(3, role.id)
      .bind_text(4, role.trust_policy)
      .bind_text(5, role.description)
      .bind_int(6, role.max_session_seconds)
      .bind_int(7, role.created_ns);
  return stmt.run();
}

Status update_role(Connection& db, const IamRole& role) {
  auto stmt =
      CV_TRY(db.prepare("UPDATE iam_roles SET path = ?2, trust_policy = ?3, description = ?4, "
                        "max_session_seconds = ?5 WHERE name = ?1"));
  stmt.bind_text(1, role.name)
      .bind_text(2, role.path)
      .bind_text(3, role.trust_policy)
      .bind_text(4, role.description)
      .bind_int(5, role.max_session_seconds);
  CV_TRY(stmt.run());
  return require_changed(stmt, "role", role.name);
}

Result<std::optional<IamRole>> read_role(Connection& db, std::string_view name) {
  static const std::string sql = std::string(kRoleColumns) + "WHERE name = ?1";
  auto stmt = CV_TRY(db.prepare(sql));
  stmt.bind_text(1, name);
  if (!CV_TRY(stmt.step())) return std::nullopt;
  return role_from_row(stmt);
}

Result<std::vector<IamRole>> read_roles(Connection& db) {
  static const std::string sql = std::string(kRoleColumns) + "ORDER BY name";
  auto stmt = CV_TRY(db.prepare(sql));
  std::vector<IamRole> roles;
  while (CV_TRY(stmt.step())) roles.push_back(role_from_row(stmt));
  return roles;
}

Status remove_role(Connection& db, std::string_view name) {
  if (!CV_TRY(read_role(db, name))) return no_such("role", name);
  CV_TRY(require_no_policies(db, IamPrincipalKind::kRole, name));
  auto stmt = CV_TRY(db.prepare("DELETE FROM iam_roles WHERE name = ?1"));
  stmt.bind_text(1, name);
  return stmt.run();
}

Status insert_managed_policy(Connection& db, const ManagedPolicy& policy) {
  if (CV_TRY(exists(db, "SELECT 1 FROM iam_managed_policies WHERE name = ?1", policy.name))) {
    return fail(
        ErrorCode::kEntityAlreadyExists,
        "A policy called " + policy.name + " already exists. Duplicate names are not allowed.",
        policy.name);
  }
  auto stmt = CV_TRY(db.prepare(
      "INSERT INTO iam_managed_policies(name, path, id, document, description, created_ns) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6)"));
  stmt.bind_text(1, policy.name)
      .bind_text(2, policy.path)
      .bind_text(3, policy.id)
      .bind_text(4, policy.document)
      .bind_text(5, policy.description)
      .bind_int(6, policy.created_ns);
  return stmt.run();
}

Result<std::optional<ManagedPolicy>> read_managed_policy(Connection& db, std::string_view name) {
  static const std::string sql = std::string(kPolicyColumns) + "WHERE name = ?1";
  auto stmt = CV_TRY(db.prepare(sql));
  stmt.bind_text(1, name);
  if (!CV_TRY(stmt.step())) return std::nullopt;
  return policy_from_row(stmt);
}

Result<std::vector<ManagedPolicy>> read_managed_policies(Connection& db) {
  static const std::string sql = std::string(kPolicyColumns) + "ORDER BY name";
  auto stmt = CV_TRY(db.prepare(sql));
  std::vector<ManagedPolicy> policies;
  while (CV_TRY(stmt.step())) policies.push_back(policy_from_row(stmt));
  return policies;
}

Result<int64_t> count_policy_attachments(Connection& db, std::string_view name) {
  auto stmt =
      CV_TRY(db.prepare("SELECT count(*) FROM iam_policy_attachments WHERE policy_name = ?1"));
  stmt.bind_text(1, name);
  CV_TRY(stmt.step());
  return stmt.column_int(0);
}

Status remove_managed_policy(Connection& db, std::string_view name) {
  if (!CV_TRY(read_managed_policy(db, name))) return no_such("policy", name);
  if (CV_TRY(count_policy_attachments(db, name)) > 0) {
    return fail(ErrorCode::kDeleteConflict, "Cannot delete a policy attached to entities.",
                std::string(name));
  }
  auto stmt = CV_TRY(db.prepare("DELETE FROM iam_managed_policies WHERE name = ?1"));
  stmt.bind_text(1, name);
  return stmt.run();
}

Status write_inline_policy(Connection& db, const InlinePolicy& policy) {
  CV_TRY(principal_exists(db, policy.kind, policy.principal));
  auto stmt = CV_TRY(db.prepare(
      "INSERT INTO iam_inline_policies(principal_kind, principal, name, document) "
      "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(principal_kind, principal, name) DO UPDATE SET "
      "document = excluded.document"));
  stmt.bind_int(1, static_cast<int64_t>(policy.kind))
      .bind_text(2, policy.principal)
      .bind_text(3, policy.name)
      .bind_text(4, policy.document);
  return stmt.run();
}

Result<std::optional<InlinePolicy>> read_inline_policy(Connection& db, IamPrincipalKind kind,
                                                       std::string_view principal,
                                                       std::string_view name) {
  auto stmt = CV_TRY(db.prepare(
      "SELECT document FROM iam_inline_policies WHERE principal_kind = ?1 AND principal = ?2 "
      "AND name = ?3"));
  stmt.bind_int(1, static_cast<int64_t>(kind)).bind_text(2, principal).bind_text(3, name);
  if (!CV_TRY(stmt.step())) return std::nullopt;
  return InlinePolicy{kind, std::string(principal), std::string(name), stmt.column_string(0)};
}

Result<std::vector<InlinePolicy>> read_inline_policies(Connection& db, IamPrincipalKind kind,
                                                       std::string_view principal) {
  auto stmt = CV_TRY(
      db.prepare("SELECT name, document FROM iam_inline_policies WHERE principal_kind = ?1 AND "
                 "principal = ?2 ORDER BY name"));
  stmt.bind_int(1, static_cast<int64_t>(kind)).bind_text(2, principal);
  std::vector<InlinePolicy> policies;
  while (CV_TRY(stmt.step())) {
    policies.push_back(
        InlinePolicy{kind, std::string(principal), stmt.column_string(0), stmt.column_string(1)});
  }
  return policies;
}

Status remove_inline_policy(Connection& db, IamPrincipalKind kind, std::string_view principal,
                            std::string_view name) {
  auto stmt = CV_TRY(
      db.prepare("DELETE FROM iam_inline_policies WHERE principal_kind = ?1 AND principal = ?2 AND "
                 "name = ?3"));
  stmt.bind_int(1, static_cast<int64_t>(kind)).bind_text(2, principal).bind_text(3, name);
  CV_TRY(stmt.run());
  return require_changed(stmt, "policy", name);
}

Status insert_attachment(Connection& db, IamPrincipalKind kind, std::string_view principal,
                         std::string_view policy_name) {
  CV_TRY(principal_exists(db, kind, principal));
  const auto policy = CV_TRY(read_managed_policy(db, policy_name));
  if (!policy) return no_such("policy", policy_name);
  auto stmt = CV_TRY(db.prepare(
      "INSERT INTO iam_policy_attachments(principal_kind, principal, policy_name) "
      "VALUES(?1, ?2, ?3) ON CONFLICT DO NOTHING"));
  stmt.bind_int(1, static_cast<int64_t>(kind)).bind_text(2, principal).bind_text(3, policy->name);
  return stmt.run();
}

Status remove_attachment(Connection& db, IamPrincipalKind kind, std::string_view principal,
                         std::string_view policy_name) {
  auto stmt = CV_TRY(db.prepare(
      "DELETE FROM iam_policy_attachments WHERE principal_kind = ?1 AND principal = ?2 AND "
      "policy_name = ?3"));
  stmt.bind_int(1, static_cast<int64_t>(kind)).bind_text(2, principal).bind_text(3, policy_name);
  CV_TRY(stmt.run());
  if (stmt.changes() == 0) {
    return fail(ErrorCode::kNoSuchEntity,
                "Policy " + std::string(policy_name) + " was not found or is not attached.",
                std::string(policy_name));
  }
  return {};
}

Result<std::vector<std::string>> read_attachments(Connection& db, IamPrincipalKind kind,
                                                  std::string_view principal) {
  auto stmt = CV_TRY(
      db.prepare("SELECT policy_name FROM iam_policy_attachments WHERE principal_kind = ?1 AND "
                 "principal = ?2 ORDER BY policy_name"));
  stmt.bind_int(1, static_cast<int64_t>(kind)).bind_text(2, principal);
  std::vector<std::string> names;
  while (CV_TRY(stmt.step())) names.push_back(stmt.column_string(0));
  return names;
}

}  // namespace cv::meta::sqlite
