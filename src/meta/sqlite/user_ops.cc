#include "meta/sqlite/user_ops.h"

namespace cv::meta::sqlite {
namespace {

constexpr std::string_view kUserColumns =
    "SELECT id, name, display_name, email, is_root, created_ns, path, iam_id, tags FROM users ";

constexpr std::string_view kKeyColumns =
    "SELECT access_key_id, user_id, sealed_secret, created_ns, active, last_used_ns, "
    "last_used_service, last_used_region FROM access_keys ";

User user_from_row(const Statement& row) {
  User user{row.column_string(0), row.column_string(1),   row.column_string(2),
            row.column_string(3), row.column_int(4) != 0, row.column_int(5)};
  user.path = row.column_string(6);
  user.iam_id = row.column_string(7);
  user.tags = row.column_string(8);
  return user;
}

AccessKey key_from_row(const Statement& row) {
  AccessKey key{row.column_string(0), row.column_string(1), row.column_string(2),
                row.column_int(3)};
  key.active = row.column_int(4) != 0;
  key.last_used_ns = row.column_int(5);
  key.last_used_service = row.column_string(6);
  key.last_used_region = row.column_string(7);
  return key;
}

Result<std::optional<User>> read_one_user(Connection& db, std::string_view sql,
                                          std::string_view value) {
  auto stmt = CV_TRY(db.prepare(sql));
  stmt.bind_text(1, value);
  if (!CV_TRY(stmt.step())) return std::nullopt;
  return user_from_row(stmt);
}

}  // namespace

Status write_user(Connection& db, const User& user) {
  {
    auto owner = CV_TRY(db.prepare("SELECT id FROM users WHERE name = ?1"));
    owner.bind_text(1, user.name);
    if (CV_TRY(owner.step()) && owner.column_bytes(0) != user.id) {
      return fail(ErrorCode::kInvalidArgument, "a user with this name already exists", user.name);
    }
  }
  auto stmt = CV_TRY(db.prepare(
      "INSERT INTO users(id, name, display_name, email, is_root, created_ns, path, iam_id, tags) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(id) DO UPDATE SET "
      "name = excluded.name, display_name = excluded.display_name, email = excluded.email, "
      "is_root = excluded.is_root, created_ns = excluded.created_ns, path = excluded.path, "
      "iam_id = excluded.iam_id, tags = excluded.tags"));
  stmt.bind_text(1, user.id)
      .bind_text(2, user.name)
      .bind_text(3, user.display_name)
      .bind_text(4, user.email)
      .bind_int(5, user.is_root ? 1 : 0)
      .bind_int(6, user.created_ns)
      .bind_text(7, user.path.empty() ? std::string_view("/") : std::string_view(user.path))
      .bind_text(8, user.iam_id)
      .bind_text(9, user.tags);
  return stmt.run();
}

Result<std::optional<User>> read_user(Connection& db, std::string_view id) {
  static const std::string sql = std::string(kUserColumns) + "WHERE id = ?1";
  return read_one_user(db, sql, id);
}

Result<std::optional<User>> read_user_by_name(Connection& db, std::string_view name) {
  static const std::string sql = std::string(kUserColumns) + "WHERE name = ?1";
  return read_one_user(db, sql, name);
}

Result<std::vector<User>> read_users(Connection& db) {
  static const std::string sql = std::string(kUserColumns) + "ORDER BY name";
  auto stmt = CV_TRY(db.prepare(sql));
  std::vector<User> users;
  while (CV_TRY(stmt.step())) users.push_back(user_from_row(stmt));
  return users;
}

Status write_access_key(Connection& db, const AccessKey& key) {
  auto stmt = CV_TRY(
      db.prepare("INSERT INTO access_keys(access_key_id, user_id, sealed_secret, created_ns, "
                 "active, last_used_ns, last_used_service, last_used_region) "
                 "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(access_key_id) DO UPDATE SET "
                 "user_id = excluded.user_id, sealed_secret = excluded.sealed_secret, "
                 "created_ns = excluded.created_ns, active = excluded.active, "
                 "last_used_ns = excluded.last_used_ns, "
                 "last_used_service = excluded.last_used_service, "
                 "last_used_region = excluded.last_used_region"));
  stmt.bind_text(1, key.access_key_id)
      .bind_text(2, key.user_id)
      .bind_blob(3, key.sealed_secret)
      .bind_int(4, key.created_ns)
      .bind_int(5, key.active ? 1 : 0)
      .bind_int(6, key.last_used_ns)
      .bind_text(7, key.last_used_service)
      .bind_text(8, key.last_used_region);
  return stmt.run();
}

Result<std::optional<AccessKey>> read_access_key(Connection& db, std::string_view access_key_id) {
  static const std::string sql = std::string(kKeyColumns) + "WHERE access_key_id = ?1";
  auto stmt = CV_TRY(db.prepare(sql));
  stmt.bind_text(1, access_key_id);
  if (!CV_TRY(stmt.step())) return std::nullopt;
  return key_from_row(stmt);
}

Result<std::vector<AccessKey>> read_access_keys(Connection& db, std::string_view user_id) {
  static const std::string all_sql = std::string(kKeyColumns) + "ORDER BY access_key_id";
  static const std::string one_sql =
      std::string(kKeyColumns) + "WHERE user_id = ?1 ORDER BY access_key_id";
  auto stmt = CV_TRY(db.prepare(user_id.empty() ? all_sql : one_sql));
  if (!user_id.empty()) stmt.bind_text(1, user_id);
  std::vector<AccessKey> keys;
  while (CV_TRY(stmt.step())) keys.push_back(key_from_row(stmt));
  return keys;
}

Status remove_access_key(Connection& db, std::string_view access_key_id) {
  auto stmt = CV_TRY(db.prepare("DELETE FROM access_keys WHERE access_key_id = ?1"));
  stmt.bind_text(1, access_key_id);
  CV_TRY(stmt.run());
  if (stmt.changes() == 0) {
    return fail(ErrorCode::kInvalidAccessKeyId, "no such access key", std::string(access_key_id));
  }
  return {};
}

Status insert_access_key(Connection& db, const AccessKey& key, size_t max_keys_per_user) {
  if (CV_TRY(read_access_key(db, key.access_key_id))) {
    return fail(ErrorCode::kEntityAlreadyExists, "The access key id is taken", key.access_key_id);
  }
  if (!CV_TRY(read_user(db, key.user_id))) {
    return fail(ErrorCode::kNoSuchEntity, "The user does not exist", key.user_id);
  }
  auto count = CV_TRY(db.prepare("SELECT count(*) FROM access_keys WHERE user_id = ?1"));
  count.bind_text(1, key.user_id);
  CV_TRY(count.step());
  if (static_cast<size_t>(count.column_int(0)) >= max_keys_per_user) {
    return fail(ErrorCode::kLimitExceeded,
                "Cannot exceed quota for AccessKeysPerUser: " + std::to_string(max_keys_per_user));
  }
  return write_access_key(db, key);
}

Status write_key_status(Connection& db, std::string_view access_key_id, bool active) {
  auto stmt = CV_TRY(db.prepare("UPDATE access_keys SET active = ?2 WHERE access_key_id = ?1"));
  stmt.bind_text(1, access_key_id).bind_int(2, active ? 1 : 0);
  CV_TRY(stmt.run());
  if (stmt.changes() == 0) {
    return fail(ErrorCode::kNoSuchEntity,
                "The Access Key with id " + std::string(access_key_id) + " cannot be found.");
  }
  return {};
}

Status write_key_usage(Connection& db, const std::vector<KeyUsage>& usage) {
  for (const KeyUsage& use : usage) {
    auto stmt =
        CV_TRY(db.prepare("UPDATE access_keys SET last_used_ns = ?2, last_used_service = ?3, "
                          "last_used_region = ?4 WHERE access_key_id = ?1 AND last_used_ns < ?2"));
    stmt.bind_text(1, use.access_key_id)
        .bind_int(2, use.used_ns)
        .bind_text(3, use.service)
        .bind_text(4, use.region);
    CV_TRY(stmt.run());
  }
  return {};
}

Status remove_user(Connection& db, std::string_view user_id) {
  const auto user = CV_TRY(read_user(db, user_id));
  if (!user) return fail(ErrorCode::kNoSuchEntity, "The user does not exist", std::string(user_id));
  const std::string who = "user " + user->name;
  struct Dependent {
    const char* sql;
    const char* what;
  };
  static constexpr Dependent kDependents[] = {
      {"SELECT 1 FROM access_keys WHERE user_id = ?1 LIMIT 1", "access keys"},
      {"SELECT 1 FROM iam_group_members WHERE user_id = ?1 LIMIT 1", "group memberships"},
      {"SELECT 1 FROM iam_inline_policies WHERE principal_kind = 1 AND principal = ?1 LIMIT 1",
       "inline policies"},
      {"SELECT 1 FROM iam_policy_attachments WHERE principal_kind = 1 AND principal = ?1 LIMIT 1",
       "attached policies"},
  };
  for (const Dependent& dependent : kDependents) {
    auto stmt = CV_TRY(db.prepare(dependent.sql));
    stmt.bind_text(1, user_id);
    if (CV_TRY(stmt.step())) {
      return fail(ErrorCode::kDeleteConflict,
                  "Cannot delete entity, must delete " + std::string(dependent.what) + " first.",
                  who);
    }
  }
  auto stmt = CV_TRY(db.prepare("DELETE FROM users WHERE id = ?1"));
  stmt.bind_text(1, user_id);
  return stmt.run();
}

}  // namespace cv::meta::sqlite
