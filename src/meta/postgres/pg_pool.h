// A bounded pool of PostgreSQL connections (libpqxx) for the PostgreSQL metadata store.
//
// acquire() hands out an idle connection, opens a new one while fewer than max_connections
// exist, and otherwise waits for one to come back. A lease returns its connection when it is
// destroyed; a connection that broke (pqxx::broken_connection, or !is_open()) is dropped then
// instead, so the next acquire() opens a fresh one: a PostgreSQL restart costs the requests in
// flight, not the pool. Thread-safe; the pool must outlive its leases.
#pragma once

#include <pqxx/pqxx>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/error.h"
#include "meta/postgres/pg_connection.h"

namespace cv::meta::postgres {

class PgPool {
 public:
  class Lease {
   public:
    struct Session {
      explicit Session(const std::string& conninfo) : connection(conninfo), sql(connection) {}
      pqxx::connection connection;
      PgConnection sql;
    };
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    pqxx::connection& operator*() const { return session_->connection; }
    pqxx::connection* operator->() const { return &session_->connection; }
    // The store's SQL engine on this connection (its prepared statements live as long as the
    // connection).
    PgConnection& sql() const { return session_->sql; }

   private:
    friend class PgPool;
    Lease(PgPool* pool, std::unique_ptr<Session> session)
        : pool_(pool), session_(std::move(session)) {}
    PgPool* pool_;
    std::unique_ptr<Session> session_;
  };

  // `conninfo`: a libpq connection string or URI ("postgres://user@host/db", "host=/run/x
  // dbname=cv"). `on_connect` (optional) runs on every new connection (prepared statements,
  // session settings) before it is first leased.
  PgPool(std::string conninfo, size_t max_connections,
         std::function<void(pqxx::connection&)> on_connect = {});
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  // kServiceUnavailable when no connection can be opened (its libpq message, without the
  // password), or none came back within `wait`.
  Result<Lease> acquire(std::chrono::milliseconds wait = std::chrono::seconds(30));

  size_t open_connections();

 private:
  void give_back(std::unique_ptr<Lease::Session> session);

  std::string conninfo_;
  size_t max_connections_;
  std::function<void(pqxx::connection&)> on_connect_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Lease::Session>> idle_;
  size_t open_ = 0;  // idle plus leased plus being opened
};

// `conninfo` with any password replaced by "***", for messages and logs.
std::string redact_conninfo(std::string_view conninfo);

}  // namespace cv::meta::postgres
