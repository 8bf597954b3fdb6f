// Notification targets kept in the metadata store (stored_targets.h), sealed values of the
// configuration file (sealed_values.h), the two merged (notify_targets.h), the master key
// rotation of stored targets' secrets, and the server's SIGHUP reload (config_reload.h).
#include "app/notify_targets.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app/config.h"
#include "app/config_reload.h"
#include "app/data_dir.h"
#include "app/master_key_rotation.h"
#include "app/sealed_values.h"
#include "app/stored_targets.h"
#include "core/clock.h"

namespace cv::app {
namespace {

namespace fs = std::filesystem;
using workers::notify::TargetSettings;
using workers::notify::TargetType;

TargetSettings webhook(const std::string& name, const std::string& secret = "hook-secret-1") {
  TargetSettings settings;
  settings.name = name;
  settings.url = "https://user:url-password@hooks.example.com/in/" + name;
  settings.secret = secret;
  settings.timeout = std::chrono::seconds(7);
  settings.verify_tls = false;
  return settings;
}

TargetSettings smtp(const std::string& name) {
  TargetSettings settings;
  settings.name = name;
  settings.type = TargetType::kSmtp;
  settings.url = "smtps://mail.example.com:465";
  settings.from = "cv@example.com";
  settings.to = {"a@example.com", "b@example.com"};
  settings.username = "cv";
  settings.password = "smtp-password-2";
  return settings;
}

void expect_same(const TargetSettings& a, const TargetSettings& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.url, b.url);
  EXPECT_EQ(a.secret, b.secret);
  EXPECT_EQ(a.from, b.from);
  EXPECT_EQ(a.to, b.to);
  EXPECT_EQ(a.username, b.username);
  EXPECT_EQ(a.password, b.password);
  EXPECT_EQ(a.timeout, b.timeout);
  EXPECT_EQ(a.verify_tls, b.verify_tls);
}

const std::string kKey(32, 'k');
const std::string kOtherKey(32, 'o');

TEST(StoredTargets, SealedRecordsOpenToTheSameSettingsAndHoldNoPlainSecret) {
  for (const TargetSettings& settings : {webhook("hook"), smtp("mail")}) {
    const meta::NotifyTarget record = seal_notify_target(settings, kKey, 42);
    EXPECT_EQ(record.name, settings.name);
    EXPECT_EQ(record.created_ns, 42);
    for (const std::string& secret :
         {std::string("hook-secret-1"), std::string("url-password"), std::string("smtp-password-2"),
          std::string("hooks.example.com")}) {
      EXPECT_EQ(record.settings.find(secret), std::string::npos) << secret;
      EXPECT_EQ(record.sealed_secrets.find(secret), std::string::npos) << secret;
    }
    auto opened = open_notify_target(record, kKey);
    ASSERT_TRUE(opened) << opened.error().message;
    expect_same(*opened, settings);
  }
}

TEST(StoredTargets, SecretsOpenOnlyWithTheirKeyAndAsTheirOwnTarget) {
  const meta::NotifyTarget record = seal_notify_target(webhook("hook"), kKey, 1);
  EXPECT_FALSE(open_notify_target(record, kOtherKey));
  meta::NotifyTarget moved = record;  // another target's row given these secrets
  moved.name = "other";
  auto refused = open_notify_target(moved, kKey);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("do not open"), std::string::npos);
}

TEST(SealedValues, SealedValuesOpenWithTheirKeyAndPlainOnesPassThrough) {
  const std::string sealed = seal_value(kKey, "p@ss word");
  EXPECT_TRUE(sealed.starts_with("sealed:"));
  EXPECT_EQ(sealed.find("p@ss"), std::string::npos);
  EXPECT_NE(seal_value(kKey, "p@ss word"), sealed);  // a fresh nonce each time
  EXPECT_EQ(open_value(kKey, sealed, "x").value(), "p@ss word");
  EXPECT_EQ(open_value(kKey, "plain", "x").value(), "plain");
  auto wrong = open_value(kOtherKey, sealed, "notify.targets.h: secret");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(wrong.error().message.starts_with("notify.targets.h: secret is sealed under"));
  EXPECT_FALSE(open_value(kKey, "sealed:not base64!", "x"));
}

