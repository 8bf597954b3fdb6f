#include "meta/sqlite/activity_ops.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <tuple>

namespace cv::meta::sqlite {
namespace {

constexpr int64_t kNanosPerDay = 86'400'000'000'000;

int64_t day_of(int64_t time_ns) {
  int64_t day = time_ns / kNanosPerDay;
  return (time_ns % kNanosPerDay < 0) ? day - 1 : day;  // floor, for times before 1970
}

// The id of the actor row, inserting it when new.
Result<int64_t> actor_id(Connection& db, const ActivityActor& actor) {
  auto insert =
      CV_TRY(db.prepare("INSERT INTO activity_actors(account_id, arn, access_key_id, user_name, "
                        "issuer_arn) VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING RETURNING id"));
  insert.bind_text(1, actor.account_id)
      .bind_text(2, actor.arn)
      .bind_text(3, actor.access_key_id)
      .bind_text(4, actor.user_name)
      .bind_text(5, actor.issuer_arn);
  if (CV_TRY(insert.step())) {
    const int64_t id = insert.column_int(0);
    CV_TRY(insert.run());
    return id;
  }
  auto select =
      CV_TRY(db.prepare("SELECT id FROM activity_actors WHERE account_id = ?1 AND arn = ?2 AND "
                        "access_key_id = ?3 AND user_name = ?4 AND issuer_arn = ?5"));
  select.bind_text(1, actor.account_id)
      .bind_text(2, actor.arn)
      .bind_text(3, actor.access_key_id)
      .bind_text(4, actor.user_name)
      .bind_text(5, actor.issuer_arn);
  if (!CV_TRY(select.step())) {
    return fail(ErrorCode::kInternalError, "activity actor vanished after insert");
  }
  return select.column_int(0);
}

// The SELECT of the events event_of_row reads, in its order (column 1 is the actor id); a
// WHERE clause follows.
constexpr std::string_view kSelectEvents =
    "SELECT e.event_id, e.actor_id, e.time_ns, e.event_source, e.event_name, e.read_only, "
    "e.failed, e.record_hash, e.service, e.points, e.window_s, a.account_id, a.arn, "
    "a.access_key_id, a.user_name, a.issuer_arn FROM activity_events e JOIN activity_actors a "
    "ON a.id = e.actor_id ";

ActivityEvent event_of_row(const Statement& stmt) {
  ActivityEvent event;
  event.event_id = stmt.column_string(0);
  event.time_ns = stmt.column_int(2);
  event.event_source = stmt.column_string(3);
  event.event_name = stmt.column_string(4);
  event.read_only = stmt.column_int(5) != 0;
  event.failed = stmt.column_int(6) != 0;
  event.record_hash = stmt.column_string(7);
  event.scoring = ActivityScoring{stmt.column_string(8), stmt.column_int(9), stmt.column_int(10)};
  event.actor =
      ActivityActor{stmt.column_string(11), stmt.column_string(12), stmt.column_string(13),
                    stmt.column_string(14), stmt.column_string(15)};
  return event;
}

// The aggregate changes of a set of newly stored events, gathered in memory and applied
// with one statement per burst and per day row: a burst counts the highest points of its
// events (what it already holds included), a day row gains each event and what its bursts
// grew by. Events of one burst share a day (the window divides the day) and a service.
class Aggregation {
 public:
  void add(int64_t actor, const ActivityEvent& event) {
    const ActivityScoring& scoring = event.scoring;
    auto [it, inserted] = bursts_.try_emplace(
        BurstKey{actor, event.event_source, event.event_name, scoring.window_start_s},
        BurstValue{scoring.service, day_of(event.time_ns), scoring.points_milli});
    if (!inserted) it->second.points = std::max(it->second.points, scoring.points_milli);
    days_[DayKey{actor, day_of(event.time_ns), scoring.service}].events += 1;
  }

