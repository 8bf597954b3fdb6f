#include "meta/sqlite/alarm_ops.h"

#include "meta/sqlite/outbox_ops.h"

namespace cv::meta::sqlite {

Status write_alarm_rule(Connection& db, const AlarmRuleDocument& rule) {
  auto stmt = CV_TRY(db.prepare(
      "INSERT INTO alarm_rules(name, document, updated_ns) VALUES(?1, ?2, ?3) "
      "ON CONFLICT(name) DO UPDATE SET document = excluded.document, "
      "updated_ns = excluded.updated_ns"));
  stmt.bind_text(1, rule.name).bind_text(2, rule.document).bind_int(3, rule.updated_ns);
  return stmt.run();
}

Result<std::vector<AlarmRuleDocument>> read_alarm_rules(Connection& db) {
  auto stmt =
      CV_TRY(db.prepare("SELECT name, document, updated_ns FROM alarm_rules ORDER BY name"));
  std::vector<AlarmRuleDocument> rules;
  while (CV_TRY(stmt.step())) {
    rules.push_back({stmt.column_string(0), stmt.column_string(1), stmt.column_int(2)});
  }
  return rules;
}

Result<bool> remove_alarm_rule(Connection& db, std::string_view name) {
  auto rule = CV_TRY(db.prepare("DELETE FROM alarm_rules WHERE name = ?1"));
  rule.bind_text(1, name);
  CV_TRY(rule.run());
  const bool removed = rule.changes() > 0;
  auto state = CV_TRY(db.prepare("DELETE FROM alarm_states WHERE name = ?1"));
  state.bind_text(1, name);
  CV_TRY(state.run());
  return removed;
}

Result<std::vector<AlarmState>> read_alarm_states(Connection& db) {
  auto stmt = CV_TRY(db.prepare(
      "SELECT name, state, since_ns, evaluated_ns, reason, value FROM alarm_states "
      "ORDER BY name"));
  std::vector<AlarmState> states;
  while (CV_TRY(stmt.step())) {
    AlarmState state{stmt.column_string(0), stmt.column_string(1), stmt.column_int(2),
                     stmt.column_int(3), stmt.column_string(4), std::nullopt};
    if (!stmt.column_is_null(5)) state.value = stmt.column_double(5);
    states.push_back(std::move(state));
  }
  return states;
}

Status write_alarm_updates(Connection& db, const std::vector<AlarmUpdate>& updates) {
  for (const AlarmUpdate& update : updates) {
    const AlarmState& state = update.state;
    auto stmt = CV_TRY(db.prepare(
        "INSERT INTO alarm_states(name, state, since_ns, evaluated_ns, reason, value) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(name) DO UPDATE SET state = excluded.state, "
        "since_ns = excluded.since_ns, evaluated_ns = excluded.evaluated_ns, "
        "reason = excluded.reason, value = excluded.value"));
    stmt.bind_text(1, state.name)
        .bind_text(2, state.state)
        .bind_int(3, state.since_ns)
        .bind_int(4, state.evaluated_ns)
        .bind_text(5, state.reason);
    if (state.value) {
      stmt.bind_double(6, *state.value);
    } else {
      stmt.bind_null(6);
    }
    CV_TRY(stmt.run());
    if (update.transition) {
      const AlarmHistoryEntry& entry = *update.transition;
      auto history = CV_TRY(db.prepare(
          "INSERT INTO alarm_history(name, time_ns, old_state, new_state, reason, detail) "
          "VALUES(?1, ?2, ?3, ?4, ?5, ?6)"));
      history.bind_text(1, entry.name)
          .bind_int(2, entry.time_ns)
          .bind_text(3, entry.old_state)
          .bind_text(4, entry.new_state)
          .bind_text(5, entry.reason)
          .bind_text(6, entry.detail);
      CV_TRY(history.run());
    }
    if (update.event) CV_TRY(append_event(db, *update.event));
  }
  return {};
}

Result<std::vector<AlarmHistoryEntry>> read_alarm_history(Connection& db, std::string_view name,
                                                          size_t max) {
  auto stmt = CV_TRY(db.prepare(
      "SELECT id, name, time_ns, old_state, new_state, reason, detail FROM alarm_history "
      "WHERE ?1 = '' OR name = ?1 ORDER BY id DESC LIMIT ?2"));
  stmt.bind_text(1, name).bind_int(2, static_cast<int64_t>(max));
  std::vector<AlarmHistoryEntry> entries;
  while (CV_TRY(stmt.step())) {
    entries.push_back({stmt.column_int(0), stmt.column_string(1), stmt.column_int(2),
                       stmt.column_string(3), stmt.column_string(4), stmt.column_string(5),
                       stmt.column_string(6)});
  }
  return entries;
}

Result<uint64_t> remove_alarm_history(Connection& db, int64_t before_ns) {
  auto stmt = CV_TRY(db.prepare("DELETE FROM alarm_history WHERE time_ns < ?1"));
  stmt.bind_int(1, before_ns);
  CV_TRY(stmt.run());
  return static_cast<uint64_t>(stmt.changes());
}

Status write_metric_points(Connection& db, const std::vector<MetricPoint>& points) {
  for (const MetricPoint& point : points) {
    auto stmt = CV_TRY(db.prepare(
        "INSERT INTO metric_points(series, resolution, time_ns, value) "
        "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(resolution, series, time_ns) DO UPDATE SET "
        "value = excluded.value"));
    stmt.bind_text(1, point.series)
        .bind_int(2, point.resolution_seconds)
        .bind_int(3, point.time_ns)
        .bind_double(4, point.value);
    CV_TRY(stmt.run());
  }
  return {};
}

Result<std::vector<MetricPoint>> read_metric_points(Connection& db, std::string_view series_prefix,
                                                    int64_t resolution_seconds, int64_t since_ns) {
  // Prefix match by range (series >= prefix AND series < prefix + U+10FFFF): the key order is
  // byte order, so every series starting with the prefix sorts between the two (but one
  // whose next character is U+10FFFF itself, which series names never have). The bound is
  // valid UTF-8, as PostgreSQL's text requires.
  auto stmt = CV_TRY(db.prepare(
      "SELECT series, time_ns, value FROM metric_points WHERE resolution = ?1 "
      "AND series >= ?2 AND series < ?3 AND time_ns >= ?4 ORDER BY series, time_ns"));
  const std::string upper = std::string(series_prefix) + "\xf4\x8f\xbf\xbf";
  stmt.bind_int(1, resolution_seconds)
      .bind_text(2, series_prefix)
      .bind_text(3, upper)
      .bind_int(4, since_ns);
  std::vector<MetricPoint> points;
  while (CV_TRY(stmt.step())) {
    points.push_back(
        {stmt.column_string(0), resolution_seconds, stmt.column_int(1), stmt.column_double(2)});
  }
  return points;
}

Result<uint64_t> remove_metric_points(Connection& db, int64_t resolution_seconds,
                                      int64_t before_ns) {
  auto stmt = CV_TRY(db.prepare("DELETE FROM metric_points WHERE resolution = ?1 AND time_ns < ?2"));
  stmt.bind_int(1, resolution_seconds).bind_int(2, before_ns);
  CV_TRY(stmt.run());
  return static_cast<uint64_t>(stmt.changes());
}

}  // namespace cv::meta::sqlite
