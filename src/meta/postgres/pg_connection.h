// The PostgreSQL engine of meta::sql::Connection, over libpqxx: the metadata store's SQL
// (written once, with SQLite's `?` parameters) runs here as prepared statements.
//
// A PgConnection borrows a pqxx::connection (a PgPool lease) and runs every statement in the
// transaction given to it with in(): the PostgreSQL store gives a SERIALIZABLE transaction to
// a change, and a nontransaction (each statement its own snapshot) to a query, whose
// multi-statement reads take a snapshot with begin_snapshot(). Parameters go as text: blobs in bytea's hex form
// ("\x..."), which PostgreSQL reads into the bytea column they are compared with or stored
// in; a bytea column comes back decoded. A statement runs at its first step(), and its rows
// are then read from the result. Used by one thread at a time; one PgConnection per
// pqxx::connection (its prepared statements' names are per connection).
#pragma once

#include <pqxx/pqxx>

#include "meta/sql/connection.h"

namespace cv::meta::postgres {

class PgConnection final : public sql::Connection {
 public:
  explicit PgConnection(pqxx::connection& connection) : connection_(connection) {}

  // Runs statements in `transaction` (not owned) until the next in(); nullptr: none (every
  // statement then fails).
  void in(pqxx::transaction_base* transaction) {
    transaction_ = transaction;
    must_retry_ = false;
    snapshot_ = false;
  }
  pqxx::transaction_base* transaction() const { return transaction_; }

  Status execute_script(const char* sql) override;
  // Whether a statement since the last in() failed because PostgreSQL aborted the transaction
  // to keep it serializable (SQLSTATE 40001) or to break a deadlock (40P01): the whole call
  // may then be run again in a new transaction.
  bool must_retry() const { return must_retry_; }
  void note_failure(const std::exception& error);
  // Within a real transaction (changes) a snapshot is already there: nothing to do. Within a
  // nontransaction (queries run one statement each, as SQLite's readers do), a read-only
  // REPEATABLE READ transaction until end_snapshot, like SQLite's BEGIN ... COMMIT.
  Status begin_snapshot() override;
  void end_snapshot() override;

 protected:
  Result<std::unique_ptr<sql::StatementBackend>> compile(std::string_view sql,
                                                         bool cached) override;

 private:
  pqxx::connection& connection_;
  pqxx::transaction_base* transaction_ = nullptr;
  int next_name_ = 0;
  bool must_retry_ = false;
  bool snapshot_ = false;  // begin_snapshot() opened a transaction in a nontransaction
};

// An Error for a failed PostgreSQL call: kServiceUnavailable when the connection is lost or
// the transaction was aborted to be retried (40001, 40P01), else kInternalError; with the
// server's message.
Error pg_error(const std::exception& error, std::string_view context);

}  // namespace cv::meta::postgres