Result<Config> load_text(const std::string& text) {
  const fs::path file =
      fs::temp_directory_path() / ("cv-sealed-config-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(file) << text;
  auto config = load_config(file);
  fs::remove(file);
  return config;
}

TEST(SealedValues, TheConfigurationTakesSealedValuesAndChecksThemOnceOpened) {
  const std::string text = "[notify.targets.hook]\ntype = \"webhook\"\nurl = \"" +
                           seal_value(kKey, "http://127.0.0.1:8080/events") + "\"\nsecret = \"" +
                           seal_value(kKey, "k3y") +
                           "\"\n[notify.targets.mail]\ntype = \"smtp\"\n"
                           "url = \"smtp://127.0.0.1:25\"\nfrom = \"a@example.com\"\n"
                           "to = [\"b@example.com\"]\nusername = \"u\"\npassword = \"" +
                           seal_value(kKey, "pw") +
                           "\"\n[replication.remotes.off]\nendpoint = \"https://s3.example.com\"\n"
                           "access_key = \"AK\"\nsecret_key = \"" +
                           seal_value(kKey, "remote-secret") + "\"\n";
  auto config = load_text(text);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_TRUE(is_sealed_value(config->notify_targets[1].password));
  ASSERT_TRUE(open_sealed_values(*config, kKey));
  EXPECT_EQ(config->notify_targets[0].name, "hook");
  EXPECT_EQ(config->notify_targets[0].url, "http://127.0.0.1:8080/events");
  EXPECT_EQ(config->notify_targets[0].secret, "k3y");
  EXPECT_EQ(config->notify_targets[1].password, "pw");
  EXPECT_EQ(config->replication_remotes[0].secret_key, "remote-secret");

  auto other = load_text(text);
  ASSERT_TRUE(other);
  auto refused = open_sealed_values(*other, kOtherKey);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("notify.targets.hook: url is sealed"), std::string::npos);
  // What a sealed value hides is checked as a plain one would be.
  auto empty = load_text(
      "[notify.targets.h]\ntype = \"webhook\"\nurl = \"http://h/\"\n"
      "secret = \"" +
      seal_value(kKey, "") + "\"\n");
  ASSERT_TRUE(empty) << empty.error().message;
  auto unsigned_hook = open_sealed_values(*empty, kKey);
  ASSERT_FALSE(unsigned_hook);
  EXPECT_EQ(unsigned_hook.error().message,
            "notify.targets.h: secret is required (the key of the signature header)");
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("CLOUDVAULT_MASTER_KEY_FILE");
    dir_ = fs::temp_directory_path() /
           ("cv-notify-targets-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    open();
  }
  void TearDown() override {
    stores_.reset();
    fs::remove_all(dir_);
  }
  void open() {
    stores_.reset();
    auto stores = open_stores(dir_);
    ASSERT_TRUE(stores) << stores.error().message;
    stores_ = std::move(*stores);
  }
  void add(const TargetSettings& settings) {
    ASSERT_TRUE(
        stores_->meta->add_notify_target(seal_notify_target(settings, stores_->master_key, 1)));
  }
  static std::vector<std::string> names(const std::vector<TargetSettings>& targets) {
    std::vector<std::string> out;
    for (const auto& target : targets) out.push_back(target.name);
    return out;
  }

  fs::path dir_;
  std::optional<Stores> stores_;
};

