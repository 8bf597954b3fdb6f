// IamDirectory over a real SQLite store: validation, IAM's errors, the authorization queries
// and their cache following the change signal.
#include "iam/iam_directory.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "meta/sqlite/sqlite_meta_store.h"

namespace cv::iam {
namespace {

namespace fs = std::filesystem;

class CountingSignal final : public ChangeSignal {
 public:
  uint64_t generation() override { return generation_; }
  void announce() override { ++generation_; }
  uint64_t generation_ = 1;
};

constexpr const char* kAllowAll =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]})";
constexpr const char* kTrust =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]})";

class IamDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cv-iamdir-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    meta_ = meta::open_sqlite_meta_store({.path = dir_ / "meta.db"}).value();
    users_ = std::make_unique<UserDirectory>(*meta_, std::string(32, 'm'), clock_, signal_);
    iam_ = std::make_unique<IamDirectory>(*meta_, *users_, signal_, clock_,
                                          IamDirectoryOptions{"123456789012", {}});
  }
  void TearDown() override {
    iam_.reset();
    users_.reset();
    meta_.reset();
    fs::remove_all(dir_);
  }

  fs::path dir_;
  SystemClock clock_;
  CountingSignal signal_;
  std::unique_ptr<meta::MetaStore> meta_;
  std::unique_ptr<UserDirectory> users_;
  std::unique_ptr<IamDirectory> iam_;
};

template <class R>
ErrorCode code_of(const R& result) {
  return result ? ErrorCode::kInternalError : result.error().code;
}

TEST_F(IamDirectoryTest, UsersGetAnIamIdPathAndArn) {
  auto user = iam_->create_user("alice", "/eng/", "");
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_TRUE(user->iam_id.starts_with("AIDA"));
  EXPECT_EQ(iam_->user_arn(*user), "arn:aws:iam::123456789012:user/eng/alice");
  EXPECT_EQ(code_of(iam_->create_user("ALICE", "/", "")), ErrorCode::kEntityAlreadyExists);
  EXPECT_EQ(code_of(iam_->create_user("bad name", "/", "")), ErrorCode::kValidationError);
  EXPECT_EQ(code_of(iam_->create_user("carol", "eng", "")), ErrorCode::kValidationError);
  EXPECT_EQ(code_of(iam_->get_user("nobody")), ErrorCode::kNoSuchEntity);
  EXPECT_EQ(iam_->get_user("Alice")->id, user->id);
  ASSERT_TRUE(iam_->create_user("bob", "/ops/", ""));
  auto eng = iam_->list_users("/eng/");
  ASSERT_TRUE(eng);
  ASSERT_EQ(eng->size(), 1u);
  EXPECT_EQ((*eng)[0].name, "alice");
}

TEST_F(IamDirectoryTest, AUserWithKeysCannotBeDeletedAndTheThirdKeyIsRefused) {
  ASSERT_TRUE(iam_->create_user("dave", "/", ""));
  auto first = users_->create_key("dave", std::nullopt, std::nullopt);
  ASSERT_TRUE(first);
  ASSERT_TRUE(users_->create_key("dave", std::nullopt, std::nullopt));
  EXPECT_EQ(code_of(users_->create_key("dave", std::nullopt, std::nullopt)),
            ErrorCode::kLimitExceeded);
  EXPECT_EQ(code_of(iam_->delete_user("dave")), ErrorCode::kDeleteConflict);
  const auto keys = users_->list_keys("dave").value();
  ASSERT_EQ(keys.size(), 2u);
  for (const auto& key : keys) ASSERT_TRUE(users_->delete_key(key.access_key_id));
  ASSERT_TRUE(iam_->delete_user("dave"));
  EXPECT_EQ(code_of(iam_->get_user("dave")), ErrorCode::kNoSuchEntity);
}

