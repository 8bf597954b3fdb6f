// The MetaStore conformance tests for notification targets added at run time (fixture in
// meta_store_conformance.h): add, list, remove, names unique, the documents kept byte for
// byte, and their sealed secrets visited by the master key rotation.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "meta_store_conformance.h"

namespace cv::meta::conformance {
namespace {

NotifyTarget make_target(const std::string& name, const std::string& type = "webhook") {
  return NotifyTarget{name, type, R"({"url":"http://127.0.0.1/","timeout_seconds":10})",
                      std::string("\x01sealed\0bytes\xff", 14) + name, 1'700'000'000};
}

std::vector<std::string> names(const std::vector<NotifyTarget>& targets) {
  std::vector<std::string> out;
  for (const NotifyTarget& target : targets) out.push_back(target.name);
  return out;
}

TEST_P(MetaStoreConformance, NotifyTargetsAreListedByNameWithTheirDocumentsAsGiven) {
  auto empty = store().list_notify_targets();
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_TRUE(empty->empty());
  ASSERT_TRUE(store().add_notify_target(make_target("zeta", "slack")));
  ASSERT_TRUE(store().add_notify_target(make_target("alpha")));
  ASSERT_TRUE(store().add_notify_target(make_target("mail.ops-1", "smtp")));
  auto listed = store().list_notify_targets();
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(names(*listed), (std::vector<std::string>{"alpha", "mail.ops-1", "zeta"}));
  const NotifyTarget& mail = listed->at(1);
  const NotifyTarget expected = make_target("mail.ops-1", "smtp");
  EXPECT_EQ(mail.type, "smtp");
  EXPECT_EQ(mail.settings, expected.settings);
  EXPECT_EQ(mail.sealed_secrets, expected.sealed_secrets);  // binary bytes survive
  EXPECT_EQ(mail.created_ns, expected.created_ns);
}

TEST_P(MetaStoreConformance, NotifyTargetNamesAreUniqueAndTheFirstStays) {
  ASSERT_TRUE(store().add_notify_target(make_target("hook")));
  NotifyTarget again = make_target("hook", "discord");
  again.settings = "{}";
  auto refused = store().add_notify_target(again);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  auto listed = store().list_notify_targets();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().type, "webhook");
  EXPECT_EQ(listed->front().settings, make_target("hook").settings);
}

TEST_P(MetaStoreConformance, NotifyTargetRemovalSaysWhetherItRemovedOne) {
  ASSERT_TRUE(store().add_notify_target(make_target("a")));
  ASSERT_TRUE(store().add_notify_target(make_target("b")));
  EXPECT_EQ(store().remove_notify_target("a").value_or(false), true);
  EXPECT_EQ(store().remove_notify_target("a").value_or(true), false);
  EXPECT_EQ(store().remove_notify_target("never").value_or(true), false);
  auto listed = store().list_notify_targets();
  ASSERT_TRUE(listed);
  EXPECT_EQ(names(*listed), (std::vector<std::string>{"b"}));
  // A removed name can be added again.
  EXPECT_TRUE(store().add_notify_target(make_target("a", "smtp")));
  listed = store().list_notify_targets();
  ASSERT_TRUE(listed);
  EXPECT_EQ(names(*listed), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(listed->front().type, "smtp");
}

TEST_P(MetaStoreConformance, NotifyTargetsSurviveAReopen) {
  ASSERT_TRUE(store().add_notify_target(make_target("durable")));
  reopen();
  auto listed = store().list_notify_targets();
  ASSERT_TRUE(listed);
  EXPECT_EQ(names(*listed), (std::vector<std::string>{"durable"}));
  EXPECT_EQ(listed->front().sealed_secrets, make_target("durable").sealed_secrets);
}

TEST_P(MetaStoreConformance, ResealVisitsTheSealedSecretsOfNotifyTargets) {
  ASSERT_TRUE(store().put_access_key(AccessKey{"AKIA1", kOwner, "key-sealed", 1}));
  for (const char* name : {"t1", "t2", "t3"}) {
    ASSERT_TRUE(store().add_notify_target(make_target(name)));
  }
  std::vector<MetaStore::SealedSecret> seen;
  auto reseal = [&](const MetaStore::SealedSecret& secret) -> Result<std::string> {
    seen.push_back(secret);
    return "new:" + secret.owner;
  };
  auto visited = store().reseal_master_secrets(reseal, 2);
  ASSERT_TRUE(visited) << visited.error().message;
  EXPECT_EQ(*visited, 4u);
  std::vector<std::string> target_owners;
  for (const auto& secret : seen) {
    if (secret.kind != MetaStore::SealedSecret::Kind::kNotifyTargetSecrets) continue;
    target_owners.push_back(secret.owner);
    EXPECT_EQ(secret.sealed, make_target(secret.owner).sealed_secrets);
  }
  EXPECT_EQ(target_owners, (std::vector<std::string>{"t1", "t2", "t3"}));
  auto listed = store().list_notify_targets();
  ASSERT_TRUE(listed);
  for (const NotifyTarget& target : *listed) {
    EXPECT_EQ(target.sealed_secrets, "new:" + target.name);
    EXPECT_EQ(target.settings, make_target(target.name).settings);  // the rest untouched
  }
}

}  // namespace
}  // namespace cv::meta::conformance
