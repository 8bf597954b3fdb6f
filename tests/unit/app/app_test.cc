#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "app/change_file.h"
#include "app/config.h"
#include "app/wiring.h"
#include "app/data_dir.h"
#include "app/front_door.h"

namespace cv::app {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("cv-app-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(Config, DefaultsWithoutFile) {
  const Config config = load_config(std::nullopt).value();
  EXPECT_EQ(config.listen_address, "127.0.0.1");
  EXPECT_EQ(config.listen_port, 9000);
  EXPECT_EQ(config.data_dir, "./data");
  EXPECT_EQ(config.region, "us-east-1");
}

TEST(Config, FileOverridesDefaults) {
  const fs::path dir = fresh_dir("config");
  std::ofstream(dir / "c.toml") << "[server]\nlisten = \"0.0.0.0:9100\"\nregion = \"eu-west-1\"\n"
                                   "domain = \"s3.example.test\"\n[storage]\ndata = \"/srv/cv\"\n"
                                   "inline_threshold = 4096\n";
  const Config config = load_config(dir / "c.toml").value();
  EXPECT_EQ(config.listen_address, "0.0.0.0");
  EXPECT_EQ(config.listen_port, 9100);
  EXPECT_EQ(config.region, "eu-west-1");
  EXPECT_EQ(config.domain, "s3.example.test");
  EXPECT_EQ(config.data_dir, "/srv/cv");
  EXPECT_EQ(config.inline_threshold, 4096u);
  fs::remove_all(dir);
}

TEST(Config, ConnectionDeadlinesAndPerAddressCap) {
  const Config defaults = load_config(std::nullopt).value();
  EXPECT_EQ(defaults.idle_timeout_seconds, 60);
  EXPECT_EQ(defaults.header_timeout_seconds, 10);
  EXPECT_EQ(defaults.read_timeout_seconds, 60);
  EXPECT_EQ(defaults.write_timeout_seconds, 60);
  EXPECT_EQ(defaults.max_connections_per_address, 256u);

  const fs::path dir = fresh_dir("deadlines");
  std::ofstream(dir / "c.toml")
      << "[server]\nidle_timeout_seconds = 5\nheader_timeout_seconds = 2\n"
         "read_timeout_seconds = 3\nwrite_timeout_seconds = 4\n"
         "max_connections_per_address = 0\n";
  const Config config = load_config(dir / "c.toml").value();
  EXPECT_EQ(config.idle_timeout_seconds, 5);
  EXPECT_EQ(config.header_timeout_seconds, 2);
  EXPECT_EQ(config.read_timeout_seconds, 3);
  EXPECT_EQ(config.write_timeout_seconds, 4);
  EXPECT_EQ(config.max_connections_per_address, 0u);

  std::ofstream(dir / "zero.toml") << "[server]\nheader_timeout_seconds = 0\n";
  auto zero = load_config(dir / "zero.toml");
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().message.find("header_timeout_seconds"), std::string::npos);
  std::ofstream(dir / "negative.toml") << "[server]\nmax_connections_per_address = -1\n";
  EXPECT_FALSE(load_config(dir / "negative.toml"));
  fs::remove_all(dir);
}

TEST(Config, BadFilesAreRefusedWithTheirReason) {
  const fs::path dir = fresh_dir("badconfig");
  std::ofstream(dir / "broken.toml") << "[server\nlisten = ";
  auto broken = load_config(dir / "broken.toml");
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message.find("broken.toml"), std::string::npos);
  std::ofstream(dir / "range.toml") << "[server]\nworker_threads = 0\n";
  EXPECT_FALSE(load_config(dir / "range.toml"));
  EXPECT_FALSE(load_config(dir / "missing.toml"));
  fs::remove_all(dir);
}