  Status apply(Connection& db) {
    for (const auto& [key, burst] : bursts_) {
      auto existing =
          CV_TRY(db.prepare("SELECT points FROM activity_bursts WHERE actor_id = ?1 AND "
                            "event_source = ?2 AND event_name = ?3 AND window_s = ?4"));
      existing.bind_int(1, key.actor)
          .bind_text(2, key.source)
          .bind_text(3, key.name)
          .bind_int(4, key.window_s);
      int64_t gained = burst.points;
      bool exists = CV_TRY(existing.step());
      if (exists) gained = std::max<int64_t>(0, burst.points - existing.column_int(0));
      if (!exists || gained > 0) {
        auto upsert = CV_TRY(
            db.prepare("INSERT INTO activity_bursts(actor_id, event_source, event_name, "
                       "window_s, points) VALUES(?1, ?2, ?3, ?4, ?5) "
                       "ON CONFLICT(actor_id, window_s, event_source, event_name) DO UPDATE SET "
                       "points = CASE WHEN excluded.points > activity_bursts.points "
                       "THEN excluded.points ELSE activity_bursts.points END"));
        upsert.bind_int(1, key.actor)
            .bind_text(2, key.source)
            .bind_text(3, key.name)
            .bind_int(4, key.window_s)
            .bind_int(5, burst.points);
        CV_TRY(upsert.run());
      }
      days_[DayKey{key.actor, burst.day, burst.service}].points += gained;
    }
    for (const auto& [key, day] : days_) {
      auto upsert = CV_TRY(
          db.prepare("INSERT INTO activity_daily(actor_id, day, service, points, events) "
                     "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(actor_id, day, service) DO UPDATE SET "
                     "points = activity_daily.points + excluded.points, "
                     "events = activity_daily.events + excluded.events"));
      upsert.bind_int(1, key.actor)
          .bind_int(2, key.day)
          .bind_text(3, key.service)
          .bind_int(4, day.points)
          .bind_int(5, day.events);
      CV_TRY(upsert.run());
    }
    bursts_.clear();
    days_.clear();
    return {};
  }

