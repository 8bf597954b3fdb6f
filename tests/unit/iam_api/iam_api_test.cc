// The IAM query API end to end below HTTP: form requests signed with SigV4 for "iam" (and
// "sts"), handled by IamApi over a real SQLite store, answered in IAM's XML.
#include "iam_api/iam_api.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <pugixml.hpp>

#include "core/byte_source.h"
#include "core/encoding.h"
#include "core/hash.h"
#include "meta/sqlite/sqlite_meta_store.h"

namespace cv::iam_api {
namespace {

namespace fs = std::filesystem;

class CountingSignal final : public iam::ChangeSignal {
 public:
  uint64_t generation() override { return generation_; }
  void announce() override { ++generation_; }
  uint64_t generation_ = 1;
};

struct Reply {
  int status = 0;
  pugi::xml_document xml;
  std::string body;
  // Text at a path of element names below the root ("CreateUserResult/User/UserName").
  std::string text(const std::string& path) const {
    pugi::xml_node node = xml.document_element();
    size_t start = 0;
    while (start <= path.size()) {
      const size_t slash = path.find('/', start);
      node = node.child(path.substr(start, slash - start).c_str());
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    return node.text().get();
  }
  std::string code() const { return text("Error/Code"); }
};

class IamApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cv-iamapi-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    meta_ = meta::open_sqlite_meta_store({.path = dir_ / "meta.db"}).value();
    users_ = std::make_unique<iam::UserDirectory>(*meta_, std::string(32, 'm'), clock_, signal_);
    root_ = users_->ensure_root(std::nullopt).value();
    directory_ = std::make_unique<iam::IamDirectory>(*meta_, *users_, signal_, clock_,
                                                     iam::IamDirectoryOptions{"123456789012", {}});
    api_ = std::make_unique<IamApi>(*directory_, *users_, clock_, IamApiOptions{});
  }
  void TearDown() override {
    api_.reset();
    directory_.reset();
    users_.reset();
    meta_.reset();
    fs::remove_all(dir_);
  }

  Reply call(const auth::Credentials& as,
             const std::vector<std::pair<std::string, std::string>>& form,
             std::string service = "iam", std::string region = "us-east-1") {
    std::string body;
    for (const auto& [name, value] : form) {
      if (!body.empty()) body += '&';
      body += uri_encode(name) + "=" + uri_encode(value);
    }
    auth::SigningRequest signing;
    signing.method = "POST";
    signing.host = "127.0.0.1:9000";
    signing.path = "/";
    signing.headers = {{"content-type", "application/x-www-form-urlencoded; charset=utf-8"}};
    signing.payload_hash = hex_encode(sha256(body));
    auth::SigningCredentials credentials{as.access_key_id, as.secret_key, region, service};
    Request request;
    request.method = "POST";
    request.target = "/";
    request.path = "/";
    request.request_id = "REQ";
    request.headers.add("content-type", "application/x-www-form-urlencoded; charset=utf-8");
    for (const auto& [name, value] : auth::sign_request(signing, credentials, clock_.now())) {
      request.headers.add(name, value);
    }
    StringSource source(body);
    request.body = &source;
    Response response = api_->handle(request);
    Reply reply;
    reply.status = response.status;
    reply.body = response.body;
    reply.xml.load_string(response.body.c_str());
    return reply;
  }
  Reply iam(const std::vector<std::pair<std::string, std::string>>& form) {
    auto with_version = form;
    with_version.emplace_back("Version", "2010-05-08");
    return call(root_, with_version);
  }

  fs::path dir_;
  SystemClock clock_;
  CountingSignal signal_;
  std::unique_ptr<meta::MetaStore> meta_;
  std::unique_ptr<iam::UserDirectory> users_;
  auth::Credentials root_;
  std::unique_ptr<iam::IamDirectory> directory_;
  std::unique_ptr<IamApi> api_;
};

constexpr const char* kPolicy =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]})";

