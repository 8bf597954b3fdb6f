#include "meta/sqlite/connection.h"

#include <fmt/format.h>

#include <cerrno>

#include "core/storage_full.h"

namespace cv::meta::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 10'000;
const char kEmpty[] = "";

}  // namespace

bool sqlite_storage_full(sqlite3* db, int rc) {
  if ((rc & 0xff) == SQLITE_FULL) return true;
  if (db == nullptr || (rc & 0xff) != SQLITE_IOERR) return false;
  const int system_errno = sqlite3_system_errno(db);
  return system_errno == ENOSPC || system_errno == EDQUOT;
}

Error sqlite_error(sqlite3* db, std::string_view context) {
  if (db != nullptr && sqlite_storage_full(db, sqlite3_extended_errcode(db))) {
    return storage_full_error("the metadata store", (sqlite3_errcode(db) & 0xff) == SQLITE_IOERR &&
                                                        sqlite3_system_errno(db) == EDQUOT);
  }
  std::string detail = db ? sqlite3_errmsg(db) : "out of memory";
  return Error{
      ErrorCode::kInternalError, fmt::format("metadata store: {}: {}", context, detail), {}};
}

namespace {

// One prepared SQLite statement; `db` outlives it.
class SqliteStatement final : public sql::StatementBackend {
 public:
  SqliteStatement(sqlite3* db, StatementPtr stmt) : db_(db), stmt_(std::move(stmt)) {}

  void bind_int(int index, int64_t value) override {
    sqlite3_bind_int64(stmt_.get(), index, value);
  }
  void bind_double(int index, double value) override {
    sqlite3_bind_double(stmt_.get(), index, value);
  }
  void bind_text(int index, std::string_view value) override {
    sqlite3_bind_text(stmt_.get(), index, value.empty() ? kEmpty : value.data(),
                      static_cast<int>(value.size()), SQLITE_STATIC);
  }
  void bind_blob(int index, std::string_view value) override {
    sqlite3_bind_blob(stmt_.get(), index, value.empty() ? kEmpty : value.data(),
                      static_cast<int>(value.size()), SQLITE_STATIC);
  }
  void bind_null(int index) override { sqlite3_bind_null(stmt_.get(), index); }

  Result<bool> step() override {
    const int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return std::unexpected(sqlite_error(db_, sqlite3_sql(stmt_.get())));
  }
  void rewind() override { sqlite3_reset(stmt_.get()); }
  void reset() override {
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
  }

  int64_t column_int(int index) const override { return sqlite3_column_int64(stmt_.get(), index); }
  double column_double(int index) const override {
    return sqlite3_column_double(stmt_.get(), index);
  }
  bool column_is_null(int index) const override {
    return sqlite3_column_type(stmt_.get(), index) == SQLITE_NULL;
  }
  std::string_view column_bytes(int index) const override {
    const void* data = sqlite3_column_blob(stmt_.get(), index);
    const int size = sqlite3_column_bytes(stmt_.get(), index);
    if (!data || size <= 0) return {};
    return {static_cast<const char*>(data), static_cast<size_t>(size)};
  }
  int changes() const override { return sqlite3_changes(db_); }

 private:
  sqlite3* db_;
  StatementPtr stmt_;
};

}  // namespace

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(
    const std::filesystem::path& path, bool create, bool read_only) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (create) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  DatabasePtr db(raw);
  if (rc != SQLITE_OK) return std::unexpected(sqlite_error(db.get(), "open " + path.string()));
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(std::move(db)));
  // WAL: readers never block the writer; synchronous=FULL: a commit is on disk when it returns.
  // The automatic checkpoint stays at SQLite's default (1000 pages, run by the committing
  // writer): a background checkpointer measured slower, as it kept the WAL from restarting.
  CV_TRY(
      connection->execute_script("PRAGMA journal_mode=WAL;"
                                 "PRAGMA synchronous=FULL;"
                                 "PRAGMA foreign_keys=ON;"
                                 "PRAGMA temp_store=MEMORY;"
                                 "PRAGMA cache_size=-16384;"
                                 "PRAGMA journal_size_limit=67108864;"));
  // Readers are ordinary connections restricted to queries: a SQLITE_OPEN_READONLY
  // connection cannot recover a WAL file left by a crash.
  // Each pooled reader keeps a smaller page cache (1 MiB; the writer 4 MiB, set by
  // sqlite_meta_store.cc): the pool's caches would otherwise dominate the server's memory,
  // and the operating system's page cache holds the file anyway.
  if (read_only)
    CV_TRY(connection->execute_script("PRAGMA query_only=ON; PRAGMA cache_size=-1024;"));
  return connection;
}

Result<std::unique_ptr<sql::StatementBackend>> SqliteConnection::compile(std::string_view sql,
                                                                          bool cached) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                    cached ? SQLITE_PREPARE_PERSISTENT : 0, &raw, nullptr);
  StatementPtr stmt(raw);
  if (rc != SQLITE_OK) return std::unexpected(sqlite_error(db_.get(), sql));
  return std::unique_ptr<sql::StatementBackend>(
      std::make_unique<SqliteStatement>(db_.get(), std::move(stmt)));
}

Status SqliteConnection::execute_script(const char* sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return {};
  std::string detail = message ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  if (sqlite_storage_full(db_.get(), rc)) return fail(storage_full_error("the metadata store"));
  return fail(ErrorCode::kInternalError, fmt::format("metadata store: {}", detail));
}

}  // namespace cv::meta::sqlite
