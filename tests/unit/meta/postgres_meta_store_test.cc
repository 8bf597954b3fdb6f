// The MetaStore conformance suite on PostgreSQL: a fresh database of a real server
// (postgres_test_server.h) per test.
#include "meta/postgres/postgres_meta_store.h"

#include <map>

#include "meta_store_conformance.h"
#include "postgres_test_server.h"

namespace cv::meta::conformance {
namespace {

testing::PostgresTestServer& server() {
  static testing::PostgresTestServer instance;
  return instance;
}

// The same folder (a test reopening its store) opens the same database.
std::unique_ptr<MetaStore> open_postgres(const std::filesystem::path& dir) {
  static std::map<std::filesystem::path, std::string> databases;
  auto [found, made] = databases.try_emplace(dir);
  if (made) found->second = server().create_database();
  auto store =
      open_postgres_meta_store(PostgresOptions{.conninfo = found->second, .connections = 8});
  EXPECT_TRUE(store) << (store ? "" : store.error().message);
  return store ? std::move(*store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(Postgres, MetaStoreConformance,
                         ::testing::Values(MetaStoreImplementation{"Postgres", open_postgres}),
                         conformance_test_name);

}  // namespace
}  // namespace cv::meta::conformance
