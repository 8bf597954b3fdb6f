// SQL for background work on versions (lifecycle, restore) and usage by storage class. Writes run on the writer connection inside a transaction; reads on a
// reader connection.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "meta/sqlite/connection.h"
#include "meta/types.h"

namespace cv::meta::sqlite {

// Through the partial index objects_by_due.
Result<std::vector<DueVersion>> read_due_versions(Connection& db, int64_t now_ns, size_t max);
// Newest first (the current version first), without inline bodies.
Result<std::vector<ObjectVersion>> read_key_versions(Connection& db, std::string_view bucket,
                                                     std::string_view key);
// See MetaStore::apply_change.
Status write_change(Connection& db, const VersionChange& change);
Status write_bucket_due(Connection& db, std::string_view bucket, int64_t due_ns);
Result<std::vector<ClassUsage>> read_usage_by_class(Connection& db, std::string_view bucket);

}  // namespace cv::meta::sqlite
