// The MetaStore conformance tests for IAM (issue 14; fixture in meta_store_conformance.h):
// the new user and key fields, users deleted only without dependents, groups and members,
// roles, managed policies, inline policies and attachments, with IAM's error codes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "meta_store_conformance.h"

namespace cv::meta::conformance {
namespace {

User iam_user(char id_char, std::string name) {
  User user{std::string(64, id_char), std::move(name), "", "", false, 7};
  user.path = "/team/";
  user.iam_id = std::string("AIDA") + std::string(17, 'Q');
  user.tags = R"({"dept":"ops"})";
  return user;
}

AccessKey key_of(const User& user, std::string id) {
  AccessKey key{std::move(id), user.id, "sealed", 9};
  return key;
}

template <class T>
std::vector<std::string> names_of(const std::vector<T>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(item.name);
  return out;
}

TEST_P(MetaStoreConformance, IamUserFieldsRoundTrip) {
  const User user = iam_user('1', "ana");
  ASSERT_TRUE(store().put_user(user));
  auto got = store().get_user(user.id);
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->path, "/team/");
  EXPECT_EQ((*got)->iam_id, user.iam_id);
  EXPECT_EQ((*got)->tags, user.tags);
  User plain{std::string(64, '2'), "bo", "", "", false, 1};
  ASSERT_TRUE(store().put_user(plain));
  EXPECT_EQ((*store().get_user(plain.id))->path, "/");
}

TEST_P(MetaStoreConformance, AccessKeysAreLimitedPerUserAndKeepStatusAndLastUse) {
  const User user = iam_user('1', "ana");
  ASSERT_TRUE(store().put_user(user));
  ASSERT_TRUE(store().add_access_key(key_of(user, "AKIAONE"), 2));
  EXPECT_EQ(error_of(store().add_access_key(key_of(user, "AKIAONE"), 2)),
            ErrorCode::kEntityAlreadyExists);
  ASSERT_TRUE(store().add_access_key(key_of(user, "AKIATWO"), 2));
  EXPECT_EQ(error_of(store().add_access_key(key_of(user, "AKIATHREE"), 2)),
            ErrorCode::kLimitExceeded);
  EXPECT_FALSE(store().get_access_key("AKIATHREE")->has_value());
  EXPECT_EQ(error_of(store().add_access_key(AccessKey{"AKIAX", std::string(64, '9'), "s", 1}, 2)),
            ErrorCode::kNoSuchEntity);

  auto fresh = store().get_access_key("AKIAONE");
  ASSERT_TRUE(fresh && fresh->has_value());
  EXPECT_TRUE((*fresh)->active);
  EXPECT_EQ((*fresh)->last_used_ns, 0);

  ASSERT_TRUE(store().set_access_key_active("AKIAONE", false));
  EXPECT_FALSE((*store().get_access_key("AKIAONE"))->active);
  EXPECT_EQ(error_of(store().set_access_key_active("AKIANONE", false)), ErrorCode::kNoSuchEntity);

  ASSERT_TRUE(store().record_key_usage(
      {{"AKIAONE", 500, "s3", "us-east-1"}, {"AKIAGONE", 500, "s3", "us-east-1"}}));
  ASSERT_TRUE(store().record_key_usage({{"AKIAONE", 400, "iam", "eu-west-1"}}));  // older
  auto used = *store().get_access_key("AKIAONE");
  EXPECT_EQ(used->last_used_ns, 500);
  EXPECT_EQ(used->last_used_service, "s3");
  EXPECT_EQ(used->last_used_region, "us-east-1");
  EXPECT_FALSE(used->active);
}

TEST_P(MetaStoreConformance, DeleteUserRefusesWhileDependentsRemain) {
  const User user = iam_user('1', "ana");
  ASSERT_TRUE(store().put_user(user));
  ASSERT_TRUE(store().add_access_key(key_of(user, "AKIAONE"), 2));
  EXPECT_EQ(error_of(store().delete_user(user.id)), ErrorCode::kDeleteConflict);
  ASSERT_TRUE(store().delete_access_key("AKIAONE"));

  ASSERT_TRUE(store().create_group(IamGroup{"devs", "/", "AGPAX", 1}));
  ASSERT_TRUE(store().add_group_member("devs", user.id));
  EXPECT_EQ(error_of(store().delete_user(user.id)), ErrorCode::kDeleteConflict);
  ASSERT_TRUE(store().remove_group_member("devs", user.id));

  ASSERT_TRUE(store().put_inline_policy({IamPrincipalKind::kUser, user.id, "p", "{}"}));
  EXPECT_EQ(error_of(store().delete_user(user.id)), ErrorCode::kDeleteConflict);
  ASSERT_TRUE(store().delete_inline_policy(IamPrincipalKind::kUser, user.id, "p"));

  ASSERT_TRUE(store().create_managed_policy(ManagedPolicy{"m", "/", "ANPAX", "{}", "", 1}));
  ASSERT_TRUE(store().attach_policy(IamPrincipalKind::kUser, user.id, "m"));
  EXPECT_EQ(error_of(store().delete_user(user.id)), ErrorCode::kDeleteConflict);
  ASSERT_TRUE(store().detach_policy(IamPrincipalKind::kUser, user.id, "m"));

  EXPECT_TRUE(store().get_user(user.id)->has_value());
  ASSERT_TRUE(store().delete_user(user.id));
  EXPECT_FALSE(store().get_user(user.id)->has_value());
  EXPECT_EQ(error_of(store().delete_user(user.id)), ErrorCode::kNoSuchEntity);
}

TEST_P(MetaStoreConformance, GroupsAndMembers) {
  const User ana = iam_user('1', "ana");
  const User bo = iam_user('2', "bo");
  ASSERT_TRUE(store().put_user(ana));
  ASSERT_TRUE(store().put_user(bo));
  ASSERT_TRUE(store().create_group(IamGroup{"Ops", "/x/", "AGPA1", 5}));
  ASSERT_TRUE(store().create_group(IamGroup{"devs", "/", "AGPA2", 6}));
  EXPECT_EQ(error_of(store().create_group(IamGroup{"OPS", "/", "AGPA3", 6})),
            ErrorCode::kEntityAlreadyExists);
  EXPECT_EQ(names_of(*store().list_groups()), (std::vector<std::string>{"devs", "Ops"}));
  auto ops = store().get_group("ops");  // case-insensitive
  ASSERT_TRUE(ops && ops->has_value());
  EXPECT_EQ((*ops)->name, "Ops");
  EXPECT_EQ((*ops)->path, "/x/");
  EXPECT_EQ((*ops)->id, "AGPA1");
  EXPECT_EQ((*ops)->created_ns, 5);

  ASSERT_TRUE(store().add_group_member("Ops", bo.id));
  ASSERT_TRUE(store().add_group_member("Ops", ana.id));
  ASSERT_TRUE(store().add_group_member("Ops", ana.id));  // idempotent
  ASSERT_TRUE(store().add_group_member("devs", ana.id));
  EXPECT_EQ(*store().list_group_members("Ops"), (std::vector<std::string>{ana.id, bo.id}));
  EXPECT_EQ(names_of(*store().list_user_groups(ana.id)), (std::vector<std::string>{"devs", "Ops"}));
  EXPECT_EQ(error_of(store().add_group_member("nope", ana.id)), ErrorCode::kNoSuchEntity);
  EXPECT_EQ(error_of(store().add_group_member("Ops", std::string(64, '7'))),
            ErrorCode::kNoSuchEntity);

  EXPECT_EQ(error_of(store().delete_group("Ops")), ErrorCode::kDeleteConflict);
  ASSERT_TRUE(store().remove_group_member("Ops", ana.id));
  EXPECT_EQ(error_of(store().remove_group_member("Ops", ana.id)), ErrorCode::kNoSuchEntity);
  ASSERT_TRUE(store().remove_group_member("Ops", bo.id));
  ASSERT_TRUE(store().put_inline_policy({IamPrincipalKind::kGroup, "Ops", "g", "{}"}));
  EXPECT_EQ(error_of(store().delete_group("Ops")), ErrorCode::kDeleteConflict);
  ASSERT_TRUE(store().delete_inline_policy(IamPrincipalKind::kGroup, "Ops", "g"));
  ASSERT_TRUE(store().delete_group("Ops"));
  EXPECT_FALSE(store().get_group("Ops")->has_value());
  EXPECT_EQ(error_of(store().delete_group("Ops")), ErrorCode::kNoSuchEntity);
}

TEST_P(MetaStoreConformance, RolesRoundTripUpdateAndDelete) {
  IamRole role{"Reader", "/svc/", "AROA1", R"({"Statement":[]})", "reads", 7200, 11};
  ASSERT_TRUE(store().create_role(role));
  EXPECT_EQ(error_of(store().create_role(role)), ErrorCode::kEntityAlreadyExists);
  auto got = store().get_role("reader");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->name, "Reader");
  EXPECT_EQ((*got)->path, "/svc/");
  EXPECT_EQ((*got)->id, "AROA1");
  EXPECT_EQ((*got)->trust_policy, role.trust_policy);
  EXPECT_EQ((*got)->description, "reads");
  EXPECT_EQ((*got)->max_session_seconds, 7200);
  EXPECT_EQ((*got)->created_ns, 11);

