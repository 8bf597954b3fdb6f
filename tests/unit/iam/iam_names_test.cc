// IAM's names, paths, unique ids and ARNs.
#include "iam/iam_names.h"

#include <gtest/gtest.h>

#include <set>

namespace cv::iam {
namespace {

TEST(IamNames, NamesFollowIamsCharacterSetAndLengths) {
  EXPECT_TRUE(validate_name(NameKind::kUser, "alice.b+c=d,e@f_g-h", "userName"));
  EXPECT_TRUE(validate_name(NameKind::kUser, std::string(64, 'a'), "userName"));
  EXPECT_FALSE(validate_name(NameKind::kUser, std::string(65, 'a'), "userName"));
  EXPECT_TRUE(validate_name(NameKind::kGroup, std::string(128, 'g'), "groupName"));
  EXPECT_FALSE(validate_name(NameKind::kGroup, std::string(129, 'g'), "groupName"));
  EXPECT_FALSE(validate_name(NameKind::kRole, std::string(65, 'r'), "roleName"));
  EXPECT_TRUE(validate_name(NameKind::kPolicy, std::string(128, 'p'), "policyName"));
  EXPECT_FALSE(validate_name(NameKind::kUser, "", "userName"));
  for (const char* bad : {"a b", "a/b", "a*", "ä", "a:b"}) {
    auto checked = validate_name(NameKind::kUser, bad, "userName");
    ASSERT_FALSE(checked) << bad;
    EXPECT_EQ(checked.error().code, ErrorCode::kValidationError);
    EXPECT_NE(checked.error().message.find("userName"), std::string::npos);
  }
}

TEST(IamNames, PathsStartAndEndWithASlash) {
  EXPECT_TRUE(validate_path("/"));
  EXPECT_TRUE(validate_path("/division_abc/subdivision_xyz/"));
  EXPECT_FALSE(validate_path(""));
  EXPECT_FALSE(validate_path("division/"));
  EXPECT_FALSE(validate_path("/division"));
  EXPECT_FALSE(validate_path("/a b/"));
  EXPECT_FALSE(validate_path("/" + std::string(511, 'a') + "/"));
  EXPECT_TRUE(validate_path_prefix("/"));
  EXPECT_TRUE(validate_path_prefix("/division"));
  EXPECT_FALSE(validate_path_prefix("division"));
}

TEST(IamNames, UniqueIdsHaveThePrefixAndSeventeenBase32Characters) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string id = new_unique_id(kUserIdPrefix);
    ASSERT_EQ(id.size(), 21u);
    EXPECT_TRUE(id.starts_with("AIDA"));
    for (char c : id.substr(4)) {
      EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7')) << id;
    }
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 200u);
  EXPECT_TRUE(new_unique_id(kRoleIdPrefix).starts_with("AROA"));
  EXPECT_TRUE(new_unique_id(kGroupIdPrefix).starts_with("AGPA"));
  EXPECT_TRUE(new_unique_id(kPolicyIdPrefix).starts_with("ANPA"));
}

TEST(IamNames, ArnsAsAwsWritesThem) {
  EXPECT_EQ(iam_arn("123456789012", "user", "/", "bob"), "arn:aws:iam::123456789012:user/bob");
  EXPECT_EQ(iam_arn("123456789012", "user", "/div/", "bob"),
            "arn:aws:iam::123456789012:user/div/bob");
  EXPECT_EQ(iam_arn("123456789012", "role", "/", "R"), "arn:aws:iam::123456789012:role/R");
  EXPECT_EQ(root_arn("123456789012"), "arn:aws:iam::123456789012:root");
}

TEST(IamNames, PolicyArnsOfThisAccountParse) {
  auto parts = parse_policy_arn("123456789012", "arn:aws:iam::123456789012:policy/a/b/Read");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->path, "/a/b/");
  EXPECT_EQ(parts->name, "Read");
  auto top = parse_policy_arn("123456789012", "arn:aws:iam::123456789012:policy/Read");
  ASSERT_TRUE(top);
  EXPECT_EQ(top->path, "/");
  EXPECT_EQ(parse_policy_arn("123456789012", "not-an-arn").error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(parse_policy_arn("123456789012", "arn:aws:iam::aws:policy/ReadOnlyAccess").error().code,
            ErrorCode::kNoSuchEntity);
}

}  // namespace
}  // namespace cv::iam