TEST(Config, ObjectCacheSize) {
  const fs::path dir = fresh_dir("objectcache");
  EXPECT_EQ(load_config(std::nullopt)->object_cache_mib, 24u);
  std::ofstream(dir / "off.toml") << "[storage]\nobject_cache_mib = 0\n";
  EXPECT_EQ(load_config(dir / "off.toml")->object_cache_mib, 0u);
  std::ofstream(dir / "bad.toml") << "[storage]\nobject_cache_mib = -1\n";
  auto refused = load_config(dir / "bad.toml");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("storage.object_cache_mib"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Config, BlobStoreUrlAndKeys) {
  const fs::path dir = fresh_dir("blobstore");
  EXPECT_EQ(load_config(std::nullopt)->blob.url, "");
  std::ofstream(dir / "string.toml")
      << "[storage]\nblob = \"s3://bodies/site?endpoint=http://127.0.0.1:9000\"\n";
  auto string_form = load_config(dir / "string.toml");
  ASSERT_TRUE(string_form) << string_form.error().message;
  EXPECT_EQ(string_form->blob.url, "s3://bodies/site?endpoint=http://127.0.0.1:9000");
  EXPECT_EQ(string_form->blob.access_key, "");
  std::ofstream(dir / "table.toml") << "[storage.blob]\nurl = \"s3://bodies/p\"\n"
                                       "access_key = \"AK\"\nsecret_key = \"SK\"\n";
  auto table_form = load_config(dir / "table.toml");
  ASSERT_TRUE(table_form) << table_form.error().message;
  EXPECT_EQ(table_form->blob.url, "s3://bodies/p");
  EXPECT_EQ(table_form->blob.access_key, "AK");
  EXPECT_EQ(table_form->blob.secret_key, "SK");
  for (const auto& [text, mentioned] : std::vector<std::pair<std::string, std::string>>{
           {"[storage]\nblob = \"file:///x\"\n", "scheme must be s3://"},
           {"[storage]\nblob = 3\n", "storage.blob must be"},
           {"[storage.blob]\nurl = \"s3://bodies/p\"\naccess_key = \"AK\"\n",
            "access_key and secret_key"},
           {"[storage.blob]\nurl = \"s3://bodies/p\"\nregion = \"x\"\n",
            "storage.blob.region is unknown"},
           {"[storage.blob]\naccess_key = 1\nsecret_key = \"SK\"\n", "must be a string"}}) {
    std::ofstream(dir / "bad.toml") << text;
    auto refused = load_config(dir / "bad.toml");
    ASSERT_FALSE(refused) << text;
    EXPECT_NE(refused.error().message.find(mentioned), std::string::npos)
        << text << " -> " << refused.error().message;
  }
  fs::remove_all(dir);
}

TEST(Config, MetadataStoreUrl) {
  const fs::path dir = fresh_dir("metastore");
  EXPECT_EQ(load_config(std::nullopt)->meta_url, "");
  std::ofstream(dir / "pg.toml") << "[storage]\nmeta = \"postgres://cv@db.lan:5432/cv\"\n";
  auto postgres = load_config(dir / "pg.toml");
  ASSERT_TRUE(postgres) << postgres.error().message;
  EXPECT_EQ(postgres->meta_url, "postgres://cv@db.lan:5432/cv");
  EXPECT_EQ(store_options_from(*postgres).meta_url, "postgres://cv@db.lan:5432/cv");
  for (const char* text : {"[storage]\nmeta = \"mysql://x\"\n", "[storage]\nmeta = 5\n"}) {
    std::ofstream(dir / "bad.toml") << text;
    auto refused = load_config(dir / "bad.toml");
    ASSERT_FALSE(refused) << text;
    EXPECT_NE(refused.error().message.find("storage.meta must be a postgres:// URL"),
              std::string::npos);
  }
  fs::remove_all(dir);
}

TEST(Config, EventRetention) {
  const fs::path dir = fresh_dir("events");
  EXPECT_EQ(load_config(std::nullopt)->events_retention_seconds, 86400);
  std::ofstream(dir / "ok.toml") << "[events]\nretention_seconds = 3600\n";
  EXPECT_EQ(load_config(dir / "ok.toml")->events_retention_seconds, 3600);
  std::ofstream(dir / "short.toml") << "[events]\nretention_seconds = 5\n";
  auto refused = load_config(dir / "short.toml");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("events.retention_seconds"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Config, Trail) {
  const fs::path dir = fresh_dir("trail");
  const Config defaults = load_config(std::nullopt).value();
  EXPECT_TRUE(defaults.trail.enabled);
  EXPECT_EQ(defaults.trail.roll_seconds, 300);
  EXPECT_EQ(defaults.trail.roll_records, 10000);
  EXPECT_TRUE(defaults.trail.folder.empty());
  EXPECT_TRUE(defaults.trail.account_id.empty());
  std::ofstream(dir / "ok.toml") << "[trail]\nfolder = \"/srv/trail\"\nbucket = \"audit\"\n"
                                    "roll_seconds = 60\nroll_records = 50\n"
                                    "account_id = \"123456789012\"\nenabled = false\n";
  const Config config = load_config(dir / "ok.toml").value();
  EXPECT_EQ(config.trail.folder, "/srv/trail");
  EXPECT_EQ(config.trail.bucket, "audit");
  EXPECT_EQ(config.trail.roll_seconds, 60);
  EXPECT_EQ(config.trail.roll_records, 50);
  EXPECT_EQ(config.trail.account_id, "123456789012");
  EXPECT_FALSE(config.trail.enabled);
  std::ofstream(dir / "account.toml") << "[trail]\naccount_id = \"12345\"\n";
  EXPECT_FALSE(load_config(dir / "account.toml"));
  std::ofstream(dir / "roll.toml") << "[trail]\nroll_records = 0\n";
  EXPECT_FALSE(load_config(dir / "roll.toml"));
  fs::remove_all(dir);
}

TEST(Config, SignInThrottlePolicy) {
  EXPECT_EQ(load_config(std::nullopt)->sign_in_throttle.free_failures_per_key, 5u);
  const fs::path dir = fresh_dir("throttle");
  std::ofstream(dir / "t.toml") << "[console]\nsign_in_free_failures_per_key = 3\n"
                                   "sign_in_free_failures_per_address = 8\n"
                                   "sign_in_first_lockout_seconds = 600\n"
                                   "sign_in_max_lockout_seconds = 7200\n";
  const Config config = load_config(dir / "t.toml").value();
  EXPECT_EQ(config.sign_in_throttle.free_failures_per_key, 3u);
  EXPECT_EQ(config.sign_in_throttle.free_failures_per_address, 8u);
  EXPECT_EQ(config.sign_in_throttle.first_lockout, std::chrono::seconds(600));
  EXPECT_EQ(config.sign_in_throttle.max_lockout, std::chrono::seconds(7200));
  // A record outlives the longest lockout by an hour, so counting never restarts early.
  EXPECT_EQ(config.sign_in_throttle.forget_after, std::chrono::seconds(3 * 3600));
  std::ofstream(dir / "zero.toml") << "[console]\nsign_in_free_failures_per_key = 0\n";
  EXPECT_FALSE(load_config(dir / "zero.toml"));
  std::ofstream(dir / "order.toml") << "[console]\nsign_in_first_lockout_seconds = 60\n"
                                       "sign_in_max_lockout_seconds = 30\n";
  EXPECT_FALSE(load_config(dir / "order.toml"));
  fs::remove_all(dir);
}

TEST(Config, ListenAddresses) {
  Config config;
  ASSERT_TRUE(parse_listen("127.0.0.1:0", config));
  EXPECT_EQ(config.listen_port, 0);
  ASSERT_TRUE(parse_listen("[::1]:9000", config));
  EXPECT_EQ(config.listen_address, "::1");
  ASSERT_TRUE(parse_listen(":9001", config));
  EXPECT_EQ(config.listen_address, "0.0.0.0");
  EXPECT_FALSE(parse_listen("localhost", config));
  EXPECT_FALSE(parse_listen("127.0.0.1:70000", config));
  EXPECT_FALSE(parse_listen("127.0.0.1:port", config));
}

TEST(DataDir, MasterKeyIsPrivateAndStable) {
  const fs::path dir = fresh_dir("data");
  std::string first_key;
  {
    auto stores = open_stores(dir / "data");
    ASSERT_TRUE(stores) << stores.error().message;
    first_key = stores->master_key;
    EXPECT_EQ(first_key.size(), 32u);
  }
  struct stat info {};
  ASSERT_EQ(::stat((dir / "data" / "master.key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  ASSERT_EQ(::stat((dir / "data").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700);
  auto again = open_stores(dir / "data");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->master_key, first_key);
  ASSERT_TRUE(save_root_credentials(dir / "data", {"AK", "SECRET", "id"}));
  ASSERT_EQ(::stat((dir / "data" / "root.credentials").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  fs::remove_all(dir);
}

TEST(DataDir, TruncatedMasterKeyIsRefused) {
  const fs::path dir = fresh_dir("badkey");
  std::ofstream(dir / "master.key") << "short";
  EXPECT_FALSE(open_stores(dir));
  fs::remove_all(dir);
}

TEST(DataDir, RootCredentialsFromEnvironment) {
  ::unsetenv("CLOUDVAULT_ROOT_ACCESS_KEY");
  ::unsetenv("CLOUDVAULT_ROOT_SECRET_KEY");
  EXPECT_FALSE(root_credentials_from_env().value().has_value());
  ::setenv("CLOUDVAULT_ROOT_ACCESS_KEY", "AKTEST", 1);
  EXPECT_FALSE(root_credentials_from_env().has_value());  // only one of the two
  ::setenv("CLOUDVAULT_ROOT_SECRET_KEY", "secret-test", 1);
  const auto credentials = root_credentials_from_env().value();
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->access_key_id, "AKTEST");
  EXPECT_EQ(credentials->secret_key, "secret-test");
  ::unsetenv("CLOUDVAULT_ROOT_ACCESS_KEY");
  ::unsetenv("CLOUDVAULT_ROOT_SECRET_KEY");
}

class CountingHandler final : public RequestHandler {
 public:
  Response handle(Request&) override {
    ++calls;
    Response response;
    response.status = 403;
    return response;
  }
  int calls = 0;
};

TEST(FrontDoor, HealthIsAnsweredWithoutTheS3Api) {
  CountingHandler s3;
  CountingHandler console;
  CountingHandler assets;
  FrontDoor door(s3, console, assets);
  Request health;
  health.method = "GET";
  health.path = "/_cloudvault/health";
  const Response ok = door.handle(health);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, R"({"status":"ok"})");
  EXPECT_EQ(s3.calls, 0);
  Request other;
  other.method = "GET";
  other.path = "/bucket/_cloudvault/health";
  EXPECT_EQ(door.handle(other).status, 403);
  EXPECT_EQ(s3.calls, 1);
  EXPECT_EQ(console.calls, 0);
}

TEST(FrontDoor, ConsolePathsGoToTheConsoleAndTheRestToS3) {
  CountingHandler s3;
  CountingHandler console;
  CountingHandler assets;
  FrontDoor door(s3, console, assets);
  Request api;
  api.method = "GET";
  api.path = "/_console/api/session";
  door.handle(api);
  EXPECT_EQ(console.calls, 1);
  Request page;
  page.method = "GET";
  page.path = "/_console/buckets";
  door.handle(page);
  EXPECT_EQ(assets.calls, 1);
  Request object;
  object.method = "GET";
  object.path = "/bucket/_console/other";
  door.handle(object);
  EXPECT_EQ(s3.calls, 1);
  EXPECT_EQ(console.calls, 1);
  EXPECT_EQ(assets.calls, 1);
}

}  // namespace
}  // namespace cv::app

namespace cv::app {
namespace {

TEST(ChangeFile, EveryAnnouncementChangesTheGeneration) {
  const fs::path dir = fresh_dir("changes");
  ChangeFile writer(dir / "credentials.changed");
  ChangeFile reader(dir / "credentials.changed");
  EXPECT_EQ(reader.generation(), 0u);
  std::set<uint64_t> seen;
  for (int i = 0; i < 20; ++i) {
    writer.announce();
    const uint64_t generation = reader.generation();
    EXPECT_NE(generation, 0u);
    EXPECT_TRUE(seen.insert(generation).second);
    // Asked again without a change: the same value (from the file it keeps open).
    EXPECT_EQ(reader.generation(), generation);
  }
  // The reader's own announcements and a removed file are seen too.
  reader.announce();
  EXPECT_TRUE(seen.insert(reader.generation()).second);
  fs::remove(dir / "credentials.changed");
  EXPECT_EQ(reader.generation(), 0u);
  writer.announce();
  EXPECT_TRUE(seen.insert(reader.generation()).second);
  fs::remove_all(dir);
}

// With a look interval, another process's announcement waits for the next look (an hour
// here, so the test does not depend on timing), while this object's own announcements are
// seen at once.
TEST(ChangeFile, ALookIntervalDefersOthersChangesButNotItsOwn) {
  const fs::path dir = fresh_dir("changes-interval");
  ChangeFile other(dir / "credentials.changed");
  other.announce();
  ChangeFile server(dir / "credentials.changed", std::chrono::hours(1));
  const uint64_t first = server.generation();
  EXPECT_NE(first, 0u);
  other.announce();
  EXPECT_EQ(server.generation(), first);  // not looked at again yet
  EXPECT_NE(ChangeFile(dir / "credentials.changed").generation(), first);
  server.announce();
  const uint64_t own = server.generation();
  EXPECT_NE(own, first);
  EXPECT_EQ(own, ChangeFile(dir / "credentials.changed").generation());
  fs::remove_all(dir);
}

// An admin command that announced waits until servers have looked again.
TEST(ChangeFile, WaitsForServersOnlyAfterAnnouncing) {
  const fs::path dir = fresh_dir("changes-wait");
  ChangeFile admin(dir / "credentials.changed");
  admin.announce();
  const auto started = std::chrono::steady_clock::now();
  admin.wait_until_servers_see();
  EXPECT_GE(std::chrono::steady_clock::now() - started, ChangeFile::kServerLookInterval);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cv::app