  role.trust_policy = R"({"Statement":[{"Effect":"Allow"}]})";
  ASSERT_TRUE(store().update_role(role));
  EXPECT_EQ((*store().get_role("Reader"))->trust_policy, role.trust_policy);
  EXPECT_EQ(error_of(store().update_role(IamRole{"ghost"})), ErrorCode::kNoSuchEntity);
  EXPECT_EQ(names_of(*store().list_roles()), (std::vector<std::string>{"Reader"}));

  ASSERT_TRUE(store().put_inline_policy({IamPrincipalKind::kRole, "Reader", "r", "{}"}));
  EXPECT_EQ(error_of(store().delete_role("Reader")), ErrorCode::kDeleteConflict);
  ASSERT_TRUE(store().delete_inline_policy(IamPrincipalKind::kRole, "Reader", "r"));
  ASSERT_TRUE(store().create_managed_policy(ManagedPolicy{"m", "/", "ANPA1", "{}", "", 1}));
  ASSERT_TRUE(store().attach_policy(IamPrincipalKind::kRole, "Reader", "m"));
  EXPECT_EQ(error_of(store().delete_role("Reader")), ErrorCode::kDeleteConflict);
  ASSERT_TRUE(store().detach_policy(IamPrincipalKind::kRole, "Reader", "m"));
  ASSERT_TRUE(store().delete_role("Reader"));
  EXPECT_FALSE(store().get_role("Reader")->has_value());
  EXPECT_EQ(error_of(store().delete_role("Reader")), ErrorCode::kNoSuchEntity);
}

