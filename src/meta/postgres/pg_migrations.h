// Applies the PostgreSQL store's schema steps (pg_schema.h), the way the SQLite store's
// migrations work, made safe for several servers starting at once on one database.
//
// The applied versions are rows of cloudvault_schema (version, applied_at). migrate() takes a
// transaction-scoped advisory lock first, so concurrent callers apply each step exactly once:
// the first applies, the others wait and then find nothing to do. All pending steps and their
// rows commit in that one transaction, or none do. A database whose version is newer than the
// newest step known is refused (kInternalError), as is a gap in `steps`.
#pragma once

#include <pqxx/pqxx>

#include <functional>
#include <span>

#include "core/error.h"
#include "meta/postgres/pg_schema.h"

namespace cv::meta::postgres {

// The database's schema version (0 when cloudvault_schema does not exist yet).
Result<int> pg_schema_version(pqxx::connection& connection);

// `after_step` (optional): told after each step of the version the database had, the newest
// version, steps applied so far and steps to apply; not for a new database (version 0).
using PgMigrationStepCallback =
    std::function<void(int from_version, int to_version, size_t applied, size_t pending)>;
Status pg_migrate(pqxx::connection& connection, std::span<const PgMigration> steps,
                  const PgMigrationStepCallback& after_step = {});

}  // namespace cv::meta::postgres
