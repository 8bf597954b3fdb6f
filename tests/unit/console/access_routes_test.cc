// The console's access-control routes over real parts: the IAM routes on a real UserDirectory
// and IamDirectory (the vault's SQLite store), the bucket's policy and Block Public Access
// on the real vault; who may call them, and the errors of the domain services as they come.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>

#include "console/console_api_fixture.h"
#include "iam/caller_directory.h"
#include "iam/iam_directory.h"
#include "iam/user_directory.h"

namespace cv::console::testing {
namespace {

class CountingSignal final : public iam::ChangeSignal {
 public:
  uint64_t generation() override { return generation_; }
  void announce() override { ++generation_; }
  uint64_t generation_ = 1;
};

constexpr const char* kPublicRead =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",)"
    R"("Action":"s3:GetObject","Resource":"arn:aws:s3:::pics/*"}]})";
constexpr const char* kAllOff =
    R"({"blockPublicAcls":false,"ignorePublicAcls":false,"blockPublicPolicy":false,)"
    R"("restrictPublicBuckets":false})";

boost::json::object body_of(const Response& response) {
  return boost::json::parse(response.body).as_object();
}

// Without IAM services (ConsoleOptions::iam unset) the IAM pages' routes are off; a bucket's
// permissions need only the vault.
using BucketAccessRoutesTest = ConsoleApiTest;

TEST_F(BucketAccessRoutesTest, IamRoutesAreOffWithoutIamServices) {
  auto alice = sign_in("AKALICE", "alice-secret");
  for (const char* route : {"iam/users", "iam/policies", "iam/roles", "keys"}) {
    const Response response = call("GET", route, {}, signed_in(alice, false));
    EXPECT_EQ(response.status, 404) << route;
    EXPECT_EQ(error_code(response), "IamOff") << route;
  }
}

TEST_F(BucketAccessRoutesTest, ThePolicyAndBlockAreSavedThroughTheVaultWithS3sChecks) {
  auto alice = sign_in("AKALICE", "alice-secret");
  ASSERT_EQ(call("POST", "buckets", R"({"name":"pics"})", signed_in(alice)).status, 201);
  Response response = call("GET", "buckets/pics/access", {}, signed_in(alice, false));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_TRUE(body_of(response).at("policy").is_null());
  EXPECT_FALSE(body_of(response).at("public").as_bool());

  response = call("PUT", "buckets/pics/policy", R"({"document":"{"})", signed_in(alice));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(error_code(response), "MalformedPolicy");

  response = call("PUT", "buckets/pics/public-access-block", R"({"blockPublicAcls":false})",
                  signed_in(alice));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(error_code(response), "InvalidRequest");

  ASSERT_EQ(call("PUT", "buckets/pics/public-access-block", kAllOff, signed_in(alice)).status, 200);
  boost::json::object document{{"document", kPublicRead}};
  response = call("PUT", "buckets/pics/policy", boost::json::serialize(document), signed_in(alice));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_TRUE(body_of(response).at("public").as_bool());
  EXPECT_EQ(body_of(response).at("policy").as_string(), kPublicRead);
  auto access = temp_.vault().bucket_access("pics");
  ASSERT_TRUE(access);
  EXPECT_TRUE((*access)->policy_is_public);
  EXPECT_EQ((*access)->block, vault::PublicAccessBlock{});

  // Another user does not see that the bucket exists.
  auto bob = sign_in("AKBOB", "bob-secret");
  response = call("DELETE", "buckets/pics/policy", {}, signed_in(bob));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(error_code(response), "NoSuchBucket");
  EXPECT_TRUE(temp_.vault().bucket_policy("pics"));
}

// The console with IAM: root's key from a real UserDirectory, which is also the credential
// store sessions are checked against.
class IamRoutesTest : public ConsoleApiTest {
 protected:
  IamRoutesTest() {
    root_ = users_.ensure_root(auth::Credentials{"AKROOT", "root-secret"}).value();
  }

  RequestHandler& handler() override { return iam_api_; }

  // A user with one key, made through the domain services.
  std::pair<std::string, std::string> user_with_key(const std::string& name) {
    EXPECT_TRUE(iam_.create_user(name, "/", {}));
    auto key = users_.create_key(name, std::nullopt, std::nullopt).value();
    return {key.access_key_id, key.secret_key};
  }

  CountingSignal signal_;
  iam::UserDirectory users_{temp_.meta(), std::string(32, 'm'), clock_, signal_};
  iam::IamDirectory iam_{temp_.meta(), users_, signal_, clock_,
                         iam::IamDirectoryOptions{"123456789012", iam::validate_policy_document}};
  auth::Credentials root_;
  ConsoleApi iam_api_{
      temp_.vault(), users_, sessions_, thumbnails_,
      ConsoleOptions{
          .plain_http_secrets = PlainHttpSecrets::kAlways, .iam = &iam_, .users = &users_}};
};

TEST_F(IamRoutesTest, RootManagesUsersAndDeleteConflictIsIams) {
  auto root = sign_in("AKROOT", "root-secret");
  Response response = call("GET", "session", {}, signed_in(root, false));
  EXPECT_TRUE(body_of(response).at("root").as_bool());

  response = call("POST", "iam/users", R"({"name":"ann"})", signed_in(root));
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(body_of(response).at("arn").as_string(), "arn:aws:iam::123456789012:user/ann");
  response = call("POST", "iam/users/ann/keys", {}, signed_in(root));
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_FALSE(body_of(response).at("secretAccessKey").as_string().empty());

  response = call("DELETE", "iam/users/ann", {}, signed_in(root));
  EXPECT_EQ(response.status, 409);
  EXPECT_EQ(error_code(response), "DeleteConflict");
  EXPECT_TRUE(iam_.get_user("ann"));
  EXPECT_EQ(call("DELETE", "iam/users/ann?force=true", {}, signed_in(root)).status, 204);
  EXPECT_FALSE(iam_.get_user("ann"));
  EXPECT_TRUE(users_.list_keys().value().size() == 1);  // root's only
}

TEST_F(IamRoutesTest, AnInlinePolicyIsCheckedByTheServer) {
  auto root = sign_in("AKROOT", "root-secret");
  user_with_key("ann");
  Response response = call("PUT", "iam/users/ann/policies/p",
                           R"({"document":"{\"Version\":\"2012-10-17\"}"})", signed_in(root));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(error_code(response), "MalformedPolicyDocument");
  EXPECT_TRUE(iam_.list_inline_policies({meta::IamPrincipalKind::kUser, "ann"})->empty());
}

TEST_F(IamRoutesTest, OthersAreRefusedTheIamPagesButManageTheirOwnKeys) {
  const auto [key, secret] = user_with_key("ann");
  user_with_key("bob");
  auto ann = sign_in(key, secret);
  for (const char* route : {"iam/users", "iam/users/bob", "iam/groups", "iam/policies"}) {
    const Response response = call("GET", route, {}, signed_in(ann, false));
    EXPECT_EQ(response.status, 403) << route;
    EXPECT_EQ(error_code(response), "AccessDenied") << route;
  }
  Response response = call("GET", "keys", {}, signed_in(ann, false));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(body_of(response).at("user").as_string(), "ann");
  EXPECT_EQ(body_of(response).at("keys").as_array().size(), 1u);
  const std::string bobs_key = users_.list_keys("bob").value().at(0).access_key_id;
  response = call("DELETE", "keys/" + bobs_key, {}, signed_in(ann));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(users_.list_keys("bob")->size(), 1u);
  response = call("POST", "keys", {}, signed_in(ann));
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(users_.list_keys("ann")->size(), 2u);
}

}  // namespace
}  // namespace cv::console::testing
