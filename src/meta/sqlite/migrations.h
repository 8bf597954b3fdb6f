// Versioned schema of the SQLite metadata store.
//
// The schema version lives in PRAGMA user_version. Migration steps are applied in order, in
// one transaction, when a store opens; a database newer than this program is refused.
#pragma once

#include <functional>
#include <span>

#include "core/error.h"
#include "meta/sqlite/connection.h"

namespace cv::meta::sqlite {

struct Migration {
  int version;      // the schema version after this step; steps are numbered 1, 2, 3...
  const char* sql;  // statements that bring version - 1 to version
};

// All steps, oldest first.
std::span<const Migration> schema_migrations();
// The version the newest step produces.
int latest_schema_version();

// The database's current schema version (0 for a new file).
Result<int> schema_version(Connection& connection);
// Brings the database to latest_schema_version(). kInternalError when the database is newer
// than this program or a step fails (nothing is changed then). `after_step` (optional) is
// called after each step with the version the database had, the latest version, the steps
// applied so far and the steps to apply; not for a new database (version 0).
using MigrationStepCallback =
    std::function<void(int from_version, int to_version, size_t applied, size_t pending)>;
Status migrate(Connection& connection, const MigrationStepCallback& after_step = {});

}  // namespace cv::meta::sqlite
