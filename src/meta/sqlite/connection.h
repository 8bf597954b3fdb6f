// One SQLite connection: the SQLite engine of meta::sql::Connection. Used by one thread at a
// time (the writer thread, or whoever holds a reader lease). Statements are prepared once per
// connection (SQLITE_PREPARE_PERSISTENT) and reused.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/error.h"
#include "meta/sql/connection.h"

namespace cv::meta::sqlite {

struct DatabaseCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using DatabasePtr = std::unique_ptr<sqlite3, DatabaseCloser>;
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// An Error (kInternalError) describing the connection's last SQLite failure; a full disk
// (SQLITE_FULL, or an I/O error with ENOSPC/EDQUOT) is storage_full_error (core/storage_full.h).
Error sqlite_error(sqlite3* db, std::string_view context);

// The metadata store's SQL runs on meta::sql::Connection (meta/sql/connection.h); these names
// keep the SQLite side's code reading as it did.
using Connection = sql::Connection;
using Statement = sql::Statement;
using ReadTransaction = sql::ReadTransaction;

// The SQLite engine of sql::Connection: one database connection.
class SqliteConnection final : public sql::Connection {
 public:
  // Opens (creating when `create`) the database file and applies the connection pragmas.
  static Result<std::unique_ptr<SqliteConnection>> open(const std::filesystem::path& path,
                                                        bool create, bool read_only);

  Status execute_script(const char* sql) override;

  sqlite3* handle() const { return db_.get(); }

 protected:
  Result<std::unique_ptr<sql::StatementBackend>> compile(std::string_view sql,
                                                         bool cached) override;

 private:
  explicit SqliteConnection(DatabasePtr db) : db_(std::move(db)) {}

  DatabasePtr db_;
};

}  // namespace cv::meta::sqlite
