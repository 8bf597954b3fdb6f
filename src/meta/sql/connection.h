// One database connection as the metadata store's SQL sees it, whatever the engine: prepared
// statements with parameters bound by index and columns read by index. The statements in
// meta/sqlite/*_ops.cc are written once against this, in the SQL that SQLite and PostgreSQL
// share (ON CONFLICT, RETURNING, `?` parameters), so both engines run the same text.
//
// Engines implement StatementBackend (one compiled statement) and Connection::compile; the
// cache of compiled statements, and the scoped Statement that borrows one, are shared.
// A Connection is used by one thread at a time. A Statement is a scoped use of a cached
// backend that resets it (bindings and rows) when it goes out of scope.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/error.h"

namespace cv::meta::sql {

// One compiled statement of one connection. Indexes: parameters 1-based, columns 0-based.
class StatementBackend {
 public:
  virtual ~StatementBackend() = default;
  // Bound text and blob bytes must stay valid until the statement steps or is reset.
  virtual void bind_int(int index, int64_t value) = 0;
  virtual void bind_double(int index, double value) = 0;
  virtual void bind_text(int index, std::string_view value) = 0;
  // Bytes compared as bytes (keys); empty is a zero-length value, not NULL.
  virtual void bind_blob(int index, std::string_view value) = 0;
  virtual void bind_null(int index) = 0;
  // Advances: true when a row is available, false when done.
  virtual Result<bool> step() = 0;
  // Back to the start with the same bindings.
  virtual void rewind() = 0;
  // Back to the start with no bindings, ready for the next use.
  virtual void reset() = 0;
  virtual int64_t column_int(int index) const = 0;
  virtual double column_double(int index) const = 0;
  virtual bool column_is_null(int index) const = 0;
  // Text or blob bytes of a column; valid until the next step, rewind or reset.
  virtual std::string_view column_bytes(int index) const = 0;
  // Rows the last completed INSERT, UPDATE or DELETE changed.
  virtual int changes() const = 0;
};

// A prepared statement in use: bind, step, read columns. On destruction the statement is
// reset, ready for reuse.
class Statement {
 public:
  Statement(StatementBackend* backend, std::unique_ptr<StatementBackend> owned, bool* in_use)
      : backend_(backend), owned_(std::move(owned)), in_use_(in_use) {}
  Statement(Statement&& other) noexcept
      : backend_(std::exchange(other.backend_, nullptr)),
        owned_(std::move(other.owned_)),
        in_use_(std::exchange(other.in_use_, nullptr)) {}
  Statement& operator=(Statement&&) = delete;
  ~Statement() {
    if (!backend_) return;
    backend_->reset();
    if (in_use_) *in_use_ = false;
  }

  Statement& bind_int(int index, int64_t value) { return backend_->bind_int(index, value), *this; }
  Statement& bind_double(int index, double value) {
    return backend_->bind_double(index, value), *this;
  }
  Statement& bind_text(int index, std::string_view value) {
    return backend_->bind_text(index, value), *this;
  }
  Statement& bind_blob(int index, std::string_view value) {
    return backend_->bind_blob(index, value), *this;
  }
  // Binds NULL when `value` is empty, else text.
  Statement& bind_text_or_null(int index, std::string_view value) {
    return value.empty() ? bind_null(index) : bind_text(index, value);
  }
  Statement& bind_null(int index) { return backend_->bind_null(index), *this; }

  Result<bool> step() { return backend_->step(); }
  // Runs to completion, ignoring rows.
  Status run();
  void rewind() { backend_->rewind(); }

  int64_t column_int(int index) const { return backend_->column_int(index); }
  double column_double(int index) const { return backend_->column_double(index); }
  bool column_is_null(int index) const { return backend_->column_is_null(index); }
  std::string_view column_bytes(int index) const { return backend_->column_bytes(index); }
  std::string column_string(int index) const { return std::string(column_bytes(index)); }
  int changes() const { return backend_->changes(); }

 private:
  StatementBackend* backend_;
  std::unique_ptr<StatementBackend> owned_;  // set when the cached one was busy
  bool* in_use_;                             // the cache's busy flag, or nullptr
};

class Connection {
 public:
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  virtual ~Connection() = default;

  // The cached statement for `sql` (compiled on first use). Nested use of the same text gets
  // a private copy.
  Result<Statement> prepare(std::string_view sql);
  // Prepares (cached) and runs one statement, ignoring rows: transaction control.
  Status execute(std::string_view sql);
  // Runs a script of statements, ignoring rows; not cached (DDL, settings).
  virtual Status execute_script(const char* sql) = 0;
  // A snapshot for the reads that follow, until end_snapshot (ReadTransaction). SQLite: BEGIN
  // and COMMIT. An engine whose every use already runs in one transaction does nothing.
  virtual Status begin_snapshot() { return execute("BEGIN"); }
  virtual void end_snapshot() { (void)execute("COMMIT"); }

 protected:
  // `cached`: the statement will be kept and reused (engines may compile it more thoroughly).
  virtual Result<std::unique_ptr<StatementBackend>> compile(std::string_view sql, bool cached) = 0;

 private:
  struct Cached {
    std::unique_ptr<StatementBackend> backend;
    bool in_use = false;
  };
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::unordered_map<std::string, Cached, TextHash, std::equal_to<>> cache_;
};

// BEGIN ... COMMIT on a connection so a multi-statement read sees one snapshot. Rolls back on
// destruction unless committed; a read has nothing to commit anyway.
class ReadTransaction {
 public:
  static Result<ReadTransaction> begin(Connection& connection);
  ReadTransaction(ReadTransaction&& other) noexcept
      : connection_(std::exchange(other.connection_, nullptr)) {}
  ReadTransaction& operator=(ReadTransaction&&) = delete;
  ~ReadTransaction();

 private:
  explicit ReadTransaction(Connection* connection) : connection_(connection) {}
  Connection* connection_;
};

}  // namespace cv::meta::sql