TEST_F(IamApiTest, CreateUserAnswersInIamsXml) {
  const Reply created = iam({{"Action", "CreateUser"}, {"UserName", "ana"}, {"Path", "/eng/"}});
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_STREQ(created.xml.document_element().name(), "CreateUserResponse");
  EXPECT_STREQ(created.xml.document_element().attribute("xmlns").value(),
               "https://iam.amazonaws.com/doc/2010-05-08/");
  EXPECT_EQ(created.text("CreateUserResult/User/UserName"), "ana");
  EXPECT_EQ(created.text("CreateUserResult/User/Arn"), "arn:aws:iam::123456789012:user/eng/ana");
  EXPECT_TRUE(created.text("CreateUserResult/User/UserId").starts_with("AIDA"));
  EXPECT_EQ(created.text("ResponseMetadata/RequestId"), "REQ");

  const Reply again = iam({{"Action", "CreateUser"}, {"UserName", "ana"}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.code(), "EntityAlreadyExists");
  EXPECT_EQ(again.text("Error/Type"), "Sender");
  EXPECT_STREQ(again.xml.document_element().name(), "ErrorResponse");

  const Reply missing = iam({{"Action", "GetUser"}, {"UserName", "nobody"}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.code(), "NoSuchEntity");

  const Reply deleted = iam({{"Action", "DeleteUser"}, {"UserName", "ana"}});
  EXPECT_EQ(deleted.status, 200);
  EXPECT_TRUE(deleted.xml.document_element().child("DeleteUserResult").empty());
}

TEST_F(IamApiTest, AnyRegionIsAcceptedAndUnknownActionsAreInvalid) {
  Reply listed =
      call(root_, {{"Action", "ListUsers"}, {"Version", "2010-05-08"}}, "iam", "eu-central-1");
  EXPECT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.text("ListUsersResult/IsTruncated"), "false");
  Reply unknown = iam({{"Action", "Fly"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.code(), "InvalidAction");
  Reply none = iam({});
  EXPECT_EQ(none.code(), "InvalidAction");
  Reply sts = call(root_, {{"Action", "GetCallerIdentity"}, {"Version", "2011-06-15"}}, "sts");
  EXPECT_EQ(sts.status, 400);
  EXPECT_EQ(sts.code(), "InvalidAction");
  EXPECT_STREQ(sts.xml.document_element().attribute("xmlns").value(),
               "https://sts.amazonaws.com/doc/2011-06-15/");
  Reply s3 = call(root_, {{"Action", "ListUsers"}}, "s3");
  EXPECT_EQ(s3.code(), "AuthorizationHeaderMalformed");
}

TEST_F(IamApiTest, StsActionsCanBeAddedBesideIams) {
  api_->actions().add("sts", "GetCallerIdentity", [](ActionCall& call) -> Status {
    call.result.append_child("UserId").text() = call.caller.user_id.c_str();
    return {};
  });
  Reply reply = call(root_, {{"Action", "GetCallerIdentity"}, {"Version", "2011-06-15"}}, "sts");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_STREQ(reply.xml.document_element().name(), "GetCallerIdentityResponse");
  EXPECT_EQ(reply.text("GetCallerIdentityResult/UserId"), root_.user_id);
}

TEST_F(IamApiTest, PolicyDocumentsComeBackUrlEncoded) {
  ASSERT_EQ(iam({{"Action", "CreateUser"}, {"UserName", "pat"}}).status, 200);
  ASSERT_EQ(iam({{"Action", "PutUserPolicy"},
                 {"UserName", "pat"},
                 {"PolicyName", "p"},
                 {"PolicyDocument", kPolicy}})
                .status,
            200);
  Reply got = iam({{"Action", "GetUserPolicy"}, {"UserName", "pat"}, {"PolicyName", "p"}});
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(percent_decode(got.text("GetUserPolicyResult/PolicyDocument")).value(), kPolicy);
  EXPECT_EQ(got.text("GetUserPolicyResult/PolicyDocument").find('{'), std::string::npos);
  Reply bad = iam({{"Action", "PutUserPolicy"},
                   {"UserName", "pat"},
                   {"PolicyName", "q"},
                   {"PolicyDocument", "{}"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.code(), "MalformedPolicyDocument");
  Reply no_name =
      iam({{"Action", "PutUserPolicy"}, {"UserName", "pat"}, {"PolicyDocument", kPolicy}});
  EXPECT_EQ(no_name.code(), "ValidationError");
}

TEST_F(IamApiTest, KeysLimitAndInactiveKeysAreRefused) {
  ASSERT_EQ(iam({{"Action", "CreateUser"}, {"UserName", "kim"}}).status, 200);
  Reply first = iam({{"Action", "CreateAccessKey"}, {"UserName", "kim"}});
  ASSERT_EQ(first.status, 200) << first.body;
  auth::Credentials kim{first.text("CreateAccessKeyResult/AccessKey/AccessKeyId"),
                        first.text("CreateAccessKeyResult/AccessKey/SecretAccessKey"), "", "kim"};
  EXPECT_EQ(first.text("CreateAccessKeyResult/AccessKey/Status"), "Active");
  ASSERT_EQ(iam({{"Action", "CreateAccessKey"}, {"UserName", "kim"}}).status, 200);
  Reply third = iam({{"Action", "CreateAccessKey"}, {"UserName", "kim"}});
  EXPECT_EQ(third.status, 409);
  EXPECT_EQ(third.code(), "LimitExceeded");

  // kim manages its own keys, and nothing else.
  Reply own = call(kim, {{"Action", "ListAccessKeys"}, {"Version", "2010-05-08"}});
  ASSERT_EQ(own.status, 200) << own.body;
  Reply others = call(kim, {{"Action", "ListUsers"}, {"Version", "2010-05-08"}});
  EXPECT_EQ(others.status, 403);
  EXPECT_EQ(others.code(), "AccessDenied");

  ASSERT_EQ(iam({{"Action", "UpdateAccessKey"},
                 {"UserName", "kim"},
                 {"AccessKeyId", kim.access_key_id},
                 {"Status", "Inactive"}})
                .status,
            200);
  Reply refused = call(kim, {{"Action", "ListAccessKeys"}, {"Version", "2010-05-08"}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.code(), "InvalidAccessKeyId");
  Reply used = iam({{"Action", "GetAccessKeyLastUsed"}, {"AccessKeyId", kim.access_key_id}});
  EXPECT_EQ(used.text("GetAccessKeyLastUsedResult/AccessKeyLastUsed/ServiceName"), "iam");
  EXPECT_EQ(iam({{"Action", "DeleteUser"}, {"UserName", "kim"}}).code(), "DeleteConflict");
  EXPECT_EQ(iam({{"Action", "UpdateAccessKey"},
                 {"UserName", "kim"},
                 {"AccessKeyId", kim.access_key_id},
                 {"Status", "Paused"}})
                .code(),
            "ValidationError");
}

TEST_F(IamApiTest, ListsPageWithMarkerAndMaxItems) {
  for (const char* user : {"u1", "u2", "u3"}) {
    ASSERT_EQ(iam({{"Action", "CreateUser"}, {"UserName", user}}).status, 200);
  }
  Reply first = iam({{"Action", "ListUsers"}, {"MaxItems", "2"}});
  EXPECT_EQ(first.text("ListUsersResult/IsTruncated"), "true");
  const std::string marker = first.text("ListUsersResult/Marker");
  ASSERT_FALSE(marker.empty());
  Reply second = iam({{"Action", "ListUsers"}, {"MaxItems", "2"}, {"Marker", marker}});
  EXPECT_EQ(second.text("ListUsersResult/IsTruncated"), "false");
  EXPECT_EQ(second.text("ListUsersResult/Users/member/UserName"), "u3");
  EXPECT_EQ(iam({{"Action", "ListUsers"}, {"MaxItems", "0"}}).code(), "ValidationError");
}

TEST_F(IamApiTest, RolesAndManagedPolicies) {
  Reply role = iam({{"Action", "CreateRole"},
                    {"RoleName", "Reader"},
                    {"AssumeRolePolicyDocument", kPolicy},
                    {"MaxSessionDuration", "7200"}});
  ASSERT_EQ(role.status, 200) << role.body;
  EXPECT_EQ(role.text("CreateRoleResult/Role/MaxSessionDuration"), "7200");
  EXPECT_EQ(percent_decode(role.text("CreateRoleResult/Role/AssumeRolePolicyDocument")).value(),
            kPolicy);
  Reply policy =
      iam({{"Action", "CreatePolicy"}, {"PolicyName", "Read"}, {"PolicyDocument", kPolicy}});
  ASSERT_EQ(policy.status, 200) << policy.body;
  const std::string arn = policy.text("CreatePolicyResult/Policy/Arn");
  EXPECT_EQ(arn, "arn:aws:iam::123456789012:policy/Read");
  ASSERT_EQ(
      iam({{"Action", "AttachRolePolicy"}, {"RoleName", "Reader"}, {"PolicyArn", arn}}).status,
      200);
  EXPECT_EQ(iam({{"Action", "GetPolicy"}, {"PolicyArn", arn}})
                .text("GetPolicyResult/Policy/AttachmentCount"),
            "1");
  EXPECT_EQ(iam({{"Action", "DeleteRole"}, {"RoleName", "Reader"}}).code(), "DeleteConflict");
  EXPECT_EQ(iam({{"Action", "DeletePolicy"}, {"PolicyArn", arn}}).code(), "DeleteConflict");
  Reply summary = iam({{"Action", "GetAccountSummary"}});
  ASSERT_EQ(summary.status, 200);
  bool found = false;
  for (auto entry : summary.xml.document_element()
                        .child("GetAccountSummaryResult")
                        .child("SummaryMap")
                        .children("entry")) {
    if (std::string(entry.child("key").text().get()) == "Roles") {
      EXPECT_STREQ(entry.child("value").text().get(), "1");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace cv::iam_api
