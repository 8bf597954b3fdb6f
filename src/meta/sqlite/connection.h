// One SQLite connection and its cache of prepared statements.
//
// A Connection is used by one thread at a time (the writer thread, or whoever holds a
// reader lease). Statements are prepared once per connection and reused; a Statement is a
// scoped use of a cached one that resets it when it goes out of scope.
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

class Connection;

// A prepared statement in use. Bind parameters (1-based), step, read columns (0-based).
// On destruction the statement is reset and its bindings cleared, ready for reuse.
class Statement {
 public:
  Statement(Connection& connection, sqlite3_stmt* stmt, StatementPtr owned, bool* in_use);
  Statement(Statement&& other) noexcept
      : connection_(other.connection_),
        stmt_(std::exchange(other.stmt_, nullptr)),
        owned_(std::move(other.owned_)),
        in_use_(std::exchange(other.in_use_, nullptr)) {}
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  Statement& bind_int(int index, int64_t value);
  Statement& bind_text(int index, std::string_view value);
  // Binds bytes as a BLOB (keys are compared as bytes). Empty binds a zero-length blob.
  Statement& bind_blob(int index, std::string_view value);
  // Binds NULL when `value` is empty, else text.
  Statement& bind_text_or_null(int index, std::string_view value);
  Statement& bind_null(int index);
  Statement& bind_double(int index, double value);

  // Advances: true when a row is available, false when done.
  Result<bool> step();
  // Runs to completion, ignoring rows.
  Status run();
  // Rewinds to run again with the same bindings.
  void rewind();

  int64_t column_int(int index) const { return sqlite3_column_int64(stmt_, index); }
  double column_double(int index) const { return sqlite3_column_double(stmt_, index); }
  bool column_is_null(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }
  // Text or blob bytes of a column; valid until the next step/reset.
  std::string_view column_bytes(int index) const;
  std::string column_string(int index) const { return std::string(column_bytes(index)); }

  int changes() const;

 private:
  Connection* connection_;
  sqlite3_stmt* stmt_;
  StatementPtr owned_;  // set when the cached copy was busy and this one is private
  bool* in_use_;        // the cache's busy flag, or nullptr
};

class Connection {
 public:
  // Opens (creating when `create`) the database file and applies the connection pragmas.
  static Result<std::unique_ptr<Connection>> open(const std::filesystem::path& path, bool create,
                                                  bool read_only);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The cached statement for `sql` (prepared on first use). Nested use of the same text
  // gets a private copy.
  Result<Statement> prepare(std::string_view sql);
  // Prepares (cached) and runs one statement, ignoring rows: transaction control.
  Status execute(std::string_view sql);
  // Runs a script of statements, ignoring rows; not cached (DDL, pragmas).
  Status execute_script(const char* sql);

  sqlite3* handle() const { return db_.get(); }

 private:
  explicit Connection(DatabasePtr db) : db_(std::move(db)) {}

  struct Cached {
    StatementPtr stmt;
    bool in_use = false;
  };
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };

  DatabasePtr db_;
  std::unordered_map<std::string, Cached, TextHash, std::equal_to<>> cache_;
};

// BEGIN ... COMMIT on a reader connection so a multi-statement read sees one snapshot.
// Rolls back on destruction unless committed; a read has nothing to commit anyway.
class ReadTransaction {
 public:
  static Result<ReadTransaction> begin(Connection& connection);
  ReadTransaction(ReadTransaction&& other) noexcept : connection_(other.connection_) {
    other.connection_ = nullptr;
  }
  ReadTransaction& operator=(ReadTransaction&&) = delete;
  ~ReadTransaction();

 private:
  explicit ReadTransaction(Connection* connection) : connection_(connection) {}
  Connection* connection_;
};

}  // namespace cv::meta::sqlite
