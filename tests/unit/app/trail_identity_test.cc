#include "app/trail_identity.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

namespace cv::app {
namespace {

class TrailIdentity : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("trail_identity_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    config_.data_dir = dir_;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  Config config_;
};

TEST_F(TrailIdentity, AccountIdIsMadeOnceAndKept) {
  auto first = trail_account_id(config_);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(first->size(), 12u);
  EXPECT_EQ(first->find_first_not_of("0123456789"), std::string::npos);
  EXPECT_EQ(trail_account_id(config_).value(), *first);
  config_.trail.account_id = "123456789012";
  EXPECT_EQ(trail_account_id(config_).value(), "123456789012");
}

TEST_F(TrailIdentity, AGarbledAccountFileIsAnError) {
  std::ofstream(dir_ / "account.id") << "12ab\n";
  EXPECT_FALSE(trail_account_id(config_).has_value());
}

TEST_F(TrailIdentity, SigningKeyIsMadeOncePrivateAndKept) {
  auto key = server_signing_key(dir_);
  ASSERT_TRUE(key.has_value()) << key.error().message;
  struct stat info {};
  ASSERT_EQ(::stat((dir_ / "signing.key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(server_signing_key(dir_)->public_key_hex(), key->public_key_hex());
  std::ofstream(dir_ / "signing.key", std::ios::trunc) << "not a key";
  EXPECT_FALSE(server_signing_key(dir_).has_value());
}

}  // namespace
}  // namespace cv::app
