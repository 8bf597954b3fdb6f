#include "meta/sqlite/notify_target_ops.h"

namespace cv::meta::sqlite {

Status insert_notify_target(Connection& db, const NotifyTarget& target) {
  auto stmt = CV_TRY(
      db.prepare("INSERT INTO notify_targets(name, type, settings, sealed_secrets, created_ns) "
                 "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(name) DO NOTHING"));
  stmt.bind_text(1, target.name)
      .bind_text(2, target.type)
      .bind_text(3, target.settings)
      .bind_blob(4, target.sealed_secrets)
      .bind_int(5, target.created_ns);
  CV_TRY(stmt.run());
  if (stmt.changes() == 0) {
    return fail(ErrorCode::kInvalidArgument,
                "a notification target named \"" + target.name + "\" exists already", target.name);
  }
  return {};
}

Result<std::vector<NotifyTarget>> read_notify_targets(Connection& db) {
  auto stmt = CV_TRY(
      db.prepare("SELECT name, type, settings, sealed_secrets, created_ns FROM notify_targets "
                 "ORDER BY name"));
  std::vector<NotifyTarget> targets;
  while (CV_TRY(stmt.step())) {
    targets.push_back(NotifyTarget{stmt.column_string(0), stmt.column_string(1),
                                   stmt.column_string(2), stmt.column_string(3),
                                   stmt.column_int(4)});
  }
  return targets;
}

Result<bool> remove_notify_target(Connection& db, std::string_view name) {
  auto stmt = CV_TRY(db.prepare("DELETE FROM notify_targets WHERE name = ?1"));
  stmt.bind_text(1, name);
  CV_TRY(stmt.run());
  return stmt.changes() > 0;
}

}  // namespace cv::meta::sqlite
