// The MetaStore on PostgreSQL (issue 17): the same SQL as the SQLite store (SqlMetaStore,
// meta/sql/sql_meta_store.h) on a pool of connections, so several servers can share one
// database.
//
// Every change runs in one SERIALIZABLE transaction on a pooled connection; a query runs
// statement by statement (each its own snapshot, as on SQLite's readers), and the reads
// that need one snapshot over several statements take a REPEATABLE READ read-only one. A transaction PostgreSQL
// aborts to keep the history serializable (40001) or to break a deadlock (40P01) is run again
// from the start, after a short random wait, up to max_attempts times: what the SQLite store's
// single writer guarantees holds across servers. A lost connection is dropped from the pool and the call tried once
// more on a fresh one. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "core/error.h"
#include "meta/meta_store.h"
#include "meta/sqlite/sqlite_meta_store.h"

namespace cv::meta {

struct PostgresOptions {
  std::string conninfo;     // "postgres://user:password@host:5432/db", or libpq's keywords
  size_t connections = 16;  // the pool's bound
  int max_attempts = 50;    // tries of a transaction PostgreSQL keeps aborting
  MigrationCallback on_migration;  // told of a schema upgrade's steps; empty: nobody
};

// Connects, brings the schema up to date (pg_migrations.h) and opens the store.
// kServiceUnavailable when the server cannot be reached; kInternalError when its schema is
// newer than this program's.
Result<std::unique_ptr<MetaStore>> open_postgres_meta_store(const PostgresOptions& options);

}  // namespace cv::meta
