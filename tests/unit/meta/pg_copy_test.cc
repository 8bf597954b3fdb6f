// copy_sqlite_to_postgres (`cloudvault admin migrate --to`): a SQLite store written through the
// MetaStore API, copied into a real PostgreSQL, read back through the PostgreSQL store.
#include "meta/postgres/copy_from_sqlite.h"

#include <gtest/gtest.h>

#include "meta/postgres/postgres_meta_store.h"
#include "meta/sqlite/sqlite_meta_store.h"
#include "meta_store_conformance.h"
#include "postgres_test_server.h"

namespace cv::meta::postgres {
namespace {

using conformance::kOwner;
using conformance::make_blob_object;
using conformance::make_object;

testing::PostgresTestServer& server() {
  static testing::PostgresTestServer instance;
  return instance;
}

Event put_event(std::string key) {
  Event event;
  event.time_ns = 10;
  event.name = "ObjectCreated:Put";
  event.bucket = "b";
  event.key = std::move(key);
  event.version_id = "null";
  event.etag = "0123456789abcdef0123456789abcdef";
  event.principal_id = kOwner;
  return event;
}

class PgCopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = open_sqlite_meta_store(SqliteOptions{.path = path_});
    ASSERT_TRUE(store) << store.error().message;
    MetaStore& sqlite = **store;
    ASSERT_TRUE(sqlite.put_user(User{.id = kOwner, .name = "alice", .created_ns = 5}));
    ASSERT_TRUE(sqlite.create_bucket(Bucket{.name = "b", .owner_id = kOwner, .region = "us-east-1"}));
    ASSERT_TRUE(sqlite.put_object(make_object("b", "plain", "inline body"), put_event("plain")));
    ASSERT_TRUE(sqlite.put_object(make_blob_object("b", "big", {"blob-1", "blob-2"}), put_event("big")));
    for (int i = 0; i < 1500; ++i) {
      ASSERT_TRUE(sqlite.put_object(make_object("b", "many/" + std::to_string(i), "x")));
    }
    ObjectVersion binary = make_object("b", std::string("bin\0\xff", 5), std::string("\0\x01\xfe", 3));
    ASSERT_TRUE(sqlite.put_object(binary));
  }

  conformance::ScopedTempDir dir_;
  std::filesystem::path path_ = dir_.path() / "meta.db";
};

TEST_F(PgCopyTest, CopiesEveryTableAndVerifiesIt) {
  const std::string conninfo = server().create_database();
  std::vector<std::pair<uint64_t, uint64_t>> told;
  auto report = copy_sqlite_to_postgres(path_, conninfo, [&](uint64_t done, uint64_t total) {
    told.emplace_back(done, total);
  });
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_GE(report->tables.size(), 30u);
  EXPECT_GT(report->rows, 1504u);
  ASSERT_FALSE(told.empty());
  EXPECT_EQ(told.back().first, told.back().second);  // the last report is the whole
  auto objects = std::find_if(report->tables.begin(), report->tables.end(),
                              [](const CopiedTable& table) { return table.name == "objects"; });
  ASSERT_NE(objects, report->tables.end());
  EXPECT_EQ(objects->rows, 1503u);
  EXPECT_EQ(objects->sha256_hex.size(), 64u);
  // Parents come before the tables that name them.
  auto position = [&](const char* name) {
    return std::find_if(report->tables.begin(), report->tables.end(),
                        [&](const CopiedTable& table) { return table.name == name; }) -
           report->tables.begin();
  };
  EXPECT_LT(position("buckets"), position("objects"));

  auto store = open_postgres_meta_store(PostgresOptions{.conninfo = conninfo});
  ASSERT_TRUE(store) << store.error().message;
  MetaStore& postgres = **store;
  auto plain = postgres.get_object("b", "plain", "");
  ASSERT_TRUE(plain && *plain);
  EXPECT_EQ((*plain)->inline_data, "inline body");
  auto binary = postgres.get_object("b", std::string("bin\0\xff", 5), "");
  ASSERT_TRUE(binary && *binary);
  EXPECT_EQ((*binary)->inline_data, std::string("\0\x01\xfe", 3));
  auto big = postgres.get_object("b", "big", "");
  ASSERT_TRUE(big && *big);
  ASSERT_EQ((*big)->blobs.size(), 2u);
  EXPECT_EQ((*big)->blobs[1].blob_id, "blob-2");
  auto users = postgres.list_users();
  ASSERT_TRUE(users);
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ((*users)[0].name, "alice");
  auto events = postgres.list_events(0, 100);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  // Identity sequences moved past the copied rows: new rows get new ids.
  ASSERT_TRUE(postgres.put_object(make_object("b", "after", "new"), put_event("after")));
  events = postgres.list_events(0, 100);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 3u);
  EXPECT_GT((*events)[2].seq, (*events)[1].seq);
  auto usage = postgres.bucket_usage("b");
  ASSERT_TRUE(usage) << usage.error().message;
  EXPECT_EQ(usage->objects, 1504u);  // the 1,503 copied, then the trigger's +1
}

TEST_F(PgCopyTest, RefusesADatabaseThatHoldsRows) {
  const std::string conninfo = server().create_database();
  ASSERT_TRUE(copy_sqlite_to_postgres(path_, conninfo));
  auto again = copy_sqlite_to_postgres(path_, conninfo);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_NE(again.error().message.find("not empty"), std::string::npos);
}

TEST_F(PgCopyTest, NamesAMissingSourceOrAnUnreachableTarget) {
  auto missing = copy_sqlite_to_postgres(dir_.path() / "nowhere.db", server().create_database());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
  auto unreachable =
      copy_sqlite_to_postgres(path_, "postgres://cv@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(unreachable);
  EXPECT_NE(unreachable.error().message.find("migrate"), std::string::npos);
}

}  // namespace
}  // namespace cv::meta::postgres
