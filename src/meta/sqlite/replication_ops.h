// SQL for replication's bookkeeping (see MetaStore, "Replication"): replicas written with the
// source's version id and time, the end of each replication task (task removed, the source
// version's status, per-rule stats) and the backfill queue. Writes run on the writer
// connection inside one transaction each; reads on a reader connection.
#pragma once

#include <string_view>
#include <vector>

#include "core/error.h"
#include "meta/sqlite/connection.h"
#include "meta/types.h"

namespace cv::meta::sqlite {

Result<ReplicaWrite> write_replica(Connection& db, const ObjectVersion& object);
Status write_replication_outcome(Connection& db, const ReplicationOutcome& outcome);
Status write_replication_status(Connection& db, std::string_view bucket, std::string_view key,
                                std::string_view version_id, std::string_view status);
Status write_task_payload(Connection& db, int64_t task_id, std::string_view payload);
Result<std::vector<ReplicationStats>> read_replication_stats(Connection& db,
                                                             std::string_view bucket);

}  // namespace cv::meta::sqlite