TEST_F(IamDirectoryTest, AnInactiveKeyStopsAuthenticatingAtOnce) {
  ASSERT_TRUE(iam_->create_user("erin", "/", ""));
  const auto key = users_->create_key("erin", std::nullopt, std::nullopt).value();
  ASSERT_TRUE(users_->find(key.access_key_id)->has_value());  // cached now
  ASSERT_TRUE(users_->set_key_active(key.access_key_id, false));
  EXPECT_FALSE(users_->find(key.access_key_id)->has_value());
  EXPECT_FALSE((*users_->list_keys("erin"))[0].active);
  ASSERT_TRUE(users_->set_key_active(key.access_key_id, true));
  EXPECT_TRUE(users_->find(key.access_key_id)->has_value());
}

TEST_F(IamDirectoryTest, KeyUseIsKeptInMemoryThenWrittenOnFlush) {
  ASSERT_TRUE(iam_->create_user("fay", "/", ""));
  const auto key = users_->create_key("fay", std::nullopt, std::nullopt).value();
  EXPECT_EQ(users_->key_last_use(key.access_key_id)->used_ns, 0);
  users_->record_use(key.access_key_id, "s3", "us-east-1");
  users_->record_use(key.access_key_id, "iam", "eu-west-1");  // within the minute: ignored
  auto pending = users_->key_last_use(key.access_key_id);
  ASSERT_TRUE(pending);
  EXPECT_GT(pending->used_ns, 0);
  EXPECT_EQ(pending->service, "s3");
  EXPECT_EQ((*meta_->get_access_key(key.access_key_id))->last_used_ns, 0);
  EXPECT_EQ(*users_->flush_key_usage(), 1u);
  EXPECT_EQ(*users_->flush_key_usage(), 0u);
  const auto stored = *meta_->get_access_key(key.access_key_id);
  EXPECT_EQ(stored->last_used_service, "s3");
  EXPECT_EQ(stored->last_used_region, "us-east-1");
  EXPECT_GT(stored->last_used_ns, 0);
}

TEST_F(IamDirectoryTest, PolicyDocumentsAreValidated) {
  ASSERT_TRUE(iam_->create_user("gus", "/", ""));
  const PrincipalName gus{meta::IamPrincipalKind::kUser, "gus"};
  EXPECT_EQ(code_of(iam_->put_inline_policy(gus, "p", "not json")),
            ErrorCode::kMalformedPolicyDocument);
  EXPECT_EQ(code_of(iam_->put_inline_policy(gus, "p", R"({"Version":"2012-10-17"})")),
            ErrorCode::kMalformedPolicyDocument);
  EXPECT_EQ(code_of(iam_->put_inline_policy(gus, "bad name", kAllowAll)),
            ErrorCode::kValidationError);
  EXPECT_EQ(code_of(iam_->create_role("r", "/", "[]", "", 3600)),
            ErrorCode::kMalformedPolicyDocument);
  EXPECT_EQ(code_of(iam_->create_role("r", "/", kTrust, "", 100)), ErrorCode::kValidationError);
  EXPECT_EQ(code_of(iam_->create_role("r", "/", kTrust, "", 43201)), ErrorCode::kValidationError);
  ASSERT_TRUE(iam_->put_inline_policy(gus, "p", kAllowAll));
  EXPECT_EQ(iam_->get_inline_policy(gus, "p")->document, kAllowAll);
}

TEST_F(IamDirectoryTest, AnInjectedValidatorDecides) {
  IamDirectory strict(
      *meta_, *users_, signal_, clock_,
      IamDirectoryOptions{"123456789012", [](std::string_view, PolicyDocumentKind kind) -> Status {
                            if (kind == PolicyDocumentKind::kTrust) return {};
                            return fail(ErrorCode::kMalformedPolicyDocument,
                                        "no identity policies");
                          }});
  ASSERT_TRUE(strict.create_user("hal", "/", ""));
  auto refused = strict.put_inline_policy({meta::IamPrincipalKind::kUser, "hal"}, "p", kAllowAll);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "no identity policies");
  EXPECT_TRUE(strict.create_role("r", "/", "{}", "", 3600));
}

