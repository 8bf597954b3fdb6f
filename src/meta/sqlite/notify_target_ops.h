// SQL for the notification targets added at run time (MetaStore::add_notify_target and its
// siblings). Writes run on the writer connection inside a transaction; reads on any
// connection. Not thread-safe on their own (the caller owns the connection).
#pragma once

#include <string_view>
#include <vector>

#include "core/error.h"
#include "meta/sqlite/connection.h"
#include "meta/types.h"

namespace cv::meta::sqlite {

// kInvalidArgument when a target with the name exists.
Status insert_notify_target(Connection& db, const NotifyTarget& target);
// Ordered by name.
Result<std::vector<NotifyTarget>> read_notify_targets(Connection& db);
// Whether a row was removed.
Result<bool> remove_notify_target(Connection& db, std::string_view name);

}  // namespace cv::meta::sqlite
