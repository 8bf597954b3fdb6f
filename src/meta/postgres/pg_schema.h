// Versioned schema of the PostgreSQL metadata store: the same tables as the SQLite store's
// (meta/sqlite/migrations.cc), in PostgreSQL's types. Text that S3 orders (bucket names, keys,
// upload ids, version ids) is COLLATE "C", so ORDER BY and range scans are byte order, as S3
// lists and as SQLite's BINARY collation gives.
//
// The applied version lives in the table cloudvault_schema (pg_migrations.h applies the steps).
#pragma once

#include <span>

namespace cv::meta::postgres {

struct PgMigration {
  int version;      // the schema version after this step; steps are numbered 1, 2, 3...
  const char* sql;  // statements that bring version - 1 to version (one transaction)
};

// All steps, oldest first.
std::span<const PgMigration> postgres_migrations();

}  // namespace cv::meta::postgres
