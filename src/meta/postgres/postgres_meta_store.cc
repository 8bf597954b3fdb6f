#include "meta/postgres/postgres_meta_store.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>

#include "meta/postgres/pg_migrations.h"
#include "meta/postgres/pg_pool.h"
#include "meta/postgres/pg_schema.h"
#include "meta/sql/sql_meta_store.h"

namespace cv::meta {
namespace {

using postgres::PgConnection;
using postgres::PgPool;

class PostgresMetaStore final : public SqlMetaStore {
 public:
  PostgresMetaStore(std::unique_ptr<PgPool> pool, int max_attempts)
      : pool_(std::move(pool)), max_attempts_(std::max(max_attempts, 1)) {}

 protected:
  Status run_write(Work change, bool /*frees_space*/) override {
    return run<pqxx::transaction<pqxx::isolation_level::serializable>>(change, "a change");
  }
  // One statement, one snapshot, as SQLite's readers: no BEGIN and COMMIT round trips. The
  // reads that need one snapshot over several statements take it (ReadTransaction).
  Status run_read(Work query) override { return run<pqxx::nontransaction>(query, "a query"); }

 private:
  template <class Transaction>
  Status run(Work work, std::string_view what) {
    bool reconnected = false;
    Error last{ErrorCode::kServiceUnavailable, "metadata store: no attempt was made", {}};
    for (int attempt = 1; attempt <= max_attempts_; ++attempt) {
      auto lease = pool_->acquire();
      if (!lease) return std::unexpected(lease.error());
      PgConnection& db = lease->sql();
      try {
        Transaction transaction(**lease);
        db.in(&transaction);
        Status outcome = work(db);
        const bool again = db.must_retry();
        db.in(nullptr);
        if (again) {
          last = outcome ? last : outcome.error();
          back_off(attempt);
          continue;
        }
        if (!outcome) {
          trace(what, outcome.error());
          return outcome;
        }
        transaction.commit();
        return {};
      } catch (const pqxx::broken_connection& error) {
        db.in(nullptr);
        // The lease drops the closed connection; one fresh try (the first may have committed:
        // a change whose commit's answer was lost is not repeated blindly twice).
        if (reconnected) return std::unexpected(postgres::pg_error(error, what));
        reconnected = true;
        last = postgres::pg_error(error, what);
      } catch (const std::exception& error) {
        db.in(nullptr);
        db.note_failure(error);
        last = postgres::pg_error(error, what);
        if (!db.must_retry()) return std::unexpected(last);
        back_off(attempt);
      }
    }
    trace(what, last);
    return std::unexpected(last);
  }

  // Transactions that collided wait a little, randomly, before they run again, so they do
  // not collide again in lockstep: up to 1 ms after the first, doubling to 64 ms.
  static void back_off(int attempt) {
    thread_local std::minstd_rand random{std::random_device{}()};
    const int64_t cap_us = int64_t{1000} << std::min(attempt - 1, 6);
    std::this_thread::sleep_for(std::chrono::microseconds(random() % cap_us));
  }

  // $CV_PG_TRACE set: every failed call is printed on stderr (diagnosing the shared SQL).
  void trace(std::string_view what, const Error& error) const {
    if (trace_) std::fprintf(stderr, "postgres store: %.*s failed: %s\n",
                             static_cast<int>(what.size()), what.data(), error.message.c_str());
  }

  std::unique_ptr<PgPool> pool_;
  int max_attempts_;
  const bool trace_ = std::getenv("CV_PG_TRACE") != nullptr;
};

}  // namespace

Result<std::unique_ptr<MetaStore>> open_postgres_meta_store(const PostgresOptions& options) {
  auto pool = std::make_unique<PgPool>(options.conninfo, options.connections);
  {
    auto lease = CV_TRY(pool->acquire());
    postgres::PgMigrationStepCallback after_step;
    if (options.on_migration) {
      after_step = [&options](int from_version, int to_version, size_t applied, size_t pending) {
        options.on_migration(MigrationProgress{from_version, to_version, applied, pending});
      };
    }
    CV_TRY(postgres::pg_migrate(*lease, postgres::postgres_migrations(), after_step));
  }
  return std::unique_ptr<MetaStore>(
      std::make_unique<PostgresMetaStore>(std::move(pool), options.max_attempts));
}

}  // namespace cv::meta
