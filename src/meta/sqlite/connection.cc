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

Statement::Statement(Connection& connection, sqlite3_stmt* stmt, StatementPtr owned, bool* in_use)
    : connection_(&connection), stmt_(stmt), owned_(std::move(owned)), in_use_(in_use) {}

Statement::~Statement() {
  if (!stmt_) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  if (in_use_) *in_use_ = false;
}

Statement& Statement::bind_double(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

Statement& Statement::bind_int(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind_text(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.empty() ? kEmpty : value.data(),
                    static_cast<int>(value.size()), SQLITE_STATIC);
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view value) {
  sqlite3_bind_blob(stmt_, index, value.empty() ? kEmpty : value.data(),
                    static_cast<int>(value.size()), SQLITE_STATIC);
  return *this;
}

Statement& Statement::bind_text_or_null(int index, std::string_view value) {
  return value.empty() ? bind_null(index) : bind_text(index, value);
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return std::unexpected(sqlite_error(connection_->handle(), sqlite3_sql(stmt_)));
}

Status Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return std::unexpected(std::move(row).error());
    if (!*row) return {};
  }
}

void Statement::rewind() { sqlite3_reset(stmt_); }

std::string_view Statement::column_bytes(int index) const {
  const void* data = sqlite3_column_blob(stmt_, index);
  int size = sqlite3_column_bytes(stmt_, index);
  if (!data || size <= 0) return {};
  return {static_cast<const char*>(data), static_cast<size_t>(size)};
}

int Statement::changes() const { return sqlite3_changes(connection_->handle()); }

Result<std::unique_ptr<Connection>> Connection::open(const std::filesystem::path& path, bool create,
                                                     bool read_only) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (create) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  DatabasePtr db(raw);
  if (rc != SQLITE_OK) return std::unexpected(sqlite_error(db.get(), "open " + path.string()));
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  std::unique_ptr<Connection> connection(new Connection(std::move(db)));
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

Result<Statement> Connection::prepare(std::string_view sql) {
  auto found = cache_.find(sql);
  if (found == cache_.end()) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    StatementPtr stmt(raw);
    if (rc != SQLITE_OK) return std::unexpected(sqlite_error(db_.get(), sql));
    found = cache_.emplace(std::string(sql), Cached{std::move(stmt), false}).first;
  }
  Cached& cached = found->second;
  if (cached.in_use) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    StatementPtr stmt(raw);
    if (rc != SQLITE_OK) return std::unexpected(sqlite_error(db_.get(), sql));
    sqlite3_stmt* use = stmt.get();
    return Result<Statement>(std::in_place, *this, use, std::move(stmt), nullptr);
  }
  cached.in_use = true;
  return Result<Statement>(std::in_place, *this, cached.stmt.get(), nullptr, &cached.in_use);
}

Status Connection::execute(std::string_view sql) {
  auto stmt = prepare(sql);
  if (!stmt) return std::unexpected(std::move(stmt).error());
  return stmt->run();
}

Status Connection::execute_script(const char* sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return {};
  std::string detail = message ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  if (sqlite_storage_full(db_.get(), rc)) return fail(storage_full_error("the metadata store"));
  return fail(ErrorCode::kInternalError, fmt::format("metadata store: {}", detail));
}

Result<ReadTransaction> ReadTransaction::begin(Connection& connection) {
  CV_TRY(connection.execute("BEGIN"));
  return ReadTransaction(&connection);
}

ReadTransaction::~ReadTransaction() {
  if (connection_) (void)connection_->execute("COMMIT");
}

}  // namespace cv::meta::sqlite