TEST_P(MetaStoreConformance, ManagedPoliciesAndAttachments) {
  const User ana = iam_user('1', "ana");
  ASSERT_TRUE(store().put_user(ana));
  ASSERT_TRUE(store().create_group(IamGroup{"devs", "/", "AGPA2", 6}));
  ManagedPolicy read{"ReadAll", "/p/", "ANPA1", R"({"Version":"2012-10-17"})", "desc", 3};
  ASSERT_TRUE(store().create_managed_policy(read));
  ASSERT_TRUE(store().create_managed_policy(ManagedPolicy{"Admin", "/", "ANPA2", "{}", "", 4}));
  EXPECT_EQ(error_of(store().create_managed_policy(read)), ErrorCode::kEntityAlreadyExists);
  EXPECT_EQ(names_of(*store().list_managed_policies()),
            (std::vector<std::string>{"Admin", "ReadAll"}));
  auto got = store().get_managed_policy("readall");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->document, read.document);
  EXPECT_EQ((*got)->description, "desc");
  EXPECT_EQ((*got)->path, "/p/");

  ASSERT_TRUE(store().attach_policy(IamPrincipalKind::kUser, ana.id, "ReadAll"));
  ASSERT_TRUE(store().attach_policy(IamPrincipalKind::kUser, ana.id, "ReadAll"));  // idempotent
  ASSERT_TRUE(store().attach_policy(IamPrincipalKind::kUser, ana.id, "Admin"));
  ASSERT_TRUE(store().attach_policy(IamPrincipalKind::kGroup, "devs", "ReadAll"));
  EXPECT_EQ(*store().list_attached_policies(IamPrincipalKind::kUser, ana.id),
            (std::vector<std::string>{"Admin", "ReadAll"}));
  EXPECT_EQ(*store().policy_attachment_count("ReadAll"), 2);
  EXPECT_EQ(error_of(store().attach_policy(IamPrincipalKind::kUser, ana.id, "Nope")),
            ErrorCode::kNoSuchEntity);
  EXPECT_EQ(error_of(store().attach_policy(IamPrincipalKind::kGroup, "nogroup", "Admin")),
            ErrorCode::kNoSuchEntity);
  EXPECT_EQ(error_of(store().delete_managed_policy("ReadAll")), ErrorCode::kDeleteConflict);
  ASSERT_TRUE(store().detach_policy(IamPrincipalKind::kUser, ana.id, "ReadAll"));
  EXPECT_EQ(error_of(store().detach_policy(IamPrincipalKind::kUser, ana.id, "ReadAll")),
            ErrorCode::kNoSuchEntity);
  ASSERT_TRUE(store().detach_policy(IamPrincipalKind::kGroup, "devs", "ReadAll"));
  ASSERT_TRUE(store().delete_managed_policy("ReadAll"));
  EXPECT_FALSE(store().get_managed_policy("ReadAll")->has_value());
  EXPECT_EQ(error_of(store().delete_managed_policy("ReadAll")), ErrorCode::kNoSuchEntity);
}

