// The query protocol's routing check, error documents and the default authorizer.
#include "iam_api/query_protocol.h"

#include <gtest/gtest.h>

#include "iam_api/iam_authorizer.h"

namespace cv::iam_api {
namespace {

Request signed_for(std::string_view scope) {
  Request request;
  request.method = "POST";
  request.path = "/";
  request.headers.add("authorization",
                      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/" + std::string(scope) +
                          "/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc");
  return request;
}

TEST(QueryProtocol, RoutesByTheCredentialScopesService) {
  EXPECT_EQ(query_service_of(signed_for("us-east-1/iam")), "iam");
  EXPECT_EQ(query_service_of(signed_for("eu-west-1/sts")), "sts");
  EXPECT_FALSE(query_service_of(signed_for("us-east-1/s3")).has_value());
  EXPECT_FALSE(query_service_of(Request{}).has_value());
  Request presigned;
  presigned.params = {{"X-Amz-Credential", "AKID/20240101/us-east-1/iam/aws4_request"}};
  EXPECT_EQ(query_service_of(presigned), "iam");
  presigned.params = {{"X-Amz-Credential", "AKID/20240101/us-east-1/s3/aws4_request"}};
  EXPECT_FALSE(query_service_of(presigned).has_value());
}

TEST(QueryProtocol, ErrorsAreIamErrorDocuments) {
  const Response response =
      error_response(Error{ErrorCode::kNoSuchEntity, "The user with name x cannot be found.", ""},
                     "https://iam.amazonaws.com/doc/2010-05-08/", "REQ1");
  EXPECT_EQ(response.status, 404);
  EXPECT_NE(response.body.find("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                               "<Error><Type>Sender</Type><Code>NoSuchEntity</Code>"
                               "<Message>The user with name x cannot be found.</Message></Error>"
                               "<RequestId>REQ1</RequestId></ErrorResponse>"),
            std::string::npos)
      << response.body;
  EXPECT_EQ(error_response(Error{ErrorCode::kDeleteConflict}, "ns", "R").status, 409);
  EXPECT_EQ(error_response(Error{ErrorCode::kLimitExceeded}, "ns", "R").status, 409);
  EXPECT_EQ(error_response(Error{ErrorCode::kInvalidAction}, "ns", "R").status, 400);
  EXPECT_NE(error_response(Error{ErrorCode::kInternalError}, "ns", "R").body.find("Receiver"),
            std::string::npos);
}

TEST(QueryProtocol, ActionTablesArePerService) {
  ActionTable table;
  table.add_service("iam", "iam-ns");
  table.add("iam", "GetUser", [](ActionCall&) -> Status { return {}; });
  EXPECT_NE(table.find("iam", "GetUser"), nullptr);
  EXPECT_EQ(table.find("sts", "GetUser"), nullptr);
  EXPECT_EQ(table.find("iam", "getuser"), nullptr);
  EXPECT_EQ(table.xml_namespace("iam"), "iam-ns");
}

TEST(IamAuthorizer, RootDoesEverythingUsersOnlyTheirOwnKeys) {
  auth::Identity root;
  root.anonymous = false;
  root.is_root = true;
  root.user_name = "root";
  EXPECT_TRUE(default_iam_authorizer(root, "iam:CreateUser", "arn:aws:iam::1:user/x"));

  auth::Identity bob;
  bob.anonymous = false;
  bob.user_name = "bob";
  EXPECT_TRUE(default_iam_authorizer(bob, "iam:CreateAccessKey", "arn:aws:iam::1:user/bob"));
  EXPECT_TRUE(default_iam_authorizer(bob, "iam:GetUser", "arn:aws:iam::1:user/team/bob"));
  EXPECT_FALSE(default_iam_authorizer(bob, "iam:CreateAccessKey", "arn:aws:iam::1:user/ann"));
  EXPECT_FALSE(default_iam_authorizer(bob, "iam:CreateAccessKey", "arn:aws:iam::1:user/xbob"));
  EXPECT_FALSE(default_iam_authorizer(bob, "iam:CreateAccessKey", "arn:aws:iam::1:group/bob"));
  auto denied = default_iam_authorizer(bob, "iam:CreateUser", "arn:aws:iam::1:user/bob");
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kAccessDenied);
  EXPECT_FALSE(default_iam_authorizer(auth::Identity{}, "iam:GetUser", "arn:aws:iam::1:user/x"));
}

}  // namespace
}  // namespace cv::iam_api
