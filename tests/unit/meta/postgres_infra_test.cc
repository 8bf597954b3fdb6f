// The PostgreSQL store's plumbing against a real PostgreSQL (postgres_test_server.h): the
// connection pool, the schema migration runner, and the shipped schema itself.
#include <gtest/gtest.h>

#include <thread>

#include "meta/postgres/pg_migrations.h"
#include "meta/postgres/pg_pool.h"
#include "meta/postgres/pg_schema.h"
#include "postgres_test_server.h"

namespace cv::meta::postgres {
namespace {

testing::PostgresTestServer& server() {
  static testing::PostgresTestServer instance;
  return instance;
}

TEST(PgPool, ReusesConnectionsAndWaitsAtTheBound) {
  PgPool pool(server().create_database(), 2);
  int backend = 0;
  {
    auto lease = pool.acquire();
    ASSERT_TRUE(lease) << lease.error().message;
    pqxx::nontransaction txn(**lease);
    backend = txn.exec("SELECT pg_backend_pid()")[0][0].as<int>();
  }
  {
    auto again = pool.acquire();
    ASSERT_TRUE(again);
    pqxx::nontransaction txn(**again);
    EXPECT_EQ(txn.exec("SELECT pg_backend_pid()")[0][0].as<int>(), backend);  // the same one
  }
  auto first = pool.acquire();
  auto second = pool.acquire();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(pool.open_connections(), 2u);
  auto third = pool.acquire(std::chrono::milliseconds(50));
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, ErrorCode::kServiceUnavailable);
  // A waiter gets the connection a lease gives back.
  std::thread giver([lease = std::move(*first)]() mutable { PgPool::Lease done(std::move(lease)); });
  giver.join();
  EXPECT_EQ(pool.open_connections(), 2u);  // moved-from leases give nothing back
  auto waited = pool.acquire(std::chrono::seconds(10));
  EXPECT_TRUE(waited);
}

TEST(PgPool, RunsItsSetupOnEveryNewConnection) {
  int setups = 0;
  PgPool pool(server().create_database(), 2, [&](pqxx::connection& connection) {
    ++setups;
    connection.prepare("answer", "SELECT 42");
  });
  auto lease = pool.acquire();
  ASSERT_TRUE(lease);
  pqxx::nontransaction txn(**lease);
  EXPECT_EQ(txn.exec_prepared("answer")[0][0].as<int>(), 42);
  EXPECT_EQ(setups, 1);
}

TEST(PgPool, ADroppedConnectionIsReplaced) {
  const std::string conninfo = server().create_database();
  PgPool pool(conninfo, 1);
  int killed = 0;
  {
    auto lease = pool.acquire();
    ASSERT_TRUE(lease);
    pqxx::nontransaction txn(**lease);
    killed = txn.exec("SELECT pg_backend_pid()")[0][0].as<int>();
  }
  {
    pqxx::connection admin(conninfo);
    pqxx::nontransaction txn(admin);
    txn.exec_params("SELECT pg_terminate_backend($1)", killed);
  }
  {
    auto lease = pool.acquire();
    ASSERT_TRUE(lease);
    EXPECT_THROW(
        {
          pqxx::nontransaction txn(**lease);
          txn.exec("SELECT 1");
        },
        pqxx::broken_connection);
  }
  auto fresh = pool.acquire();
  ASSERT_TRUE(fresh) << fresh.error().message;
  pqxx::nontransaction txn(**fresh);
  EXPECT_NE(txn.exec("SELECT pg_backend_pid()")[0][0].as<int>(), killed);
  EXPECT_EQ(pool.open_connections(), 1u);
}

TEST(PgPool, AnUnreachableServerIsServiceUnavailableWithoutThePassword) {
  PgPool pool("postgres://cv:s3cret@127.0.0.1:1/none?connect_timeout=2", 1);
  auto lease = pool.acquire();
  ASSERT_FALSE(lease);
  EXPECT_EQ(lease.error().code, ErrorCode::kServiceUnavailable);
  EXPECT_EQ(lease.error().message.find("s3cret"), std::string::npos) << lease.error().message;
  EXPECT_NE(lease.error().message.find("postgres://cv:***@127.0.0.1:1"), std::string::npos)
      << lease.error().message;
  EXPECT_EQ(redact_conninfo("host=/run dbname=cv password='a b' user=x"),
            "host=/run dbname=cv password=*** user=x");
}

const PgMigration kSteps[] = {
    {1, "CREATE TABLE things (id BIGINT PRIMARY KEY, name TEXT COLLATE \"C\" NOT NULL)"},
    {2, "ALTER TABLE things ADD COLUMN size BIGINT NOT NULL DEFAULT 0"},
    {3, "CREATE INDEX things_by_name ON things (name)"},
};

TEST(PgMigrate, AppliesStepsOnceAndInOrder) {
  pqxx::connection connection(server().create_database());
  EXPECT_EQ(*pg_schema_version(connection), 0);
  ASSERT_TRUE(pg_migrate(connection, std::span(kSteps).first(2)));
  EXPECT_EQ(*pg_schema_version(connection), 2);
  std::vector<std::pair<int, int>> told;
  ASSERT_TRUE(pg_migrate(connection, kSteps, [&](int from, int to, size_t applied, size_t) {
    told.emplace_back(from, to);
    EXPECT_EQ(applied, 1u);
  }));
  EXPECT_EQ(*pg_schema_version(connection), 3);
  EXPECT_EQ(told, (std::vector<std::pair<int, int>>{{2, 3}}));
  ASSERT_TRUE(pg_migrate(connection, kSteps));  // nothing left to do
  pqxx::nontransaction txn(connection);
  EXPECT_EQ(txn.exec("SELECT count(*) FROM cloudvault_schema")[0][0].as<int>(), 3);
}

TEST(PgMigrate, RefusesANewerDatabaseAndRollsBackAFailedStep) {
  pqxx::connection connection(server().create_database());
  ASSERT_TRUE(pg_migrate(connection, kSteps));
  auto newer = pg_migrate(connection, std::span(kSteps).first(2));
  ASSERT_FALSE(newer);
  EXPECT_NE(newer.error().message.find("schema version 3 is newer than this program's 2"),
            std::string::npos);

  pqxx::connection other(server().create_database());
  const PgMigration broken[] = {kSteps[0], {2, "ALTER TABLE nowhere ADD COLUMN x BIGINT"}};
  auto failed = pg_migrate(other, broken);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("schema step 2 failed"), std::string::npos);
  EXPECT_EQ(*pg_schema_version(other), 0);  // step 1 was rolled back with it
  pqxx::nontransaction txn(other);
  EXPECT_TRUE(txn.exec("SELECT to_regclass('things') IS NULL")[0][0].as<bool>());
}