TEST_F(IamDirectoryTest, IdentityPoliciesCoverTheUserAndItsGroupsAndFollowChanges) {
  const auto ivy = iam_->create_user("ivy", "/", "").value();
  ASSERT_TRUE(iam_->create_group("devs", "/"));
  ASSERT_TRUE(iam_->add_user_to_group("devs", "ivy"));
  ASSERT_TRUE(iam_->put_inline_policy({meta::IamPrincipalKind::kUser, "ivy"}, "own", kAllowAll));
  ASSERT_TRUE(
      iam_->put_inline_policy({meta::IamPrincipalKind::kGroup, "devs"}, "shared", kAllowAll));
  const auto managed = iam_->create_policy("ReadAll", "/", kAllowAll, "").value();
  const std::string arn = iam_->policy_arn(managed);
  EXPECT_EQ(arn, "arn:aws:iam::123456789012:policy/ReadAll");
  ASSERT_TRUE(iam_->attach_policy({meta::IamPrincipalKind::kUser, "ivy"}, arn));
  ASSERT_TRUE(iam_->attach_policy({meta::IamPrincipalKind::kGroup, "devs"}, arn));

  auto policies = iam_->identity_policies_for_user(ivy.id);
  ASSERT_TRUE(policies);
  std::vector<std::string> sources;
  for (const auto& ref : *policies) sources.push_back(ref.source);
  EXPECT_EQ(sources,
            (std::vector<std::string>{"user inline policy 'own'",
                                      "managed policy 'arn:aws:iam::123456789012:policy/ReadAll'",
                                      "group 'devs' inline policy 'shared'"}));
  EXPECT_EQ(code_of(iam_->delete_policy(arn)), ErrorCode::kDeleteConflict);
  EXPECT_EQ(code_of(iam_->delete_group("devs")), ErrorCode::kDeleteConflict);

  // A change through the directory is seen at once by the cached query.
  ASSERT_TRUE(iam_->remove_user_from_group("devs", "ivy"));
  EXPECT_EQ(iam_->identity_policies_for_user(ivy.id)->size(), 2u);
  // So is one another process made (it bumps the shared signal).
  ASSERT_TRUE(meta_->delete_inline_policy(meta::IamPrincipalKind::kUser, ivy.id, "own"));
  EXPECT_EQ(iam_->identity_policies_for_user(ivy.id)->size(), 2u);  // still cached
  signal_.announce();
  EXPECT_EQ(iam_->identity_policies_for_user(ivy.id)->size(), 1u);
}

TEST_F(IamDirectoryTest, FindRoleReturnsTrustAndPolicies) {
  EXPECT_FALSE(iam_->find_role("reader")->has_value());
  const auto role = iam_->create_role("Reader", "/svc/", kTrust, "reads", 7200).value();
  EXPECT_TRUE(role.id.starts_with("AROA"));
  ASSERT_TRUE(iam_->put_inline_policy({meta::IamPrincipalKind::kRole, "Reader"}, "r", kAllowAll));
  auto found = iam_->find_role("reader");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->arn, "arn:aws:iam::123456789012:role/svc/Reader");
  EXPECT_EQ((*found)->trust_policy, kTrust);
  EXPECT_EQ((*found)->max_session_seconds, 7200);
  ASSERT_EQ((*found)->policies.size(), 1u);
  EXPECT_EQ((*found)->policies[0].source, "role inline policy 'r'");
  EXPECT_EQ(code_of(iam_->delete_role("Reader")), ErrorCode::kDeleteConflict);
  ASSERT_TRUE(iam_->delete_inline_policy({meta::IamPrincipalKind::kRole, "Reader"}, "r"));
  ASSERT_TRUE(iam_->delete_role("Reader"));
  EXPECT_FALSE(iam_->find_role("Reader")->has_value());
}

}  // namespace
}  // namespace cv::iam
