// SQL for the activity pipeline (MetaStore::put_activity_events and its siblings). Writes
// run on the writer connection inside a transaction; reads on any connection. Not
// thread-safe on their own (the caller owns the connection).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "meta/activity_types.h"
#include "meta/sqlite/connection.h"

namespace cv::meta::sqlite {

Result<ActivityWriteCount> insert_activity_events(Connection& db,
                                                  const std::vector<ActivityEvent>& events);
// Deletes every burst and day row and rebuilds them from the stored events, rescored.
Result<uint64_t> rebuild_activity(Connection& db, const ActivityRescoreFunction& score);
Result<std::vector<ActivityDayService>> read_activity_days(
    Connection& db, const std::vector<std::string>& principals, int64_t from_day, int64_t to_day);

Result<std::vector<ActivityEvent>> read_activity_events(Connection& db,
                                                        const std::vector<std::string>& principals,
                                                        int64_t from_day, int64_t to_day);

Result<std::optional<ActivityFileCheckpoint>> read_activity_file(Connection& db,
                                                                 std::string_view source,
                                                                 std::string_view path);
Status write_activity_file(Connection& db, const ActivityFileCheckpoint& checkpoint);

Status insert_activity_principals(Connection& db, std::string_view profile,
                                  const std::vector<std::string>& principals, int64_t now_ns);
Result<std::optional<ActivityProfile>> read_activity_profile(Connection& db, std::string_view name);
Result<std::vector<ActivityProfile>> read_activity_profiles(Connection& db);
Result<bool> remove_activity_profile(Connection& db, std::string_view name);

}  // namespace cv::meta::sqlite