TEST_F(StoreTest, MasterKeyRotationResealsStoredTargets) {
  add(webhook("hook"));
  add(smtp("mail"));
  const std::string old_key = stores_->master_key;
  auto report = rotate_master_key(*stores_->meta, dir_ / "master.key");
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->secrets, 2u);
  open();
  ASSERT_NE(stores_->master_key, old_key);
  auto loaded = load_stored_targets(*stores_->meta, stores_->master_key);
  ASSERT_TRUE(loaded) << loaded.error().message;
  ASSERT_EQ(loaded->size(), 2u);
  expect_same(loaded->at(0), webhook("hook"));
  expect_same(loaded->at(1), smtp("mail"));
  EXPECT_FALSE(load_stored_targets(*stores_->meta, old_key));
}

TEST_F(StoreTest, TheFileAndTheStoreMergeAndTheFileWinsAName) {
  add(webhook("stored"));
  add(webhook("both", "stored-secret"));
  const std::vector<TargetSettings> configured{webhook("both", "file-secret"), smtp("file")};
  auto known = known_notify_targets(configured, *stores_->meta, stores_->master_key);
  ASSERT_TRUE(known) << known.error().message;
  ASSERT_EQ(known->size(), 4u);
  EXPECT_EQ(known->at(0).settings.name, "both");
  EXPECT_EQ(known->at(0).origin, TargetOrigin::kConfigFile);
  EXPECT_FALSE(known->at(0).shadowed);
  EXPECT_EQ(known->at(1).settings.name, "both");
  EXPECT_EQ(known->at(1).origin, TargetOrigin::kStore);
  EXPECT_TRUE(known->at(1).shadowed);
  EXPECT_EQ(known->at(3).settings.name, "stored");
  EXPECT_EQ(known->at(3).origin, TargetOrigin::kStore);
  auto effective = effective_notify_targets(configured, *stores_->meta, stores_->master_key);
  ASSERT_TRUE(effective);
  EXPECT_EQ(names(*effective), (std::vector<std::string>{"both", "file", "stored"}));
  EXPECT_EQ(effective->at(0).secret, "file-secret");
}

TEST_F(StoreTest, SighupReloadTakesTheFilesTargetsAndRemotesOrNothing) {
  SystemClock clock;
  const fs::path file = dir_ / "cloudvault.toml";
  std::ofstream(file) << "[notify.targets.one]\ntype = \"webhook\"\nurl = \"http://h/\"\n"
                         "secret = \"s\"\n";
  Config config = load_config(file).value();
  add(webhook("stored"));
  NotifyTargetSource source(config.notify_targets, *stores_->meta, stores_->master_key);
  auto live =
      workers::notify::LiveTargetCatalog::create([&] { return source.load(); }, {}, clock, {})
          .value();
  auto remotes = RemoteClients::create({}, clock).value();
  ReplicationRemoteNames remote_names({});
  ConfigReloader reloader(file, stores_->master_key, clock,
                          {source, *live, *remotes, remote_names});
  EXPECT_TRUE(live->current()->has_target("one"));
  EXPECT_TRUE(live->current()->has_target("stored"));

  std::ofstream(file, std::ios::trunc)
      << "[notify.targets.two]\ntype = \"webhook\"\nurl = \"http://h/\"\nsecret = \"" +
             seal_value(stores_->master_key, "s2") +
             "\"\n[replication.remotes.off]\nendpoint = \"https://s3.example.com\"\n"
             "access_key = \"AK\"\nsecret_key = \"SK\"\n";
  ASSERT_TRUE(reloader.reload());
  EXPECT_FALSE(live->current()->has_target("one"));
  EXPECT_TRUE(live->current()->has_target("two"));
  EXPECT_TRUE(live->current()->has_target("stored"));
  EXPECT_TRUE(remote_names.has_remote("off"));
  EXPECT_NE(remotes->client("off"), nullptr);

  // A file that does not load changes nothing.
  std::ofstream(file, std::ios::trunc) << "[notify.targets.three]\ntype = \"pigeon\"\n";
  EXPECT_FALSE(reloader.reload());
  EXPECT_TRUE(live->current()->has_target("two"));
  EXPECT_FALSE(live->current()->has_target("three"));
  EXPECT_TRUE(remote_names.has_remote("off"));
}

}  // namespace
}  // namespace cv::app
