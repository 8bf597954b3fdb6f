// SQL for the operations reads behind metrics (see MetaStore, "Operations"): the storage
// usage counters the objects triggers keep (migration 15), the count of multipart uploads in
// progress, and the outbox's backlog per consumer and per bucket. Reads on a reader
// connection, each in one read transaction.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "meta/sqlite/connection.h"
#include "meta/types.h"

namespace cv::meta::sqlite {

Result<std::vector<StorageUsage>> read_storage_usage(Connection& db);
Result<uint64_t> read_uploads_in_progress(Connection& db);
Result<std::vector<OutboxBacklog>> read_outbox_backlog(Connection& db);
Result<std::vector<BucketBacklog>> read_task_backlog_by_bucket(Connection& db,
                                                               std::string_view consumer);

}  // namespace cv::meta::sqlite
