#include "meta/sqlite/user_ops.h"

namespace cv::meta::sqlite {
namespace {

constexpr std::string_view kUserColumns =
    "SELECT id, name, display_name, email, is_root, created_ns FROM users ";

User user_from_row(const Statement& row) {
  return User{row.column_string(0), row.column_string(1),   row.column_string(2),
              row.column_string(3), row.column_int(4) != 0, row.column_int(5)};
}

AccessKey key_from_row(const Statement& row) {
  return AccessKey{row.column_string(0), row.column_string(1), row.column_string(2),
                   row.column_int(3)};
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
      "INSERT INTO users(id, name, display_name, email, is_root, created_ns) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
      "display_name = excluded.display_name, email = excluded.email, "
      "is_root = excluded.is_root, created_ns = excluded.created_ns"));
  stmt.bind_text(1, user.id)
      .bind_text(2, user.name)
      .bind_text(3, user.display_name)
      .bind_text(4, user.email)
      .bind_int(5, user.is_root ? 1 : 0)
      .bind_int(6, user.created_ns);
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
      db.prepare("INSERT INTO access_keys(access_key_id, user_id, sealed_secret, created_ns) "
                 "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(access_key_id) DO UPDATE SET "
                 "user_id = excluded.user_id, sealed_secret = excluded.sealed_secret, "
                 "created_ns = excluded.created_ns"));
  stmt.bind_text(1, key.access_key_id)
      .bind_text(2, key.user_id)
      .bind_blob(3, key.sealed_secret)
      .bind_int(4, key.created_ns);
  return stmt.run();
}

Result<std::optional<AccessKey>> read_access_key(Connection& db, std::string_view access_key_id) {
  auto stmt =
      CV_TRY(db.prepare("SELECT access_key_id, user_id, sealed_secret, created_ns FROM access_keys "
                        "WHERE access_key_id = ?1"));
  stmt.bind_text(1, access_key_id);
  if (!CV_TRY(stmt.step())) return std::nullopt;
  return key_from_row(stmt);
}

Result<std::vector<AccessKey>> read_access_keys(Connection& db, std::string_view user_id) {
  auto stmt = CV_TRY(db.prepare(
      user_id.empty() ? "SELECT access_key_id, user_id, sealed_secret, created_ns FROM access_keys "
                        "ORDER BY access_key_id"
                      : "SELECT access_key_id, user_id, sealed_secret, created_ns FROM access_keys "
                        "WHERE user_id = ?1 ORDER BY access_key_id"));
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

}  // namespace cv::meta::sqlite