TEST(PgMigrate, ServersStartingTogetherApplyEachStepOnce) {
  const std::string conninfo = server().create_database();
  std::vector<std::thread> servers;
  std::atomic<int> succeeded{0};
  for (int i = 0; i < 4; ++i) {
    servers.emplace_back([&] {
      pqxx::connection connection(conninfo);
      if (pg_migrate(connection, kSteps)) ++succeeded;
    });
  }
  for (auto& thread : servers) thread.join();
  EXPECT_EQ(succeeded.load(), 4);
  pqxx::connection connection(conninfo);
  pqxx::nontransaction txn(connection);
  EXPECT_EQ(txn.exec("SELECT count(*) FROM cloudvault_schema")[0][0].as<int>(), 3);
}

TEST(PgSchema, TheShippedStepsApplyToAnEmptyDatabase) {
  pqxx::connection connection(server().create_database());
  ASSERT_TRUE(pg_migrate(connection, postgres_migrations()));
  EXPECT_EQ(*pg_schema_version(connection), static_cast<int>(postgres_migrations().size()));
  pqxx::nontransaction txn(connection);
  // Keys sort as bytes (S3's order), not by a locale's rules: keys are bytea, ordered names
  // text in the "C" collation.
  auto column = [&](const char* table, const char* name, const char* what) {
    const pqxx::result row = txn.exec_params(
        std::string("SELECT coalesce(") + what +
            ", '') FROM information_schema.columns WHERE table_name = $1 AND column_name = $2",
        table, name);
    return row.empty() ? std::string("<no such column>") : row[0][0].as<std::string>();
  };
  EXPECT_EQ(column("objects", "key", "data_type"), "bytea");
  EXPECT_EQ(column("buckets", "name", "collation_name"), "C");
  EXPECT_EQ(column("objects", "version_id", "collation_name"), "C");
}

}  // namespace
}  // namespace cv::meta::postgres