TEST_P(MetaStoreConformance, InlinePoliciesAreKeptPerPrincipalAsGiven) {
  const User ana = iam_user('1', "ana");
  ASSERT_TRUE(store().put_user(ana));
  const std::string doc = "{\n  \"Statement\": [ ] }";
  ASSERT_TRUE(store().put_inline_policy({IamPrincipalKind::kUser, ana.id, "zz", doc}));
  ASSERT_TRUE(store().put_inline_policy({IamPrincipalKind::kUser, ana.id, "aa", "{}"}));
  ASSERT_TRUE(store().put_inline_policy({IamPrincipalKind::kUser, ana.id, "aa", "{\"v\":2}"}));
  auto got = store().get_inline_policy(IamPrincipalKind::kUser, ana.id, "zz");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->document, doc);
  auto listed = store().list_inline_policies(IamPrincipalKind::kUser, ana.id);
  ASSERT_TRUE(listed);
  EXPECT_EQ(names_of(*listed), (std::vector<std::string>{"aa", "zz"}));
  EXPECT_EQ((*listed)[0].document, "{\"v\":2}");
  EXPECT_TRUE(store().list_inline_policies(IamPrincipalKind::kGroup, ana.id)->empty());
  EXPECT_FALSE(store().get_inline_policy(IamPrincipalKind::kUser, ana.id, "no")->has_value());
  EXPECT_EQ(error_of(store().put_inline_policy({IamPrincipalKind::kRole, "ghost", "p", "{}"})),
            ErrorCode::kNoSuchEntity);
  EXPECT_EQ(error_of(store().delete_inline_policy(IamPrincipalKind::kUser, ana.id, "no")),
            ErrorCode::kNoSuchEntity);
}

}  // namespace
}  // namespace cv::meta::conformance
