// The master key file, the data folder lock and master key rotation (including a rotation a
// crash interrupted), over real stores.
#include "app/master_key.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "app/change_file.h"
#include "app/config.h"
#include "app/data_dir.h"
#include "app/data_folder_lock.h"
#include "app/master_key_rotation.h"
#include "core/clock.h"
#include "core/seal.h"
#include "iam/user_directory.h"
#include "vault/vault.h"

namespace cv::app {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("cv-masterkey-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string file_bytes(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

vault::CustomerKey customer_key() {
  return vault::CustomerKey{std::string(32, 'C'), "not-checked-here"};
}

// A data folder with an access key, SSE-S3 and SSE-C objects and an SSE-S3 upload in progress.
class RotationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("CLOUDVAULT_MASTER_KEY_FILE");
    dir_ = fresh_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    open();
    ChangeFile changes(dir_ / "credentials.changed");
    iam::UserDirectory users(*stores_->meta, stores_->master_key, clock_, changes);
    ASSERT_TRUE(users.add_user("alice", "", ""));
    credentials_ = users.create_key("alice", std::nullopt, std::nullopt).value();
    auto vault = make_vault();
    ASSERT_TRUE(vault->create_bucket("bucket", "owner"));
    for (int i = 0; i < 5; ++i) put(*vault, "s3-" + std::to_string(i), body(i), true);
    put(*vault, "sse-c", "customer body", false);
    upload_ =
        vault->create_upload("bucket", "mp", {}, {meta::EncryptionMode::kS3, {}}).value().upload_id;
    original_key_ = stores_->master_key;
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
  std::unique_ptr<vault::Vault> make_vault(std::string key = {}) {
    return std::make_unique<vault::Vault>(*stores_->meta, *stores_->blobs, clock_,
                                          vault::VaultOptions{},
                                          key.empty() ? stores_->master_key : key);
  }
  static std::string body(int i) { return "sse-s3 body number " + std::to_string(i); }
  void put(vault::Vault& vault, const std::string& key, const std::string& text, bool s3) {
    StringSource source(text);
    vault::PutObjectInput input{"bucket", key, {}, &source, text.size(), {}};
    input.encryption.mode = s3 ? meta::EncryptionMode::kS3 : meta::EncryptionMode::kCustomer;
    if (!s3) input.encryption.customer = customer_key();
    ASSERT_TRUE(vault.put_object(input));
  }
  Result<std::string> read(vault::Vault& vault, const std::string& key,
                           const vault::CustomerKey* with = nullptr) {
    auto object = CV_TRY(vault.get_object("bucket", key));
    auto stream = CV_TRY(vault.open_body(object, 0, object.size, with));
    return read_all(*stream, 1 << 20);
  }
  // Everything opens with `key`, and the access key's secret is the one created.
  void expect_all_readable_with(const std::string& key) {
    auto vault = make_vault(key);
    for (int i = 0; i < 5; ++i) {
      auto text = read(*vault, "s3-" + std::to_string(i));
      ASSERT_TRUE(text) << text.error().message;
      EXPECT_EQ(*text, body(i));
    }
    const auto with = customer_key();
    EXPECT_EQ(read(*vault, "sse-c", &with).value(), "customer body");
    StringSource part("part body that is long enough");
    ASSERT_TRUE(vault->upload_part("bucket", "mp", upload_, 1, part, 29,
                                   vault::ChecksumAlgorithm::kNone, {}));
    ChangeFile changes(dir_ / "credentials.changed");
    iam::UserDirectory users(*stores_->meta, key, clock_, changes);
    auto found = users.find(credentials_.access_key_id);
    ASSERT_TRUE(found && *found) << (found ? "not found" : found.error().message);
    EXPECT_EQ((*found)->secret_key, credentials_.secret_key);
  }

  fs::path dir_;
  SystemClock clock_;
  std::optional<Stores> stores_;
  auth::Credentials credentials_;
  std::string upload_;
  std::string original_key_;
};

TEST_F(RotationTest, RotationResealsEverythingWithoutRewritingBodies) {
  const auto blob_files_before = stores_->blobs->list().value();
  auto report = rotate_master_key(*stores_->meta, dir_ / "master.key", 2);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_FALSE(report->resumed);
  EXPECT_EQ(report->secrets, 1u + 5u + 1u);  // the access key, 5 SSE-S3 objects, the upload
  const std::string new_key = file_bytes(dir_ / "master.key");
  EXPECT_EQ(new_key.size(), 32u);
  EXPECT_NE(new_key, original_key_);
  EXPECT_EQ(report->master_key, new_key);
  EXPECT_FALSE(fs::exists(dir_ / "master.key.next"));
  struct stat info {};
  ASSERT_EQ(::stat((dir_ / "master.key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  EXPECT_EQ(stores_->blobs->list().value(), blob_files_before);

  open();
  EXPECT_EQ(stores_->master_key, new_key);
  expect_all_readable_with(new_key);
  // The old key opens nothing any more.
  auto old_vault = make_vault(original_key_);
  EXPECT_FALSE(read(*old_vault, "s3-0"));
  ChangeFile changes(dir_ / "credentials.changed");
  iam::UserDirectory old_users(*stores_->meta, original_key_, clock_, changes);
  auto found = old_users.find(credentials_.access_key_id);
  EXPECT_FALSE(found && *found);
}

TEST_F(RotationTest, AnInterruptedRotationIsFinishedByTheNextRun) {
  // A crash in the middle: the next key is on disk, and only some secrets were resealed.
  const std::string next(32, 'N');
  ASSERT_TRUE(write_secret_file(dir_ / "master.key.next", next));
  int resealed = 0;
  auto partial = stores_->meta->reseal_master_secrets(
      [&](const meta::MetaStore::SealedSecret& secret) -> Result<std::string> {
        if (++resealed > 3) return fail(ErrorCode::kInternalError, "crash");
        const std::string context =
            secret.kind == meta::MetaStore::SealedSecret::Kind::kAccessKeySecret
                ? secret.owner
                : std::string(vault::kMasterWrappedKeyContext);
        return seal(next, unseal(original_key_, secret.sealed, context).value(), context);
      },
      2);
  ASSERT_FALSE(partial);
  // Some secrets open only with the old key, others only with the new one.
  // (Batches: the access key; objects s3-0 and s3-1; then s3-2 fails and rolls back.)
  EXPECT_FALSE(read(*make_vault(original_key_), "s3-0"));
  EXPECT_TRUE(read(*make_vault(next), "s3-0"));
  EXPECT_TRUE(read(*make_vault(original_key_), "s3-4"));
  EXPECT_FALSE(read(*make_vault(next), "s3-4"));
  EXPECT_EQ(file_bytes(dir_ / "master.key"), original_key_);

  // What a server does at start-up (and `rotate-master` run again).
  open();
  auto finished = finish_interrupted_rotation(*stores_->meta, dir_ / "master.key");
  ASSERT_TRUE(finished) << finished.error().message;
  ASSERT_TRUE(finished->has_value());
  EXPECT_TRUE((*finished)->resumed);
  EXPECT_EQ((*finished)->master_key, next);
  EXPECT_EQ(file_bytes(dir_ / "master.key"), next);
  EXPECT_FALSE(fs::exists(dir_ / "master.key.next"));
  open();
  expect_all_readable_with(next);
  // Nothing left to finish.
  EXPECT_FALSE(finish_interrupted_rotation(*stores_->meta, dir_ / "master.key").value());
}

TEST_F(RotationTest, RotateMasterResumesAnInterruptedRotationWithItsKey) {
  const std::string next(32, 'R');
  ASSERT_TRUE(write_secret_file(dir_ / "master.key.next", next));  // crashed before resealing
  auto report = rotate_master_key(*stores_->meta, dir_ / "master.key");
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->resumed);
  EXPECT_EQ(file_bytes(dir_ / "master.key"), next);
  expect_all_readable_with(next);
}

TEST_F(RotationTest, ASecretOpeningWithNeitherKeyStopsTheRotation) {
  ASSERT_TRUE(write_secret_file(dir_ / "master.key", std::string(32, 'Z')));  // a wrong key
  auto report = rotate_master_key(*stores_->meta, dir_ / "master.key");
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("neither"), std::string::npos);
  // The data is untouched and the rotation not declared done.
  EXPECT_EQ(file_bytes(dir_ / "master.key"), std::string(32, 'Z'));
  ASSERT_TRUE(write_secret_file(dir_ / "master.key", original_key_));
  fs::remove(dir_ / "master.key.next");
  expect_all_readable_with(original_key_);
}

TEST(DataFolderLock, ServersShareItARotationNeedsItAlone) {
  const fs::path dir = fresh_dir("lock");
  {
    auto server = DataFolderLock::acquire(dir / "data", DataFolderLock::Mode::kShared, false);
    ASSERT_TRUE(server) << server.error().message;
    EXPECT_TRUE(DataFolderLock::acquire(dir / "data", DataFolderLock::Mode::kShared, false));
    auto rotation = DataFolderLock::acquire(dir / "data", DataFolderLock::Mode::kExclusive, false);
    ASSERT_FALSE(rotation);
    EXPECT_EQ(rotation.error().code, ErrorCode::kServiceUnavailable);
  }
  auto rotation = DataFolderLock::acquire(dir / "data", DataFolderLock::Mode::kExclusive, false);
  ASSERT_TRUE(rotation);
  auto server = DataFolderLock::acquire(dir / "data", DataFolderLock::Mode::kShared, false);
  ASSERT_FALSE(server);
  EXPECT_NE(server.error().message.find("rotation"), std::string::npos);
  fs::remove_all(dir);
}

TEST(MasterKeyFile, ConfiguredOrEnvironmentPathIsCreatedPrivate) {
  const fs::path dir = fresh_dir("keyfile");
  ::unsetenv("CLOUDVAULT_MASTER_KEY_FILE");
  EXPECT_EQ(master_key_path(dir / "data", {}), dir / "data" / "master.key");
  EXPECT_EQ(master_key_path(dir / "data", dir / "keys" / "k"), dir / "keys" / "k");
  ::setenv("CLOUDVAULT_MASTER_KEY_FILE", (dir / "env.key").c_str(), 1);
  EXPECT_EQ(master_key_path(dir / "data", dir / "keys" / "k"), dir / "env.key");
  {
    auto stores = open_stores(dir / "data");
    ASSERT_TRUE(stores) << stores.error().message;
    EXPECT_EQ(file_bytes(dir / "env.key"), stores->master_key);
  }
  EXPECT_FALSE(fs::exists(dir / "data" / "master.key"));
  struct stat info {};
  ASSERT_EQ(::stat((dir / "env.key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  ::unsetenv("CLOUDVAULT_MASTER_KEY_FILE");
  {
    auto stores = open_stores(dir / "data2", {.master_key_file = dir / "configured.key"});
    ASSERT_TRUE(stores) << stores.error().message;
    EXPECT_EQ(file_bytes(dir / "configured.key"), stores->master_key);
  }
  std::ofstream(dir / "c.toml") << "[storage]\nmaster_key_file = \"/srv/keys/cv.key\"\n";
  EXPECT_EQ(load_config(dir / "c.toml").value().master_key_file, "/srv/keys/cv.key");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cv::app
