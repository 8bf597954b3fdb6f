// The PostgreSQL engine of meta::sql::Connection running the store's own SQL (meta/sqlite/
// *_ops.cc, written once for both engines) against a real PostgreSQL with the shipped schema.
#include "meta/postgres/pg_connection.h"

#include <gtest/gtest.h>

#include "meta/postgres/pg_migrations.h"
#include "meta/postgres/pg_schema.h"
#include "meta/sqlite/bucket_ops.h"
#include "meta/sqlite/object_ops.h"
#include "postgres_test_server.h"

namespace cv::meta::postgres {
namespace {

testing::PostgresTestServer& server() {
  static testing::PostgresTestServer instance;
  return instance;
}

class PgConnectionTest : public ::testing::Test {
 protected:
  PgConnectionTest()
      : conninfo_(server().create_database()), connection_(conninfo_), sql_(connection_) {
    EXPECT_TRUE(pg_migrate(connection_, postgres_migrations()));
  }

  // Runs `body` in one committed transaction, as the store runs a call.
  template <class Body>
  auto in_transaction(Body&& body) {
    pqxx::work work(connection_);
    sql_.in(&work);
    auto result = body(sql_);
    if (result) work.commit();
    sql_.in(nullptr);
    return result;
  }

  std::string conninfo_;
  pqxx::connection connection_;
  PgConnection sql_;
};

ObjectVersion object(std::string key, std::string body) {
  ObjectVersion version;
  version.bucket = "photos";
  version.key = std::move(key);
  version.size = body.size();
  version.etag = "0123456789abcdef0123456789abcdef";
  version.mtime_ns = 1'700'000'000'000'000'000;
  version.owner_id = std::string(64, 'a');
  version.content_type = "text/plain";
  version.inline_data = std::move(body);
  return version;
}

TEST_F(PgConnectionTest, BindsAndReadsEveryKindOfValue) {
  auto read = in_transaction([](sql::Connection& db) -> Result<std::string> {
    auto stmt = CV_TRY(db.prepare(
        "SELECT ?1::bigint, ?2::double precision, ?3::text, ?4::bytea, ?5::text IS NULL, "
        "?3::text = ?3::text"));
    stmt.bind_int(1, -9'000'000'000'000)
        .bind_double(2, 2.5)
        .bind_text(3, "sn\xc3\xb8")
        .bind_blob(4, std::string("a\0b\xff", 4))
        .bind_null(5);
    if (!CV_TRY(stmt.step())) return fail(ErrorCode::kInternalError, "no row");
    EXPECT_EQ(stmt.column_int(0), -9'000'000'000'000);
    EXPECT_EQ(stmt.column_double(1), 2.5);
    EXPECT_EQ(stmt.column_string(2), "sn\xc3\xb8");
    EXPECT_EQ(stmt.column_string(3), std::string("a\0b\xff", 4));
    EXPECT_EQ(stmt.column_int(4), 1);  // booleans read as SQLite's 0/1
    EXPECT_EQ(stmt.column_int(5), 1);
    EXPECT_FALSE(CV_TRY(stmt.step()));
    return std::string("ok");
  });
  ASSERT_TRUE(read) << read.error().message;
}

TEST_F(PgConnectionTest, TheSqliteStoresBucketAndObjectSqlRunsUnchanged) {
  ASSERT_TRUE(in_transaction([](sql::Connection& db) {
    return sqlite::insert_bucket(
        db, Bucket{.name = "photos", .owner_id = std::string(64, 'a'), .region = "us-east-1",
                   .created_ns = 1});
  }));
  auto again = in_transaction([](sql::Connection& db) {
    return sqlite::insert_bucket(db, Bucket{.name = "photos", .owner_id = std::string(64, 'a')});
  });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kBucketAlreadyOwnedByYou);

  for (const char* key : {"b", "a/1", "a/2", "c\xff"}) {
    auto written = in_transaction([&](sql::Connection& db) {
      return sqlite::write_object(db, object(key, std::string("body of ") + key));
    });
    ASSERT_TRUE(written) << key << ": " << written.error().message;
  }
  auto found = in_transaction([](sql::Connection& db) {
    return sqlite::read_object(db, "photos", "a/2", "");
  });
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->inline_data, "body of a/2");

  auto page = in_transaction([](sql::Connection& db) {
    return sqlite::read_object_page(db, ListObjectsQuery{.bucket = "photos", .delimiter = "/"});
  });
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->objects.size(), 2u);
  EXPECT_EQ(page->objects[0].key, "b");
  EXPECT_EQ(page->objects[1].key, "c\xff");  // byte order: 0xff after every ASCII key
  EXPECT_EQ(page->common_prefixes, std::vector<std::string>{"a/"});
}

TEST_F(PgConnectionTest, ASerializationFailureAsksForARetry) {
  pqxx::connection other(conninfo_);
  {
    pqxx::work setup(connection_);
    setup.exec("CREATE TABLE counter (n BIGINT NOT NULL); INSERT INTO counter VALUES (0)");
    setup.commit();
  }
  pqxx::transaction<pqxx::isolation_level::serializable> mine(connection_);
  sql_.in(&mine);
  auto read = sql_.prepare("SELECT n FROM counter");
  ASSERT_TRUE(read && *read->step());
  read->rewind();
  {
    pqxx::work theirs(other);
    theirs.exec("UPDATE counter SET n = n + 1");
    theirs.commit();
  }
  auto write = sql_.prepare("UPDATE counter SET n = ?1");
  ASSERT_TRUE(write);
  write->bind_int(1, 10);
  auto outcome = write->run();
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, ErrorCode::kServiceUnavailable);
  EXPECT_TRUE(sql_.must_retry());
  sql_.in(nullptr);
  EXPECT_FALSE(sql_.must_retry());
}

}  // namespace
}  // namespace cv::meta::postgres