 private:
  struct BurstKey {
    int64_t actor;
    std::string source;
    std::string name;
    int64_t window_s;
    auto operator<=>(const BurstKey&) const = default;
  };
  struct BurstValue {
    std::string service;
    int64_t day;  // of the burst's first event here; all of its events share it
    int64_t points;
  };
  struct DayKey {
    int64_t actor;
    int64_t day;
    std::string service;
    auto operator<=>(const DayKey&) const = default;
  };
  struct DayValue {
    int64_t points = 0;
    int64_t events = 0;
  };
  std::map<BurstKey, BurstValue> bursts_;
  std::map<DayKey, DayValue> days_;
};

// Whether the event was new (false: its id is stored already).
Result<bool> insert_event(Connection& db, int64_t actor, const ActivityEvent& event) {
  auto stmt = CV_TRY(db.prepare(
      "INSERT INTO activity_events(event_id, actor_id, time_ns, event_source, event_name, "
      "read_only, failed, record_hash, service, points, window_s) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT DO NOTHING"));
  stmt.bind_text(1, event.event_id)
      .bind_int(2, actor)
      .bind_int(3, event.time_ns)
      .bind_text(4, event.event_source)
      .bind_text(5, event.event_name)
      .bind_int(6, event.read_only ? 1 : 0)
      .bind_int(7, event.failed ? 1 : 0)
      .bind_blob(8, event.record_hash)
      .bind_text(9, event.scoring.service)
      .bind_int(10, event.scoring.points_milli)
      .bind_int(11, event.scoring.window_start_s);
  CV_TRY(stmt.run());
  return stmt.changes() > 0;
}

}  // namespace

Result<ActivityWriteCount> insert_activity_events(Connection& db,
                                                  const std::vector<ActivityEvent>& events) {
  ActivityWriteCount count;
  Aggregation aggregation;
  // Actor ids of this call: a batch usually comes from a handful of identities.
  std::map<std::tuple<std::string, std::string, std::string, std::string, std::string>, int64_t>
      actors;
  for (const ActivityEvent& event : events) {
    const ActivityActor& who = event.actor;
    auto key =
        std::make_tuple(who.account_id, who.arn, who.access_key_id, who.user_name, who.issuer_arn);
    auto known = actors.find(key);
    int64_t actor = 0;
    if (known != actors.end()) {
      actor = known->second;
    } else {
      actor = CV_TRY(actor_id(db, who));
      actors.emplace(std::move(key), actor);
    }
    if (!CV_TRY(insert_event(db, actor, event))) {
      ++count.duplicates;
      continue;
    }
    ++count.added;
    aggregation.add(actor, event);
  }
  CV_TRY(aggregation.apply(db));
  return count;
}

Result<uint64_t> rebuild_activity(Connection& db, const ActivityRescoreFunction& score) {
  CV_TRY(db.execute_script("DELETE FROM activity_bursts; DELETE FROM activity_daily;"));
  uint64_t scored = 0;
  Aggregation aggregation;
  std::string after;
  constexpr int64_t kPage = 4096;
  int64_t after_time = std::numeric_limits<int64_t>::min();
  while (true) {
    // A page at a time in key order, so the rows updated below are never under a cursor.
    std::vector<std::pair<int64_t, ActivityEvent>> page;
    {
      auto stmt = CV_TRY(db.prepare(std::string(kSelectEvents) +
                                    "WHERE (e.time_ns, e.event_id) > (?3, ?1) "
                                    "ORDER BY e.time_ns, e.event_id LIMIT ?2"));
      stmt.bind_text(1, after).bind_int(2, kPage).bind_int(3, after_time);
      while (CV_TRY(stmt.step())) page.emplace_back(stmt.column_int(1), event_of_row(stmt));
    }
    if (page.empty()) break;
    for (auto& [actor, event] : page) {
      event.scoring = CV_TRY(score(event));
      auto update =
          CV_TRY(db.prepare("UPDATE activity_events SET service = ?2, points = ?3, window_s = ?4 "
                            "WHERE event_id = ?1"));
      update.bind_text(1, event.event_id)
          .bind_text(2, event.scoring.service)
          .bind_int(3, event.scoring.points_milli)
          .bind_int(4, event.scoring.window_start_s);
      CV_TRY(update.run());
      aggregation.add(actor, event);
      ++scored;
    }
    CV_TRY(aggregation.apply(db));
    after = page.back().second.event_id;
    after_time = page.back().second.time_ns;
  }
  return scored;
}

namespace {

// The ids of the actors any of `principals` names.
Result<std::set<int64_t>> matching_actors(Connection& db,
                                          const std::vector<std::string>& principals) {
  std::set<int64_t> actors;
  for (const std::string& principal : principals) {
    auto stmt =
        CV_TRY(db.prepare("SELECT id FROM activity_actors WHERE account_id = ?1 UNION "
                          "SELECT id FROM activity_actors WHERE arn = ?1 UNION "
                          "SELECT id FROM activity_actors WHERE access_key_id = ?1 UNION "
                          "SELECT id FROM activity_actors WHERE user_name = ?1 UNION "
                          "SELECT id FROM activity_actors WHERE issuer_arn = ?1"));
    stmt.bind_text(1, principal);
    while (CV_TRY(stmt.step())) actors.insert(stmt.column_int(0));
  }
  return actors;
}

}  // namespace

Result<std::vector<ActivityEvent>> read_activity_events(Connection& db,
                                                        const std::vector<std::string>& principals,
                                                        int64_t from_day, int64_t to_day) {
  auto transaction = CV_TRY(ReadTransaction::begin(db));
  std::set<int64_t> actors = CV_TRY(matching_actors(db, principals));
  std::vector<ActivityEvent> events;
  if (actors.empty()) return events;
  auto stmt =
      CV_TRY(db.prepare(std::string(kSelectEvents) + "WHERE e.time_ns >= ?1 AND e.time_ns < ?2 "
                                                     "ORDER BY e.time_ns, e.event_id"));
  stmt.bind_int(1, from_day * kNanosPerDay).bind_int(2, (to_day + 1) * kNanosPerDay);
  while (CV_TRY(stmt.step())) {
    if (actors.contains(stmt.column_int(1))) events.push_back(event_of_row(stmt));
  }
  return events;
}

Result<std::vector<ActivityDayService>> read_activity_days(
    Connection& db, const std::vector<std::string>& principals, int64_t from_day, int64_t to_day) {
  auto transaction = CV_TRY(ReadTransaction::begin(db));
  std::set<int64_t> actors = CV_TRY(matching_actors(db, principals));
  std::map<std::pair<int64_t, std::string>, ActivityDayService> sums;
  for (int64_t actor : actors) {
    auto stmt =
        CV_TRY(db.prepare("SELECT day, service, points, events FROM activity_daily "
                          "WHERE actor_id = ?1 AND day BETWEEN ?2 AND ?3"));
    stmt.bind_int(1, actor).bind_int(2, from_day).bind_int(3, to_day);
    while (CV_TRY(stmt.step())) {
      int64_t day = stmt.column_int(0);
      std::string service = stmt.column_string(1);
      ActivityDayService& sum = sums[{day, service}];
      sum.day = day;
      sum.service = std::move(service);
      sum.points_milli += stmt.column_int(2);
      sum.events += stmt.column_int(3);
    }
  }
  std::vector<ActivityDayService> days;
  days.reserve(sums.size());
  for (auto& [key, sum] : sums) days.push_back(std::move(sum));
  return days;
}

Result<std::optional<ActivityFileCheckpoint>> read_activity_file(Connection& db,
                                                                 std::string_view source,
                                                                 std::string_view path) {
  auto stmt =
      CV_TRY(db.prepare("SELECT size, etag, records, read_ns FROM activity_files "
                        "WHERE source = ?1 AND path = ?2"));
  stmt.bind_text(1, source).bind_text(2, path);
  if (!CV_TRY(stmt.step())) return std::nullopt;
  return ActivityFileCheckpoint{std::string(source),   std::string(path),  stmt.column_int(0),
                                stmt.column_string(1), stmt.column_int(2), stmt.column_int(3)};
}

Status write_activity_file(Connection& db, const ActivityFileCheckpoint& checkpoint) {
  auto stmt =
      CV_TRY(db.prepare("INSERT INTO activity_files(source, path, size, etag, records, "
                        "read_ns) VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(source, path) DO "
                        "UPDATE SET size = excluded.size, etag = excluded.etag, "
                        "records = excluded.records, read_ns = excluded.read_ns"));
  stmt.bind_text(1, checkpoint.source)
      .bind_text(2, checkpoint.path)
      .bind_int(3, checkpoint.size)
      .bind_text(4, checkpoint.etag)
      .bind_int(5, checkpoint.records)
      .bind_int(6, checkpoint.read_ns);
  return stmt.run();
}

Status insert_activity_principals(Connection& db, std::string_view profile,
                                  const std::vector<std::string>& principals, int64_t now_ns) {
  auto create =
      CV_TRY(db.prepare("INSERT INTO activity_profiles(name, created_ns) VALUES(?1, ?2) "
                        "ON CONFLICT DO NOTHING"));
  create.bind_text(1, profile).bind_int(2, now_ns);
  CV_TRY(create.run());
  for (const std::string& principal : principals) {
    auto add =
        CV_TRY(db.prepare("INSERT INTO activity_profile_principals(profile, principal) "
                          "VALUES(?1, ?2) ON CONFLICT DO NOTHING"));
    add.bind_text(1, profile).bind_text(2, principal);
    CV_TRY(add.run());
  }
  return {};
}

Result<std::vector<ActivityProfile>> read_activity_profiles(Connection& db) {
  auto transaction = CV_TRY(ReadTransaction::begin(db));
  std::vector<ActivityProfile> profiles;
  auto stmt = CV_TRY(db.prepare(
      "SELECT name, created_ns, coalesce(public_token, '') FROM activity_profiles ORDER BY name"));
  while (CV_TRY(stmt.step())) {
    profiles.push_back(
        ActivityProfile{stmt.column_string(0), {}, stmt.column_int(1), stmt.column_string(2)});
  }
  for (ActivityProfile& profile : profiles) {
    auto principals =
        CV_TRY(db.prepare("SELECT principal FROM activity_profile_principals WHERE profile = ?1 "
                          "ORDER BY principal"));
    principals.bind_text(1, profile.name);
    while (CV_TRY(principals.step())) profile.principals.push_back(principals.column_string(0));
  }
  return profiles;
}

Result<std::optional<ActivityProfile>> read_activity_profile(Connection& db,
                                                             std::string_view name) {
  for (ActivityProfile& profile : CV_TRY(read_activity_profiles(db))) {
    if (profile.name == name) return std::optional<ActivityProfile>(std::move(profile));
  }
  return std::nullopt;
}

Result<ActivityTotals> read_activity_totals(Connection& db) {
  auto transaction = CV_TRY(ReadTransaction::begin(db));
  ActivityTotals totals;
  auto events = CV_TRY(db.prepare("SELECT count(*) FROM activity_events"));
  if (CV_TRY(events.step())) totals.events = events.column_int(0);
  auto sources =
      CV_TRY(db.prepare("SELECT source, count(*), sum(records), max(read_ns) FROM activity_files "
                        "GROUP BY source ORDER BY source"));
  while (CV_TRY(sources.step())) {
    totals.sources.push_back({sources.column_string(0), sources.column_int(1),
                              sources.column_int(2), sources.column_int(3)});
  }
  return totals;
}

Result<std::optional<ActivityProfile>> read_activity_profile_by_token(Connection& db,
                                                                      std::string_view token) {
  if (token.empty()) return std::nullopt;
  std::string name;
  {
    auto transaction = CV_TRY(ReadTransaction::begin(db));
    auto stmt = CV_TRY(db.prepare("SELECT name FROM activity_profiles WHERE public_token = ?1"));
    stmt.bind_text(1, token);
    if (!CV_TRY(stmt.step())) return std::nullopt;
    name = stmt.column_string(0);
  }
  return read_activity_profile(db, name);
}

Result<bool> set_activity_public_token(Connection& db, std::string_view name,
                                       std::string_view token) {
  auto stmt = CV_TRY(db.prepare("UPDATE activity_profiles SET public_token = ?2 WHERE name = ?1"));
  stmt.bind_text(1, name);
  if (token.empty()) {
    stmt.bind_null(2);
  } else {
    stmt.bind_text(2, token);
  }
  CV_TRY(stmt.run());
  return stmt.changes() > 0;
}

Result<bool> remove_activity_profile(Connection& db, std::string_view name) {
  auto principals =
      CV_TRY(db.prepare("DELETE FROM activity_profile_principals WHERE profile = ?1"));
  principals.bind_text(1, name);
  CV_TRY(principals.run());
  auto stmt = CV_TRY(db.prepare("DELETE FROM activity_profiles WHERE name = ?1"));
  stmt.bind_text(1, name);
  CV_TRY(stmt.run());
  return stmt.changes() > 0;
}

}  // namespace cv::meta::sqlite
