#include "iam/user_directory.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "meta/sqlite/sqlite_meta_store.h"

namespace cv::iam {
namespace {

namespace fs = std::filesystem;

// A signal that another process could also bump (the test plays that process).
class CountingSignal final : public ChangeSignal {
 public:
  uint64_t generation() override { return generation_; }
  void announce() override { ++generation_; }
  uint64_t generation_ = 1;
};

class UserDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cv-iam-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    meta_ = meta::open_sqlite_meta_store({.path = dir_ / "meta.db"}).value();
    users_ = std::make_unique<UserDirectory>(*meta_, std::string(32, 'm'), clock_, signal_);
  }
  void TearDown() override {
    users_.reset();
    meta_.reset();
    fs::remove_all(dir_);
  }

  fs::path dir_;
  SystemClock clock_;
  CountingSignal signal_;
  std::unique_ptr<meta::MetaStore> meta_;
  std::unique_ptr<UserDirectory> users_;
};

TEST_F(UserDirectoryTest, KeysAreSealedAndFound) {
  ASSERT_TRUE(users_->add_user("alice", "Alice A.", "a@example.test"));
  const auto key = users_->create_key("alice", "AKALICE123", "alice-secret-1").value();
  const auto stored = meta_->get_access_key("AKALICE123").value().value();
  EXPECT_EQ(stored.sealed_secret.find("alice-secret-1"), std::string::npos);
  const auto found = users_->find("AKALICE123").value().value();
  EXPECT_EQ(found.secret_key, "alice-secret-1");
  EXPECT_EQ(found.user_id, key.user_id);
  EXPECT_EQ(users_->display_name(key.user_id), "Alice A.");
  EXPECT_FALSE(users_->find("AKNOBODY").value().has_value());
}

TEST_F(UserDirectoryTest, RefusesBadAndDuplicateInput) {
  ASSERT_TRUE(users_->add_user("bob", "", ""));
  EXPECT_FALSE(users_->add_user("bob", "", ""));
  EXPECT_FALSE(users_->add_user("bad name", "", ""));
  EXPECT_FALSE(users_->create_key("nobody", std::nullopt, std::nullopt));
  ASSERT_TRUE(users_->create_key("bob", "AKBOB", "bob-secret"));
  EXPECT_FALSE(users_->create_key("bob", "AKBOB", "other-secret"));  // id taken
  EXPECT_FALSE(users_->create_key("bob", "A K", "bob-secret"));      // malformed id
  EXPECT_FALSE(users_->create_key("bob", "AKBOB2", "short"));        // secret too short
}

TEST_F(UserDirectoryTest, DeletionByAnotherProcessIsSeenAtOnce) {
  ASSERT_TRUE(users_->add_user("carol", "", ""));
  ASSERT_TRUE(users_->create_key("carol", "AKCAROL", "carol-secret"));
  ASSERT_TRUE(users_->find("AKCAROL").value().has_value());  // now cached
  // Another process deletes the key in the shared store and announces it.
  ASSERT_TRUE(meta_->delete_access_key("AKCAROL"));
  EXPECT_TRUE(users_->find("AKCAROL").value().has_value());  // not announced yet: cached
  signal_.announce();
  EXPECT_FALSE(users_->find("AKCAROL").value().has_value());
}

TEST_F(UserDirectoryTest, OwnChangesAreAnnounced) {
  ASSERT_TRUE(users_->add_user("dave", "", ""));
  ASSERT_TRUE(users_->create_key("dave", "AKDAVE", "dave-secret"));
  ASSERT_TRUE(users_->find("AKDAVE").value().has_value());
  const uint64_t before = signal_.generation();
  ASSERT_TRUE(users_->delete_key("AKDAVE"));
  EXPECT_NE(signal_.generation(), before);
  EXPECT_FALSE(users_->find("AKDAVE").value().has_value());
}

TEST_F(UserDirectoryTest, EnsureRootKeepsOrAddsTheRootKey) {
  const auto generated = users_->ensure_root(std::nullopt).value();
  EXPECT_EQ(users_->ensure_root(std::nullopt).value().access_key_id, generated.access_key_id);
  const auto chosen =
      users_->ensure_root(auth::Credentials{"AKROOTCHOSEN", "root-secret-1", ""}).value();
  EXPECT_EQ(chosen.access_key_id, "AKROOTCHOSEN");
  EXPECT_EQ(chosen.user_id, generated.user_id);
  EXPECT_EQ(users_->find("AKROOTCHOSEN").value()->secret_key, "root-secret-1");
}

}  // namespace
}  // namespace cv::iam
